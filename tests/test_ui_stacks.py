"""A page's kernel that seems stuck can be asked where it is: with ``TITLESIM_STACKS`` set,
SIGUSR1 makes the process write every thread's stack to that file, and it runs on."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from titlesim.ui.stacks import listening

WAITER = """
import threading, time
from titlesim.ui.stacks import dump_on_signal
assert dump_on_signal()
def stuck_in_a_wait():
    threading.Event().wait()
threading.Thread(target=stuck_in_a_wait, name="waiter", daemon=True).start()
print("ready", flush=True)
time.sleep(60)
"""


def test_sigusr1_writes_every_threads_stack_and_the_process_runs_on(tmp_path):
    path = tmp_path / "stacks.txt"
    env = dict(os.environ, TITLESIM_STACKS=str(path))
    process = subprocess.Popen([sys.executable, "-c", WAITER], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "ready"
        assert listening(path) == [process.pid]
        os.kill(process.pid, signal.SIGUSR1)
        deadline = time.monotonic() + 30
        while "stuck_in_a_wait" not in path.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        text = path.read_text()
        assert "stuck_in_a_wait" in text and "Current thread" in text  # both threads
        assert process.poll() is None  # still running
    finally:
        process.kill()
        process.wait()


def test_without_the_variable_nothing_is_registered(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TITLESIM_STACKS"}
    out = subprocess.run([sys.executable, "-c", "from titlesim.ui.stacks import dump_on_signal; print(dump_on_signal())"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_stacks_file_that_cannot_be_written_is_refused_naming_the_variable_and_the_path(tmp_path, monkeypatch):
    import pytest

    from titlesim.errors import InputError
    from titlesim.ui import stacks
    missing = tmp_path / "no-such-folder" / "stacks.txt"
    monkeypatch.setenv("TITLESIM_STACKS", str(missing))
    monkeypatch.setattr(stacks, "_files", [])  # not registered yet in this process
    with pytest.raises(InputError) as refused:
        stacks.dump_on_signal()
    text = refused.value.text("zh")
    assert str(missing) in text and "TITLESIM_STACKS" in text and "无法写入调用栈文件" in text
    assert "可以写入的文件路径" in text
