"""The background warm-up never runs beside a page, and never under AppTest."""

from __future__ import annotations

import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

from vtdata.ui import warmup


def test_warm_up_waits_while_a_page_runs():
    passed = threading.Event()

    def warm_step():
        warmup._wait_until_idle()
        passed.set()

    with warmup.page_running():
        worker = threading.Thread(target=warm_step, daemon=True)
        worker.start()
        assert not passed.wait(0.3), "the warm-up went on while a page was running"
        with warmup.page_running():  # a second session's run keeps it waiting after the first ends
            pass
        assert not passed.wait(0.1)
    assert passed.wait(5), "the warm-up did not go on once no page was running"
    worker.join(5)


def test_no_warm_up_under_apptest(demo_db, monkeypatch):
    started = []
    monkeypatch.setattr(warmup, "_started", set())  # as in a fresh process
    monkeypatch.setattr(warmup, "_warm", lambda version: started.append(version))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    for thread in list(warmup._threads):
        thread.join(5)
    assert started == []
