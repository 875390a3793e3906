"""Where a page's kernel is stuck: every thread's stack on request.

When ``TITLESIM_STACKS`` names a file, a page's kernel (and its helper process) writes
the stack of each of its threads to that file whenever it receives the signal SIGUSR1
(``kill -USR1 <pid>``), and goes on running. A page that shows "计算中……" and never
changes can then be looked into without stopping it (docs/serve.md, 排查).
"""
from __future__ import annotations

import faulthandler
import os
import signal

ENV_STACKS = "TITLESIM_STACKS"
LISTENING = "titlesim: stacks on SIGUSR1 from process"
_files: list = []  # kept open: faulthandler writes to the file's descriptor


def dump_on_signal() -> bool:
    """Register the dump (once per process) when ``TITLESIM_STACKS`` is set; True then."""
    path = os.environ.get(ENV_STACKS, "").strip()
    if not path or not hasattr(signal, "SIGUSR1"):
        return False
    if not _files:
        try:
            _files.append(open(path, "a", encoding="utf-8"))
        except OSError as exc:
            from titlesim.errors import InputError, Problem
            from titlesim.i18n import msg
            raise InputError(Problem(msg("stacks.cannot_write", error=exc.strerror or str(exc)),
                                     file=path, key=ENV_STACKS,
                                     expected=msg("stacks.expected"))) from None
        faulthandler.register(signal.SIGUSR1, file=_files[0], all_threads=True, chain=False)
        _files[0].write(f"{LISTENING} {os.getpid()}\n")  # which processes to signal
        _files[0].flush()
    return True


def listening(path) -> list[int]:
    """The processes that dump their stacks into ``path`` on SIGUSR1."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return [int(line.split()[-1]) for line in f if line.startswith(LISTENING)]
