"""HTML to PDF with the browser planners already have: headless Chromium's print.

No PDF library renders Persian text right to left with its shaping as well as a
browser does; Chromium is installed next to campplanner on planners' machines and in
CI (.ci/run). Without it, :func:`print_to_pdf` returns None and the HTML is the paper
(any browser prints it: every page break is in its CSS).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
PRINT_TIMEOUT = 300  # seconds for one document


def find_browser() -> str | None:
    """The path of a Chromium-like browser, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def print_to_pdf(html: str, browser: str | None = None) -> bytes | None:
    """``html`` printed to PDF (A4, as its CSS says) by headless Chromium; None without one.

    The document is written to a private temporary folder and opened from there: no
    data goes into a URL beyond that folder's path, and the folder is removed after.
    """
    browser = browser or find_browser()
    if browser is None:
        return None
    with tempfile.TemporaryDirectory(prefix="campplanner-print-") as folder:
        page, pdf = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return pdf.read_bytes() if pdf.exists() and pdf.stat().st_size else None
