"""Refresh end to end: real cbsodata against the fake StatLine, a real DuckDB file.

The published database must survive every failure exactly as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.fake_statline import FakeStatLine
from vtdata.storage import store
from vtdata.source.demo import build_demo_snapshots
from vtdata.storage.queries import open_database
from vtdata.storage.refresh import refresh

# Two small tables keep these tests quick; the full set is covered by the demo tests.
TABLE_IDS = ["85361NED", "84853NED"]


@pytest.fixture(scope="module")
def snapshots():
    return build_demo_snapshots(TABLE_IDS)


@pytest.fixture()
def server(snapshots, monkeypatch):
    with FakeStatLine(snapshots, page_size=2_000) as fake:
        monkeypatch.setenv("VTDATA_STATLINE_URL", fake.url)
        yield fake


@pytest.fixture()
def published(tmp_path, server):
    """A database already published from the fake server."""
    db = tmp_path / "vtdata.duckdb"
    refresh(source="statline", db=db, table_ids=TABLE_IDS)
    return db


def fingerprint(db: Path) -> tuple:
    """What a reader of the published database sees: its file, bytes and figures."""
    target = db.resolve()
    con = duckdb.connect(str(target), read_only=True)
    try:
        cells = con.execute("SELECT count(*), sum(value) FROM observations").fetchone()
        meta = con.execute("SELECT value FROM meta WHERE key = 'refreshed_at'").fetchone()
    finally:
        con.close()
    return target, target.stat().st_size, cells, meta


def leftovers(db: Path) -> list[Path]:
    return sorted(store.versions_dir(db).glob("*.part*"))


def test_refresh_holds_exactly_the_servers_cells(published, snapshots):
    db = open_database(published)
    assert db.meta()["source"] == "statline"
    for snapshot in snapshots:
        cells = db.observations(snapshot.table_id)
        dims = snapshot.dimension_keys
        categories = db.dimensions(snapshot.table_id)["key"].tolist()
        by_key = {
            (row["region"], row["period"], *[row[d] for d in categories], row["measure"]): row
            for row in cells.to_dict("records")
        }
        assert len(by_key) == len(snapshot.rows) * len(snapshot.topic_keys)
        for source_row in snapshot.rows:
            key_prefix = tuple(source_row[d].strip() for d in dims if d not in ("RegioS", "Perioden"))
            for topic in snapshot.topic_keys:
                got = by_key[(source_row["RegioS"].strip(), source_row["Perioden"].strip(), *key_prefix, topic)]
                expected = source_row[topic]
                if expected is None:
                    assert got["suppressed"] and got["value"] != got["value"]  # NaN, never 0
                else:
                    assert not got["suppressed"] and got["value"] == expected


@pytest.mark.parametrize("kind", ["http500", "drop", "malformed", "truncated"])
def test_failed_download_leaves_published_database_untouched(published, server, kind, monkeypatch):
    monkeypatch.setenv("VTDATA_STATLINE_RETRIES", "1")
    before = fingerprint(published)
    server.inject("TypedDataSet", kind, times=None)
    with pytest.raises(Exception) as failure:
        refresh(source="statline", db=published, table_ids=TABLE_IDS)
    assert "\n" not in str(failure.value)
    assert fingerprint(published) == before
    assert leftovers(published) == []
    assert open_database(published).observations("84853NED", regions=["NL01"]).shape[0] > 0


def test_parts_larger_than_their_total_are_published_and_reported(published, server, snapshots):
    """Statistical structure we did not expect is no corruption: published, one warning line, no shares."""
    broken = build_demo_snapshots(["84853NED"])[0]
    part = next(c["Key"] for c in broken.entities["UitkomstenOnderzoek"] if not c["Title"].startswith("Totaal"))
    topic = broken.topic_keys[0]
    for row in broken.rows:
        if row["RegioS"].strip() == "NL01" and row["UitkomstenOnderzoek"] == part and row[topic] is not None:
            row[topic] = row[topic] * 1000  # a part larger than its national total
    server.set_table(broken)
    result = refresh(source="statline", db=published, table_ids=TABLE_IDS)
    assert not result.skipped
    assert [w.split(":")[0] for w in result.warnings] == ["84853NED"]
    assert "groter dan het totaal" in result.warnings[0] and "\n" not in result.warnings[0]
    assert open_database(published).structure_notes("84853NED") == result.warnings


def test_corrupt_data_is_not_published(published, server, snapshots):
    before = fingerprint(published)
    broken = build_demo_snapshots(["84853NED"])[0]
    broken.entities["Perioden"] = broken.entities["Perioden"][:-1]  # cells of a period the table does not list
    server.set_table(broken)
    with pytest.raises(Exception) as failure:
        refresh(source="statline", db=published, table_ids=TABLE_IDS)
    assert "\n" not in str(failure.value)
    assert fingerprint(published) == before
    assert leftovers(published) == []


def test_if_stale_downloads_only_changed_tables(published, server, snapshots):
    result = refresh(source="statline", db=published, if_stale=True, table_ids=TABLE_IDS)
    assert result.skipped and set(result.kept) == set(TABLE_IDS)

    newer = build_demo_snapshots(["84853NED"])[0]
    newer.entities["TableInfos"][0]["Modified"] = "2099-04-30T02:00:00"
    server.set_table(newer)
    before = server.requests_for("TypedDataSet", "85361NED")
    result = refresh(source="statline", db=published, if_stale=True, table_ids=TABLE_IDS)
    assert result.downloaded == ["84853NED"] and result.kept == ["85361NED"]
    assert server.requests_for("TypedDataSet", "85361NED") == before
    db = open_database(published)
    assert set(db.tables()["table_id"]) == set(TABLE_IDS)
    assert db.tables().set_index("table_id").loc["84853NED", "modified"] == "2099-04-30T02:00:00"
    assert len(db.observations("85361NED")) == len(snapshots[0].rows) * len(snapshots[0].topic_keys)


def test_reader_keeps_working_while_a_refresh_publishes(published):
    errors, reads = [], []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                db = open_database(published)
                reads.append((db.version, len(db.observations("84853NED", regions=["NL01"]))))
            except Exception as exc:  # pragma: no cover - the assertion reports it
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(2):
            refresh(source="statline", db=published, table_ids=TABLE_IDS)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert len({version for version, _ in reads}) >= 2  # it saw the new versions appear
    assert len({count for _, count in reads}) == 1


# The refresh CLI, held in its build step -- the new version's .part file written, not yet
# published -- until it is killed; the marker file says it got there, so the kill lands mid-write
# however slow the machine (no race between the signal and the build finishing).
HELD_BUILD = """
import sys, threading
from vtdata import cli
from vtdata.storage import refresh

def held_validate(con, table_ids):
    open(sys.argv[1], "w").close()
    threading.Event().wait()

refresh.validate = held_validate
sys.exit(cli.main(sys.argv[2:]))
"""


def test_killed_refresh_leaves_old_version_and_is_cleaned_up(published, server, tmp_path):
    before = fingerprint(published)
    marker = tmp_path / "build-held"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-c", HELD_BUILD, str(marker), "refresh", "--db", str(published), "--quiet"]
        + [arg for table in TABLE_IDS for arg in ("--table", table)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists() and proc.poll() is None, "the refresh did not reach its build step"
        assert leftovers(published), "no .part file while the new version is built"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert fingerprint(published) == before
    refresh(source="statline", db=published, table_ids=TABLE_IDS)
    assert leftovers(published) == []
    assert fingerprint(published)[0] != before[0]


def test_demo_refresh_is_marked_demo(tmp_path):
    db = tmp_path / "demo.duckdb"
    refresh(source="demo", db=db, table_ids=TABLE_IDS)
    assert open_database(db).is_demo


def test_two_refreshes_at_once_are_refused(published):
    with store.refresh_lock(published):
        with pytest.raises(store.StoreError, match="al een verversing"):
            refresh(source="statline", db=published, table_ids=TABLE_IDS)
