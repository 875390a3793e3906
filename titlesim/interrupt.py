"""Ctrl-C and SIGTERM at any moment: one line, exit 130 or 143, nothing half-written.

SIGINT arrives as Python's ``KeyboardInterrupt`` and SIGTERM is turned into
:class:`Terminated`; both unwind through the writers' ``with`` blocks, which remove their
temporary folders (:mod:`titlesim.runfolder`). The command line then stops the
processes this command started (a Papermill kernel, Dask workers), says one line and
leaves at once, so no background thread of a dying kernel prints a traceback.
What a SIGKILL leaves is removed by ``titlesim runs --clean``.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading

EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that cleanups run as for Ctrl-C."""


def early() -> None:
    """While the command line starts (nothing is written yet): Ctrl-C or SIGTERM leave at
    once with the one line. :func:`install` takes over when the command runs.

    A worker process the command started (a local Dask worker) imports this module too:
    it is given the command's arguments while it loads the command's main module. Ctrl-C
    in a terminal reaches every process of the command; the command says the one line
    and stops its workers (:func:`stop`), so a worker ignores Ctrl-C: no second line, no
    traceback of its own, and no worker gone before the command has silenced what it
    would log about that."""
    if threading.current_thread() is not threading.main_thread():
        return
    if _in_worker():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return
    signal.signal(signal.SIGINT, lambda *_: _leave(EXIT_INTERRUPTED, "interrupted"))
    signal.signal(signal.SIGTERM, lambda *_: _leave(EXIT_TERMINATED, "terminated"))


def _in_worker() -> bool:
    """A process started by multiprocessing: while it loads its parent's main module
    (``__mp_main__``), or once it runs (it has a parent process)."""
    started_by = sys.modules.get("multiprocessing")
    return "__mp_main__" in sys.modules or (
        started_by is not None and started_by.parent_process() is not None)


def stop_line(key: str) -> str:
    """The one line said when the command stops (``interrupted``, ``terminated``)."""
    try:
        from titlesim.i18n import msg
        return msg("cli.stopped", text=msg(key))
    except Exception:  # the catalogue not readable yet
        return f"titlesim: {key}"


def _leave(code: int, key: str) -> None:
    print(stop_line(key), file=sys.stderr, flush=True)
    os._exit(code)


_notes: list[str] = []  # said after the line when the command stops (note_on_stop)


def note_on_stop(text: str) -> None:
    """Say ``text`` after the one line if the command is stopped (what an interrupted
    writer kept, and how to go on from it)."""
    _notes.append(text)


_command = False  # this process is a command (install): an interrupt ends it


def install() -> None:
    """Turn SIGTERM into :class:`Terminated` (in the main thread only)."""
    global _command
    _command = True
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _on_sigterm)


def _on_sigterm(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once is enough
    raise Terminated()


def quiet_from_now() -> None:
    """In a command being stopped: nothing is logged from here on. Called where Ctrl-C or
    SIGTERM unwinds through work whose background threads log as it closes (a Dask
    client closing under way: its event loop reports the connections it loses), before
    the closing starts; :func:`stop` then says the one line. Elsewhere (a notebook)
    the logs are left as they are."""
    if _command:
        logging.disable(logging.CRITICAL)


def stop(code: int, line: str) -> None:
    """Ignore further signals, stop this process's children, print ``line``, exit ``code``."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except ValueError:  # not the main thread
            pass
    threading.excepthook = lambda args: None  # a dying kernel's threads say nothing
    logging.disable(logging.CRITICAL)  # nor does a scheduler whose workers are stopped
    stop_children()
    sys.stdout.flush()
    print(line, file=sys.stderr, flush=True)
    for note in _notes:
        print(note, file=sys.stderr, flush=True)
    os._exit(code)


def stop_children(grace: float = 3.0) -> None:
    """Terminate the processes this one started (by id), then kill those still there."""
    try:
        import psutil
        children = psutil.Process().children(recursive=True)
    except Exception:  # no psutil, or the table of processes unreadable: nothing to stop
        return
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
