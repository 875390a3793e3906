"""Debounced, latest-only background work.

Controls fire many changes (a slider dragged, a key held down). Each change is
*submitted*; one background thread runs the job on the latest request only. A change that
comes alone starts at once; a change that follows another within ``delay`` seconds is part
of a burst, and waits until the changes have paused for ``delay`` seconds. A job learns
that a newer request has come through ``is_current()`` and should stop (raise
:class:`~titlesim.ui.runner.Superseded`) so that the newer one starts. The notebook's own thread only records requests, so
it stays free to receive the next change.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from titlesim.ui.runner import Superseded

Job = Callable[[Any, Callable[[], bool]], None]


class LatestOnlyWorker:
    def __init__(self, job: Job, delay: float = 0.05,
                 on_error: Callable[[BaseException], None] | None = None):
        self.job, self.delay, self.on_error = job, delay, on_error
        self._cond = threading.Condition()
        self._pending: tuple[int, Any] | None = None
        self._latest = 0
        self._busy = False
        self._closed = False
        self._last_submit = float("-inf")
        self._burst = False
        self.errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._loop, name="titlesim-whatif", daemon=True)
        self._thread.start()

    def submit(self, request: Any) -> int:
        """Queue ``request``, replacing any request not yet started; returns its ticket."""
        with self._cond:
            self._latest += 1
            self._pending = (self._latest, request)
            now = time.monotonic()
            self._burst = now - self._last_submit < self.delay
            self._last_submit = now
            self._cond.notify_all()
            return self._latest

    def is_current(self, ticket: int) -> bool:
        return ticket == self._latest

    def idle(self) -> bool:
        with self._cond:
            return self._pending is None and not self._busy

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every submitted request is done or dropped; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy
                                       or self._closed, timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed:
                    return
                # debounce: a burst starts only once the changes have paused for `delay` s
                while self._burst and (quiet := self._last_submit + self.delay - time.monotonic()) > 0:
                    self._cond.wait(quiet)
                ticket, request = self._pending
                self._pending, self._busy = None, True
            try:
                self.job(request, lambda: self.is_current(ticket))
            except Superseded:
                pass
            except Exception as exc:  # shown to the user by on_error; the worker carries on
                self.errors.append(exc)
                if self.on_error:
                    self.on_error(exc)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
