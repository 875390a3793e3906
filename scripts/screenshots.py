"""Screenshots for docs/guide.md: the baseline report and the what-if page, in Chinese,
taken with Debian's Chromium through Playwright's client (headless, never a downloaded
browser), from a fresh working folder made by ``titlesim init``.

    .venv/bin/python scripts/screenshots.py        # writes docs/images/report.png, whatif.png

Takes a minute or two: one full baseline report, the what-if page served by ``titlesim serve``
on 127.0.0.1 (stopped by its process id when done).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
ENV = dict(os.environ, TITLESIM_LANG="zh")


def titlesim(*args, cwd: Path) -> str:
    done = subprocess.run([str(BIN / "titlesim"), *args], cwd=cwd, env=ENV, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    """Voilà runs the notebook on every page load: readiness is the open port, not a fetch."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"titlesim serve exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"titlesim serve did not open port {port}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="titlesim-shots-")) / "职称模拟"
    titlesim("init", str(work), cwd=work.parent)
    html = work / titlesim("report", "scenarios/baseline-2022.yaml", cwd=work)

    port = free_port()
    log = open(work / "serve.log", "w")
    server = subprocess.Popen([str(BIN / "titlesim"), "serve", "--port", str(port)], cwd=work, env=ENV,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(html.as_uri())
            page.screenshot(path=str(IMAGES / "report.png"))
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.goto(f"http://127.0.0.1:{port}/voila/render/whatif.ipynb", timeout=180_000)
            page.wait_for_selector(".titlesim-status [data-state=full]", timeout=180_000)
            page.screenshot(path=str(IMAGES / "whatif.png"))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: the server and its kernel
        server.wait(timeout=30)
        log.close()
    for name in ("report.png", "whatif.png"):
        print(IMAGES / name)


if __name__ == "__main__":
    main()
