"""First start without a database: the demo is built at once, clearly labelled."""

from __future__ import annotations

from vtdata.bootstrap import ensure_database
from vtdata.queries import open_database


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
