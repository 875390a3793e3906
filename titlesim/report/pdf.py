"""``report.pdf``: the exported ``report.html`` printed to A4 by Chromium (through
Playwright, the browser the tests already drive), page numbers in the footer. Chromium
embeds the fonts it draws with (Noto Sans CJK for Chinese), so the PDF reads the same on
any machine and its text can be copied and searched.

Only the local file is loaded: any other request is refused, so printing works offline.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path

ENV_VAR = "TITLESIM_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"]
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
PRINT_CSS = """@page { size: A4; }
.titlesim-report { max-width: none !important; }
table.data { page-break-inside: auto; } tr { page-break-inside: avoid; }
details > * { display: block; }"""


def chromium() -> str | None:
    """The Chromium to print with: ``TITLESIM_CHROMIUM``, else the first on PATH."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return chosen
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


class _Printer:
    """One Chromium kept for the reports of a batch (``printing()``): starting it costs
    about as much CPU as printing a report."""

    def __init__(self):
        self.playwright = self.browser = None

    def browser_for(self, executable: str):
        if self.browser is None or not self.browser.is_connected():  # first use, or it died
            self.close()
            from playwright.sync_api import sync_playwright
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        return self.browser

    def close(self) -> None:
        browser, playwright, self.browser, self.playwright = self.browser, self.playwright, None, None
        if browser is not None:
            with contextlib.suppress(Exception):  # already gone: nothing left to close
                browser.close()
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()


_thread = threading.local()  # Playwright's objects belong to the thread that made them


def shared() -> _Printer | None:
    """This thread's printer, inside a ``printing()`` block."""
    return getattr(_thread, "printer", None)


@contextlib.contextmanager
def printing():
    """Within the block, every ``export_pdf`` of this thread prints with one Chromium,
    started at the first and closed at the end (a batch of reports); each report still
    gets a page of its own. Within a block already open, nothing more."""
    if shared() is not None:
        yield
        return
    _thread.printer = _Printer()
    try:
        yield
    finally:
        printer, _thread.printer = _thread.printer, None
        printer.close()


def export_pdf(html: Path, pdf: Path) -> bool:
    """Print ``html`` to ``pdf``; False (and no file) without Chromium or Playwright."""
    executable = chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    if executable is None:
        return False
    with printing():  # the batch's Chromium, or one for this report alone
        _print(shared().browser_for(executable), html, pdf)
    return True


def _print(browser, html: Path, pdf: Path) -> None:
    page = browser.new_page()  # a context of its own: nothing shared between reports
    try:
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith(("file:", "data:")) else route.abort())
        page.goto(Path(html).resolve().as_uri(), wait_until="load")
        page.add_style_tag(content=PRINT_CSS)
        # folded reference tables (<details>) are printed open
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.pdf(path=str(pdf), format="A4", print_background=True,
                 margin={"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER)
    finally:
        page.context.close()
