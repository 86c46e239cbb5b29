// The pages' one script of their own (the Content-Security-Policy allows no inline one):
// a "print" button (data-print) prints; a table box that scrolls sideways (.scroll, a
// wide table on a phone) is a tab stop, so that a keyboard can scroll it too.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

function scrollersReachable() {
  for (const box of document.querySelectorAll(".scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  }
}
document.addEventListener("DOMContentLoaded", scrollersReachable);
document.addEventListener("htmx:afterSettle", scrollersReachable);
window.addEventListener("resize", scrollersReachable);
