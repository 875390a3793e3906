"""One run at a time in a background thread, and the status line that reports on it.

A button starts a long run (a plan, a comparison, a report) without blocking the notebook's
own thread, which must stay free to receive the next click and to send the widgets'
updates; a second click while the run is under way does nothing. Tests and scripts wait
for the run to end.
"""
from __future__ import annotations

import html
import threading
from typing import Callable


class BackgroundRun:
    """Runs ``work`` in a daemon thread when started, at most one at a time.

    >>> done = []
    >>> run = BackgroundRun(lambda: done.append(1))
    >>> run.start(), run.wait().running, done
    (True, False, [1])
    """

    def __init__(self, work: Callable[..., object], name: str = "titlesim-run"):
        self.work, self.name = work, name
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, *args) -> bool:
        """Start ``work(*args)`` unless a run is under way; True when it started."""
        if self.running:
            return False
        self._thread = threading.Thread(target=self.work, args=args, name=self.name, daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> "BackgroundRun":
        """Block until the run ends (or ``timeout`` seconds pass)."""
        if self._thread:
            self._thread.join(timeout)
        return self


def status_html(text: str, state: str, color: str) -> str:
    """A status line whose ``data-state`` tells tests and the page's style what it says
    (running, done, error ...)."""
    return (f"<span class='titlesim-state' data-state='{html.escape(state, quote=True)}' "
            f"style='color:{color}'>{html.escape(text)}</span>")
