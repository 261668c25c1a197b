"""Hardening (issue 12) in the app: AppTest runs on real database files.

A read-only deployment serves pages, a broken database file gives a Dutch
message, credentials never reach the colofon, a repeated `region=` is noted and
reduced to one, and the caches keep no entries of old database versions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.mounts import read_only_mount, unmount
from vtdata.storage import store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
TIMEOUT = 120
SECRET = "s3cr3t-pass"


def run_app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in at.get(kind)]


def assert_page_works(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert texts(at, "error") == []
    assert at.title, "the page drew its title"


@pytest.fixture()
def serve(monkeypatch):
    """Point the app at a database path, without building one on first start."""
    monkeypatch.setenv("VTDATA_AUTO_BUILD", "0")

    def point_at(path: Path) -> None:
        monkeypatch.setenv("VTDATA_DB", str(path))

    return point_at


def test_read_only_deployment_serves_every_page_kind(demo_db, tmp_path, serve):
    assert store.lock_path(demo_db).exists()  # left by the refresh that built it
    mounted = tmp_path / "readonly"
    reason = read_only_mount(demo_db.parent, mounted)
    if reason:
        pytest.skip(f"cannot make a read-only file system here ({reason}); see test_lock_file_the_app_cannot_open")
    try:
        serve(mounted / demo_db.name)
        for page in (None, "app_pages/colofon.py", "app_pages/veiligheid.py"):
            assert_page_works(run_app({"region": "GM0363"}, page))
    finally:
        unmount(mounted)


def test_lock_file_the_app_cannot_open(demo_db, tmp_path, serve):
    db = tmp_path / "vtdata.duckdb"
    db.symlink_to(demo_db.resolve())
    store.lock_path(db).mkdir()  # opening it fails, as on a read-only file system
    serve(db)
    assert_page_works(run_app())


def test_database_with_only_meta_gives_a_dutch_message(tmp_path, serve):
    db = tmp_path / "meta-only.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR); INSERT INTO meta VALUES ('source', 'demo')")
    con.close()
    serve(db)
    at = run_app()
    assert not at.exception
    errors = texts(at, "error")
    assert any("kan niet worden gelezen" in e and "python -m vtdata refresh" in e for e in errors), errors


@pytest.mark.parametrize("password", [SECRET, "a b/c#d?e@f%g"])
def test_colofon_never_shows_credentials(demo_db, tmp_path, serve, password):
    db = tmp_path / f"old-{len(password)}.duckdb"  # the colofon is cached per version name
    shutil.copyfile(demo_db.resolve(), db)
    con = duckdb.connect(str(db))  # a database written before user info was stripped
    con.execute("UPDATE meta SET value = ? WHERE key = 'statline_url'", [f"https://reader:{password}@mirror.example"])
    con.execute("UPDATE meta SET value = 'statline' WHERE key = 'source'")
    con.close()
    serve(db)
    at = run_app(page="app_pages/colofon.py")
    assert not at.exception
    shown = "\n".join(texts(at, "markdown") + texts(at, "caption") + texts(at, "info"))
    assert "https://mirror.example" in shown
    assert password not in shown and "reader" not in shown


def test_repeated_region_is_noted_and_reduced_to_one(demo_db):
    at = run_app({"region": ["GM0363", "GM0599"], "period": "2023HJ01"})
    assert not at.exception
    infos = texts(at, "info")
    assert any("`region` 2 keer" in i and "laatste" in i for i in infos), infos
    assert at.sidebar.selectbox[0].value == "GM0599"
    assert at.query_params["region"] == "GM0599"  # one value left in the URL
    assert at.query_params["period"] == "2023HJ01"


def test_caches_drop_entries_of_old_versions(tmp_path, monkeypatch):
    from vtdata.storage.queries import Database
    from vtdata.storage.refresh import refresh
    from vtdata.ui import data

    db = tmp_path / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=["84853NED"])
    monkeypatch.setenv("VTDATA_DB", str(db))
    monkeypatch.setenv("VTDATA_AUTO_BUILD", "0")
    calls = []
    real_tables = Database.tables

    def counted(self):
        calls.append(self.version)
        return real_tables(self)

    monkeypatch.setattr(Database, "tables", counted)
    first = data.get_db().version
    data.tables()
    data.tables()
    assert calls == [first]  # the second call came from the cache

    refresh(source="demo", db=db, table_ids=["84853NED"])
    second = data.get_db().version
    assert second != first
    data.tables()
    assert calls == [first, second]
    data._tables(first)  # its entry was dropped with the version: computed again
    assert len(calls) == 3
