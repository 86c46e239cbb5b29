// A "print" button (data-print): the Content-Security-Policy allows no inline handler,
// so the pages' one script of their own binds it here.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
