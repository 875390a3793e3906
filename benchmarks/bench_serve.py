"""Memory per visitor of ``titlesim serve`` (not a test: run by hand, figures go in
docs/serve.md).

    .venv/bin/python benchmarks/bench_serve.py --visitors 3

Starts ``titlesim serve`` on loopback, opens the what-if page in ``--visitors`` Chromium
tabs one after another (the baseline: 25,000 people, 10 years, 20 replicates), waits for
each page's full result, then reports each kernel's resident and unique memory (RSS, USS)
and the server's own; with ``--changes N``, moves the ratio slider N steps on the first
page (each to its full result) and reports that kernel's memory again (the cache of
settings grows with use). Then closes the tabs and reports how long until the kernels are
gone.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import chromium, free_port, kernel_processes, server  # noqa: E402


def mb(x: float) -> str:
    return f"{x / 2**20:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=3)
    parser.add_argument("--set", default="", help="TITLESIM_WHATIF_SET for a smaller trial")
    parser.add_argument("--changes", type=int, default=0, help="slider steps on the first page")
    args = parser.parse_args()
    import os

    import psutil
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    shutil.copytree(ROOT / "scenarios", work / "scenarios")
    port = free_port()
    env = dict(os.environ, TITLESIM_WHATIF_SET=args.set)
    command = [sys.executable, "-m", "titlesim", "serve", f"--port={port}",
               f"--max-visitors={args.visitors + 1}", "--scenarios", str(work / "scenarios"),
               "--workspace", str(work)]
    with server(command, port, work / "serve.log", env=env, cwd=work) as process, chromium() as browser:
        pages = []
        for i in range(args.visitors):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/voila/render/whatif.ipynb", timeout=300_000)
            page.wait_for_selector(".titlesim-status [data-state=full]", timeout=600_000)
            print(f"visitor {i + 1}: full result shown {time.perf_counter() - started:.1f} s after opening")
            pages.append(page)
        kernels = kernel_processes(process.pid)
        for k in kernels:
            info = k.memory_full_info()
            print(f"kernel {k.pid}: RSS {mb(info.rss)}, USS {mb(info.uss)}")
        server_info = psutil.Process(process.pid).memory_full_info()
        print(f"server: RSS {mb(server_info.rss)}, USS {mb(server_info.uss)}")
        if args.changes:
            page = pages[0]
            page.focus(".titlesim-control-passline-ratio .noUi-handle")
            for step in range(args.changes):
                before = page.inner_text(".titlesim-status")
                page.keyboard.press("ArrowRight")  # a ratio not seen before: nothing cached
                page.wait_for_function("old => document.querySelector('.titlesim-status').innerText !== old",
                                       arg=before, timeout=600_000)
                page.wait_for_selector(".titlesim-status [data-state=full]", timeout=600_000)
            k = max(kernels, key=lambda k: k.memory_full_info().rss)
            info = k.memory_full_info()
            print(f"after {args.changes} changes: kernel {k.pid}: RSS {mb(info.rss)}, USS {mb(info.uss)}")
        for page in pages:
            page.close()
        started = time.perf_counter()
        while kernel_processes(process.pid):
            time.sleep(1)
        print(f"all kernels released {time.perf_counter() - started:.0f} s after the pages closed")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
