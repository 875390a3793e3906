"""The background run behind the plan, compare and report buttons: one run at a time, the
notebook's thread free meanwhile, and a way to wait for the end."""
from __future__ import annotations

import threading

from titlesim.ui.background import BackgroundRun, status_html


def test_a_second_click_during_a_run_starts_nothing_and_wait_sees_the_end():
    gate, calls = threading.Event(), []

    def work(label):
        calls.append(label)
        gate.wait(10)

    run = BackgroundRun(work)
    assert run.start("first") is True and run.running
    assert run.start("second") is False  # under way: the click does nothing
    gate.set()
    assert run.wait(10).running is False
    assert calls == ["first"]
    assert run.start("third") is True  # once it ended, the button starts a new run
    run.wait(10)
    assert calls == ["first", "third"]


def test_waiting_before_any_run_returns_at_once():
    assert BackgroundRun(lambda: None).wait(0.01).running is False


def test_the_status_line_escapes_the_text_and_names_its_state():
    text = status_html("<b>1 < 2</b>", "error", "#b5442c")
    assert "data-state='error'" in text and "&lt;b&gt;1 &lt; 2&lt;/b&gt;" in text and "<b>" not in text
