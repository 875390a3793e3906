"""``report.pdf``: the exported ``report.html`` printed to A4 by Chromium (through
Playwright, the browser the tests already drive), page numbers in the footer. Chromium
embeds the fonts it draws with (Noto Sans CJK for Chinese), so the PDF reads the same on
any machine and its text can be copied and searched (``searchable_ideographs``: the Chinese
characters copy as themselves; ligatures are turned off, so fi, fl and ff copy as two
letters, docs/guide.md).

Only the local file is loaded: any other request is refused, so printing works offline.
"""
from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
import shutil
import threading
import unicodedata
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

ENV_VAR = "TITLESIM_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"]
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
# The last rule draws letters one by one: a ligature glyph (fi, fl, ff) copies as U+FB01 ...,
# and "staff" or "figures" would not be found in the text (docs/guide.md: copied and searched)
PRINT_CSS = """@page { size: A4; }
.titlesim-report { max-width: none !important; }
table.data { page-break-inside: auto; } tr { page-break-inside: avoid; }
details > * { display: block; }
* { font-variant-ligatures: none; font-feature-settings: "liga" 0, "clig" 0, "dlig" 0; }"""
# Code points whose glyph is the same as a unified ideograph's: Chromium's text mapping
# names the lower one (⼈ U+2F08 for 人 U+4EBA), searchable_ideographs() names the ideograph.
RADICALS_AND_COMPATIBILITY = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF),    # radicals (supplement, Kangxi)
                              (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))  # compatibility ideographs
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_BFCHAR = re.compile(rb"(beginbfchar)(.*?)(endbfchar)", re.S)
_BFRANGE = re.compile(rb"(beginbfrange)(.*?)(endbfrange)", re.S)
_CHAR_ENTRY = re.compile(rb"(<[0-9A-Fa-f]*>\s*)<([0-9A-Fa-f]*)>")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_RANGE_ENTRY = re.compile(rb"<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")


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
        printed = page.pdf(format="A4", print_background=True,
                           margin={"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                           display_header_footer=True, header_template="<span></span>",
                           footer_template=FOOTER)
    finally:
        page.context.close()
    from titlesim.runfolder import atomic_write
    searchable = searchable_ideographs(printed)
    atomic_write(pdf, lambda tmp: tmp.write_bytes(searchable))  # never half a PDF


def searchable_ideographs(printed: bytes) -> bytes:
    """The PDF ``printed`` with each font's text mapping (ToUnicode CMap) naming unified
    ideographs where Chromium named a radical or compatibility ideograph of the same glyph:
    Noto Sans CJK draws ⼈ (U+2F08) and 人 (U+4EBA) with one glyph and Chromium maps the glyph
    to the lower code point, so the text would copy and search as ⼈ rather than 人
    (docs/guide.md promises text that can be copied and searched). Each such code point
    becomes its NFKC form, or the ideograph of ``radical_ideographs()``, when that is a single
    CJK unified ideograph. Only the text mappings change, never what is drawn; a PDF with
    nothing to change is returned as is, and the changed mappings are appended to the file
    as printed (:func:`_updated`)."""
    import pypdf
    with _quiet("pypdf"):  # its remarks on how Chromium wrote the file mean nothing to the user
        return _with_unified_text(pypdf, printed)


def _with_unified_text(pypdf, printed: bytes) -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(printed))
    fixed: dict[int, bytes] = {}
    for number in _text_mappings(printed):
        cmap = reader.get_object(number)
        if not isinstance(cmap, pypdf.generic.StreamObject):
            continue
        text = cmap.get_data()
        unified = _BFRANGE.sub(_unified_ranges, _BFCHAR.sub(_unified_chars, text))
        if unified != text:
            fixed[number] = unified
    if not fixed:
        return printed
    return _updated(printed, reader.trailer, fixed)


def _text_mappings(printed: bytes) -> list[int]:
    """The numbers of the file's text mappings (the objects fonts name as ``/ToUnicode``).
    Chromium writes every object in the open (no compressed object streams), so they are
    found in the file's bytes without reading its 1,500-odd other objects (a Chromium that
    hid them would leave the radicals, and tests/test_report_pdf.py would fail)."""
    return sorted({int(n) for n in _TO_UNICODE.findall(printed)})


def _updated(printed: bytes, trailer, streams: dict[int, bytes]) -> bytes:
    """``printed`` with the stream objects ``streams`` (number: new content) replaced by an
    incremental update, as PDF's own format provides for changing a file (ISO 32000-1,
    7.5.6): the new objects, a cross-reference section naming them and a trailer that
    points back to the file's own are appended, and nothing before them changes. Writing
    the whole file again (1,600-odd objects) cost 0.5-0.6 CPU-s a report."""
    out = bytearray(printed if printed.endswith(b"\n") else printed + b"\n")
    offsets = {}
    for number, content in sorted(streams.items()):
        data = zlib.compress(content)
        offsets[number] = len(out)
        out += b"%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n" % (number, len(data))
        out += data + b"\nendstream\nendobj\n"
    xref = len(out)
    # the head of the free list first, as in the file's own section (and as readers that
    # take a section not starting at object 0 for a miscounted one expect)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    out += b"".join(b"%d 1\n%010d 00000 n \n" % item for item in sorted(offsets.items()))
    fields = [b"/Size %d" % max(int(trailer["/Size"]), max(streams) + 1)]
    for key in ("/Root", "/Info"):
        if key in trailer:
            ref = trailer.raw_get(key)
            fields.append(b"%s %d %d R" % (key.encode("ascii"), ref.idnum, ref.generation))
    fields.append(b"/Prev %d" % int(_STARTXREF.findall(printed)[-1]))
    out += b"trailer\n<<" + b" ".join(fields) + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@lru_cache(maxsize=1)
def radical_ideographs() -> dict[str, str]:
    """The radicals without a compatibility decomposition (NFKC leaves ⺠ U+2EA0 as it is) and
    the unified ideograph Noto Sans CJK draws with the same glyph (民 U+6C11):
    ``titlesim/data/radical_ideographs.csv``, read from the fonts' character maps."""
    with resources.files("titlesim").joinpath("data/radical_ideographs.csv").open(encoding="utf-8") as fh:
        return {row["radical"]: row["ideograph"] for row in csv.DictReader(fh)}


@contextlib.contextmanager
def _quiet(logger_name: str):
    """Within the block, the logger's warnings are not shown (its errors still are)."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _unified(code: int) -> int:
    """The unified ideograph drawn like ``code`` (a radical or compatibility ideograph), or ``code``."""
    if not any(low <= code <= high for low, high in RADICALS_AND_COMPATIBILITY):
        return code
    normal = unicodedata.normalize("NFKC", chr(code))
    normal = radical_ideographs().get(normal, normal)
    unified = len(normal) == 1 and unicodedata.name(normal, "").startswith("CJK UNIFIED IDEOGRAPH")
    return ord(normal) if unified else code


def _unified_hex(utf16: bytes) -> bytes:
    """A CMap destination (UTF-16BE in hex) with its radicals as unified ideographs."""
    try:
        text = bytes.fromhex(utf16.decode("ascii")).decode("utf-16-be")
    except ValueError:  # not UTF-16 text: left as it is
        return utf16
    unified = "".join(chr(_unified(ord(c))) for c in text)
    return utf16 if unified == text else unified.encode("utf-16-be").hex().upper().encode("ascii")


def _unified_chars(section: re.Match) -> bytes:
    entries = _CHAR_ENTRY.sub(lambda m: m[1] + b"<" + _unified_hex(m[2]) + b">", section[2])
    return section[1] + entries + section[3]


def _unified_ranges(section: re.Match) -> bytes:
    """A range whose destinations include a radical is written as an array of destinations
    (``<lo> <hi> [<d1> <d2> ...]``, the same number of entries)."""
    def entry(m: re.Match) -> bytes:
        low, high, destination = m[1], m[2], m[3]
        if destination.startswith(b"["):
            targets = _HEX.findall(destination)
        else:  # <lo> <hi> <start>: lo gets start, each next code the next value
            start, width = int(destination[1:-1], 16), len(destination) - 2
            count = int(high, 16) - int(low, 16) + 1
            targets = [f"{start + i:0{width}X}".encode("ascii") for i in range(max(count, 0))]
        unified = [_unified_hex(t) for t in targets]
        if unified == targets:
            return m[0]
        return b"<" + low + b"> <" + high + b"> [" + b" ".join(b"<" + u + b">" for u in unified) + b"]"
    return section[1] + _RANGE_ENTRY.sub(entry, section[2]) + section[3]
