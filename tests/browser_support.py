"""Shared parts of the real-browser tests: a free loopback port, a server started in its
own session and stopped by its process id, Debian's Chromium through Playwright's client
(never ``playwright install``), and the ipykernel processes a server has started."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    """Voilà runs a notebook on every page load: readiness is the port, not a fetch."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the server did not open port {port} within {timeout} s")


@contextlib.contextmanager
def server(command: list[str], port: int, log: Path, env: dict | None = None, cwd=None):
    """Run ``command`` (listening on ``port``) in its own session; yield the process;
    stop it and its kernels by its process group."""
    # a page's kernel and helper write their threads' stacks here on SIGUSR1 (page_report)
    env = dict(os.environ if env is None else env, TITLESIM_STACKS=str(stacks_file(log)))
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_for_port(port, process)
        yield process
    finally:
        kernels = kernel_processes(process.pid)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for kernel in kernels:  # kernels run in sessions of their own
            with contextlib.suppress(Exception):
                kernel.kill()


def stacks_file(log: Path) -> Path:
    return log.with_name(log.stem + "-stacks.txt")


def stacks(log: Path) -> str:
    """Every thread's stack in each page kernel and helper process the server of ``log``
    has started (they listen for SIGUSR1: titlesim.ui.stacks), as they are now."""
    from titlesim.ui.stacks import listening
    path = stacks_file(log)
    if not path.exists():
        return "no page kernel has registered for stack dumps"
    before = path.stat().st_size
    import psutil
    pids = []
    for pid in listening(path):  # those still running (a pid may have been reused since)
        with contextlib.suppress(psutil.Error, OSError):
            if psutil.Process(pid).environ().get("TITLESIM_STACKS") == str(path):
                os.kill(pid, signal.SIGUSR1)
                pids.append(pid)
    time.sleep(1.0)
    text = path.read_bytes()[before:].decode("utf-8", errors="replace")
    return f"stacks of processes {pids}:\n{text}"


def kernel_processes(pid: int) -> list:
    """The ipykernel processes started by the server ``pid`` (still running)."""
    import psutil
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            if child.is_running() and child.status() != psutil.STATUS_ZOMBIE \
                    and "ipykernel" in " ".join(child.cmdline()):
                out.append(child)
    return out


# The one Chromium of this test process (and Playwright's driver), kept from one browser test
# to the next: a launch (the browser, its GPU and network processes, the driver) costs about
# 3-4 CPU-s, as much as the pages a test opens. tests/conftest.py closes it once the next test
# is not a browser test: while Playwright's client runs, this thread's asyncio loop counts as
# running, and asyncio.run() (nbclient, the reports) would refuse to start.
_playwright = None
_browser = None


class Pages:
    """Opens pages in the shared Chromium, each in a browser context of its own (no cookies,
    storage or cache shared with another page or test), as ``Browser.new_page`` does."""

    def __init__(self, browser):
        self._browser = browser
        self._opened = []

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        self._opened.append(page)
        return page

    def close(self) -> None:
        for page in self._opened:  # closing a page closes its own context
            with contextlib.suppress(Exception):
                page.close()


@contextlib.contextmanager
def chromium():
    """Pages of their own in this process's Chromium (launched if needed); those still open
    are closed at the end of the block."""
    global _playwright, _browser
    if _browser is None or not _browser.is_connected():
        release()
        from playwright.sync_api import sync_playwright
        _playwright = sync_playwright().start()
        _browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    pages = Pages(_browser)
    try:
        yield pages
    finally:
        pages.close()


def release() -> None:
    """Close this process's Chromium and stop Playwright's driver, if they run."""
    global _playwright, _browser
    browser, playwright, _browser, _playwright = _browser, _playwright, None, None
    if browser is not None:
        with contextlib.suppress(Exception):
            browser.close()
    if playwright is not None:
        with contextlib.suppress(Exception):
            playwright.stop()


# What a failure shows of the what-if page: its status line (state, settings key, the
# error it reports), the headline cards, the controls' readouts, and the start of its text.
SHOWN = {"status": ".titlesim-status", "banner": ".titlesim-banner", "message": ".titlesim-message",
         "headlines": ".titlesim-results .titlesim-value", "readouts": ".widget-readout"}


def page_report(page, log: Path | None = None, since: float | None = None) -> str:
    """What the page showed, what its server logged last, and when (for a failure message)."""
    lines = [f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
             + (f"; failed after {time.monotonic() - since:.0f} s" if since else "")]
    try:
        for name, selector in SHOWN.items():
            found = page.eval_on_selector_all(selector, """els => els.map(e => {
                const s = e.querySelector('[data-state]');
                const d = s ? `[state=${s.dataset.state}${s.dataset.key ? ' key=' + s.dataset.key : ''}] ` : '';
                return d + e.innerText; })""")
            lines.append(f"page {name}: " + " | ".join(" ".join(f.split()) for f in found)[:600])
        lines.append("page text: " + " ".join(page.inner_text("body", timeout=5_000).split())[:800])
    except Exception as exc:  # a page that is gone or hangs says so
        lines.append(f"page not readable: {type(exc).__name__}: {exc}"[:400])
    if log is not None and log.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        lines.append(f"last lines of {log.name}:\n  " + "\n  ".join(tail))
    if log is not None:
        lines.append(stacks(log))
    return "\n".join(lines)


@contextlib.contextmanager
def explained(page, log: Path | None = None):
    """Re-raise a failure (a timeout, an assertion) within the block with what the page
    showed then, what its server logged last, and how long the block had run."""
    since = time.monotonic()
    try:
        yield
    except Exception as exc:
        raise AssertionError(f"{type(exc).__name__}: {exc}\n{page_report(page, log, since)}") from exc
