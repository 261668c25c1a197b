"""Every metadata set in `tests/metadata/` must give every theme a non-empty, uniquely labelled page.

A set is what `vtdata metadata --output DIR` writes (one JSON file per table,
no data). The sets here: `real-structure-groups` / `real-structure-no-groups`
(the titles checked on the real tables, with and without CategoryGroups,
written by the command from `tests/statline_real_samples.py`) and
`cbs-conventions`. When someone with internet runs the command against the real
StatLine, copying its folder here adds the real metadata to this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.fake_statline import FakeStatLine
from tests.statline_real_samples import real_snapshots
from vtdata.storage import loader
from vtdata.model.catalog import TABLES, THEMES
from vtdata.source.metadata import read_metadata_set, snapshot_from_metadata
from vtdata.storage.queries import open_database
from vtdata.model.theme_report import theme_report

ROOT = Path(__file__).resolve().parents[1]
SETS = sorted(p for p in (ROOT / "tests" / "metadata").iterdir() if p.is_dir())


def _database(metadata: dict, path: Path):
    con = duckdb.connect(str(path))
    try:
        loader.create_schema(con)
        for table_id, entities in metadata.items():
            loader.load_snapshot(con, snapshot_from_metadata(table_id, entities))
        loader.derive_regions_and_periods(con)
    finally:
        con.close()
    return open_database(path)


def test_there_are_metadata_sets():
    assert {p.name for p in SETS} >= {"real-structure-groups", "real-structure-no-groups"}


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_each_theme_shows_a_uniquely_labelled_set_of_categories(folder, tmp_path):
    metadata = read_metadata_set(folder)
    assert set(metadata) == set(TABLES)
    db = _database(metadata, tmp_path / "meta.duckdb")
    for theme in THEMES:
        report = theme_report(db, theme)
        assert report.empty_reason is None, (theme.slug, report.empty_reason)
        for table in report.tables:
            parts = [c for c in table.categories if c["role"] != "total"]
            assert parts, (theme.slug, table.table_id)
            for view in table.views:  # one view is on screen at a time: its labels must differ
                labels = [c["label"] for c in view.categories]
                assert len(labels) == len(set(labels)), (theme.slug, table.table_id, labels)
    # nothing silently dropped: each category of a shared table is on some theme's page
    for table_id in ("84848NED", "84849NED"):
        shown = {c["key"] for t in THEMES for tb in theme_report(db, t).tables if tb.table_id == table_id
                 for c in tb.categories}
        dims = [k for k in db.dimensions(table_id)["key"]]
        assert shown == {k for d in dims for k in db.categories(table_id, d)["key"]}


def test_the_metadata_command_writes_what_the_server_sends(tmp_path):
    out = tmp_path / "set"
    snapshots = real_snapshots(groups=True)
    with FakeStatLine(snapshots) as server:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "VTDATA_STATLINE_URL": server.url, "VTDATA_STATLINE_RETRIES": "0"}
        done = subprocess.run([sys.executable, "-m", "vtdata", "metadata", "--output", str(out), "--table", "84849NED",
                               "--table", "85361NED"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Metadata van 2 tabellen geschreven naar {out}."
    written = {p.name for p in out.iterdir()}
    assert written == {"84849NED.json", "85361NED.json"}  # no temporary files left
    doc = json.loads((out / "84849NED.json").read_text(encoding="utf-8"))
    source = next(s for s in snapshots if s.table_id == "84849NED")
    assert "TypedDataSet" not in doc["entities"] and "UntypedDataSet" not in doc["entities"]
    for name in ("TableInfos", "DataProperties", "CategoryGroups", "KenmerkenAdviezenMeldingen", "RegioS", "Perioden"):
        assert doc["entities"][name] == source.entities[name], name


def test_the_metadata_command_says_one_line_when_statline_is_down(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VTDATA_STATLINE_URL": "http://127.0.0.1:9",
           "VTDATA_STATLINE_RETRIES": "0"}
    done = subprocess.run([sys.executable, "-m", "vtdata", "metadata", "--output", str(tmp_path / "x")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("Fout:")
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
