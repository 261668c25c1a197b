"""First start without a database: the demo is built at once, clearly labelled."""

from __future__ import annotations

import pytest

from tests.databases import published_copy
from tests.fake_statline import FakeStatLine
from tests.statline_samples import build_snapshot
from vtdata.storage.bootstrap import ensure_database, retry_statline_in_background
from vtdata.model.catalog import TABLES
from vtdata.storage.queries import open_database
from vtdata.storage.refresh import refresh


def test_unreachable_statline_gives_labelled_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("VTDATA_STATLINE_URL", "http://127.0.0.1:9")
    db = tmp_path / "vtdata.duckdb"
    message = ensure_database(db)
    assert "niet bereikbaar" in message and "demonstratiegegevens" in message
    database = open_database(db)
    assert database.is_demo and len(database.tables()) == 11  # the ten tables and the population
    # a second start finds the database and leaves it alone
    version = db.resolve()
    assert ensure_database(db) is None
    assert db.resolve() == version


# --- a later start that still holds demo data ------------------------------------------


@pytest.fixture()
def small_statline(monkeypatch):
    """A fake StatLine with all ten tables, each a few topics only (a refresh takes seconds)."""
    snapshots = [build_snapshot(table_id, categories=None, n_topics=2) for table_id in TABLES]
    with FakeStatLine(snapshots) as server:
        monkeypatch.setenv("VTDATA_STATLINE_URL", server.url)  # the refresh subprocess inherits it
        yield server


def test_later_start_on_demo_data_fetches_statline_once(tmp_path, small_statline):
    db = tmp_path / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=["84853NED"])
    assert open_database(db).is_demo

    retry = retry_statline_in_background(db)
    assert retry is not None
    retry.thread.join(timeout=120)
    assert retry.process is not None, "StatLine answered, so a refresh should have started"
    assert retry.process.wait(timeout=600) == 0, (db.parent / "refresh.log").read_text()
    assert not open_database(db).is_demo
    assert len(open_database(db).tables()) == 10
    # once per server start: asking again does nothing
    assert retry_statline_in_background(db) is None


def test_retry_does_not_wait_for_statline(tmp_path, small_statline):
    db = tmp_path / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=["84853NED"])
    small_statline.inject("/TableInfos", "slow", times=None, delay=60.0)
    retry = retry_statline_in_background(db)
    # returned while the probe still waits for the (held) answer
    assert retry.thread.is_alive()
    small_statline.stop()  # drops the held request: the probe fails, nothing is started
    retry.thread.join(timeout=60)
    assert retry.process is None
    assert open_database(db).is_demo


def test_no_retry_after_building_the_database_in_this_process(tmp_path, monkeypatch):
    db = tmp_path / "vtdata.duckdb"
    assert ensure_database(db)  # first start: demo built, StatLine (closed port) asked
    assert retry_statline_in_background(db) is None


def test_a_page_on_demo_data_renders_while_statline_is_retried(demo_db, tmp_path, small_statline, monkeypatch):
    import threading
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    db = published_copy(demo_db, tmp_path / "vtdata.duckdb")
    monkeypatch.setenv("VTDATA_DB", str(db))
    small_statline.inject("/TableInfos", "slow", times=None, delay=60.0)
    app = Path(__file__).resolve().parents[1] / "streamlit_app.py"
    at = AppTest.from_file(str(app), default_timeout=240).run()
    assert not at.exception
    assert any("Demonstratiegegevens" in str(w.value) for w in at.warning)
    # the page is done while the StatLine probe is still held by the server
    retries = [t for t in threading.enumerate() if t.name == "vtdata-statline-retry"]
    assert retries and all(t.is_alive() for t in retries)
    small_statline.stop()
    for thread in retries:
        thread.join(timeout=60)
