"""Hardening (issue 12), core and CLI: real files, real DuckDB, real cbsodata against the fake StatLine.

Read-only folders, foreign things at VTDATA_DB, credentials in the StatLine URL,
broken database files, hostile keys, trickling servers, SIGTERM, stale publish
links and absurd values: each ends in one clear line, and the published
database stays exactly as it was.
"""

from __future__ import annotations

import base64
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest

from tests.fake_statline import FakeStatLine
from tests.mounts import read_only_mount, unmount
from tests.test_refresh import fingerprint
from vtdata.storage import store
from vtdata.source.demo import build_demo_snapshots
from vtdata.source.identifiers import quote_identifier
from vtdata.storage.loader import LoadError, create_schema, load_snapshot
from vtdata.storage.queries import open_database
from vtdata.storage.refresh import RefreshError, refresh
from vtdata.source.statline import StatLineError
from vtdata.storage.validate import ValidationError

ROOT = Path(__file__).resolve().parents[1]
TABLE_IDS = ["85361NED", "84853NED"]
SLOW_TABLE = "84853NED"
SECRET = "s3cr3t-pass"


def run_cli(*args, env=None, **popen):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "VTDATA_AUTO_BUILD": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "vtdata", *args], capture_output=True, text=True, env=full_env, timeout=120, **popen
    )


def one_line_failure(result) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and lines[0].startswith("Fout:")
    return lines[0]


def table_args() -> list[str]:
    return [arg for table in TABLE_IDS for arg in ("--table", table)]


@pytest.fixture(scope="module")
def snapshots():
    return build_demo_snapshots(TABLE_IDS)


@pytest.fixture()
def server(snapshots, monkeypatch):
    with FakeStatLine(snapshots, page_size=2_000) as fake:
        monkeypatch.setenv("VTDATA_STATLINE_URL", fake.url)
        monkeypatch.setenv("VTDATA_STATLINE_RETRIES", "0")
        yield fake


@pytest.fixture()
def published(tmp_path, server):
    db = tmp_path / "data" / "vtdata.duckdb"
    refresh(source="statline", db=db, table_ids=TABLE_IDS)
    return db


# --------------------------------------------------------------------------- 1. read-only folder


@pytest.fixture()
def read_only_db(published, tmp_path):
    """The published folder, served through a read-only bind mount (skipped where mounting is impossible)."""
    mounted = tmp_path / "readonly"
    reason = read_only_mount(published.parent, mounted)
    if reason:
        pytest.skip(f"cannot make a read-only file system here ({reason}); test_unopenable_lock_file covers the app side")
    try:
        yield mounted / published.name
    finally:
        unmount(mounted)


def test_read_only_folder_is_read_but_not_refreshed(read_only_db, published):
    assert store.lock_path(read_only_db).exists()  # the refresh that published it left its lock file
    with pytest.raises(OSError):
        (read_only_db.parent / "probe").write_text("x")  # truly read-only, even for root
    assert store.refresh_running(read_only_db) is False
    db = open_database(read_only_db)
    assert db.observations("84853NED", regions=["NL01"]).shape[0] > 0
    before = fingerprint(published)
    with pytest.raises(store.StoreError, match="alleen-lezen"):
        refresh(source="demo", db=read_only_db, table_ids=TABLE_IDS)
    line = one_line_failure(run_cli("refresh", "--source", "demo", "--db", str(read_only_db), *table_args()))
    assert "alleen-lezen" in line
    assert fingerprint(published) == before
    status = run_cli("status", "--db", str(read_only_db))
    assert status.returncode == 0 and status.stderr == ""


def test_unopenable_lock_file(published):
    """Where no read-only mount is possible: a lock file nobody can open for writing."""
    lock = store.lock_path(published)
    lock.unlink()
    lock.mkdir()  # open(lock, "a+") now fails as on a read-only file system
    assert store.refresh_running(published) is False
    assert open_database(published).tables().shape[0] == len(TABLE_IDS)


def test_refresh_running_is_seen_without_write_access(published):
    with store.refresh_lock(published):
        assert store.refresh_running(published) is True
    assert store.refresh_running(published) is False


# --------------------------------------------------------------------------- 2. never replace what is not ours


def _plain_file(path: Path) -> None:
    path.write_bytes(b"notes of a colleague, not a database\n")


def _duckdb_file(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR); INSERT INTO meta VALUES ('source', 'demo')")
    con.close()


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("keep me")


def _foreign_link(path: Path) -> None:
    elsewhere = path.parent / "elsewhere.duckdb"
    _duckdb_file(elsewhere)
    path.symlink_to(elsewhere)


def snapshot_of(path: Path) -> tuple:
    """Everything at `path`: kind, link target, and the bytes of every file below it."""
    if path.is_symlink():
        return ("link", os.readlink(path), path.resolve().read_bytes())
    if path.is_dir():
        return ("dir", sorted((p.relative_to(path).as_posix(), p.read_bytes()) for p in path.rglob("*") if p.is_file()))
    return ("file", path.read_bytes())


@pytest.mark.parametrize("make", [_plain_file, _duckdb_file, _directory, _foreign_link], ids=lambda f: f.__name__[1:])
def test_refresh_refuses_to_replace_what_it_did_not_publish(tmp_path, make):
    db = tmp_path / "vtdata.duckdb"
    make(db)
    before = snapshot_of(db)
    for _ in range(3):  # the old code adopted a file and deleted it two refreshes later
        with pytest.raises(store.StoreError, match="niet|geen database") as failure:
            refresh(source="demo", db=db, table_ids=["84853NED"])
        assert "\n" not in str(failure.value) and str(db) in str(failure.value)
    assert snapshot_of(db) == before
    versions = store.versions_dir(db)
    assert not versions.exists() or list(versions.iterdir()) == []
    line = one_line_failure(run_cli("refresh", "--source", "demo", "--db", str(db), "--table", "84853NED"))
    assert "vtdata zelf heeft gepubliceerd" in line
    assert snapshot_of(db) == before


def test_refresh_replaces_its_own_link(published):
    before = fingerprint(published)
    assert store.is_published_link(published)
    refresh(source="demo", db=published, table_ids=TABLE_IDS)
    assert fingerprint(published)[0] != before[0] and store.is_published_link(published)


# --------------------------------------------------------------------------- 3. credentials


# A password may hold any character; each of these ended up in meta and status once.
AWKWARD_PASSWORDS = [SECRET, "pa ss", "pa/ss", "pa#ss", "pa?ss", "p@ss", "100%zeker", "a b/c#d?e@f%g"]


def secret_forms(password: str) -> set[str]:
    return {password, quote(password, safe=""), f"reader:{password}"}


@pytest.mark.parametrize("password", AWKWARD_PASSWORDS)
def test_credentials_never_shown_or_stored(tmp_path, snapshots, password):
    db = tmp_path / "vtdata.duckdb"
    with FakeStatLine(snapshots, page_size=2_000) as fake:
        plain = fake.url
        url = plain.replace("http://", f"http://reader:{password}@")
        result = run_cli("refresh", "--db", str(db), *table_args(), env={"VTDATA_STATLINE_URL": url})
        assert result.returncode == 0, result.stderr
        pages = fake.requests_for("TypedDataSet")
        sent = {r.authorization for r in pages}
    assert len(pages) > 1  # several pages: the next ones follow odata.nextLink, which has no user info
    assert sent == {"Basic " + base64.b64encode(f"reader:{password}".encode()).decode()}  # on every page, intact
    con = duckdb.connect(str(db.resolve()), read_only=True)
    stored = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert stored["statline_url"] == plain  # the host stays, the user info goes
    assert plain in stored["population_missing_reason"]  # the fake has no population table: its URL is named
    shown = [result.stdout + result.stderr, *stored.values()]
    for args in (("status",), ("status", "--json")):
        status = run_cli(*args, "--db", str(db), env={"VTDATA_STATLINE_URL": url})
        assert status.returncode == 0 and plain in status.stdout
        shown.append(status.stdout)
    for text in shown:
        assert not [form for form in secret_forms(password) if form in text], text


def test_credentials_not_in_error_lines(published):
    bad = f"http://reader:{SECRET}@127.0.0.1:9"
    line = one_line_failure(run_cli("refresh", "--db", str(published), "--quiet", env={"VTDATA_STATLINE_URL": bad}))
    assert "127.0.0.1:9" in line and SECRET not in line and "reader" not in line


def test_credentials_of_an_old_database_not_in_status(published):
    con = duckdb.connect(str(published.resolve()))
    con.execute("UPDATE meta SET value = ? WHERE key = 'statline_url'", [f"https://reader:{SECRET}@mirror.example"])
    con.close()
    for args in (("status",), ("status", "--json")):
        shown = run_cli(*args, "--db", str(published))
        assert shown.returncode == 0 and "https://mirror.example" in shown.stdout and SECRET not in shown.stdout


# --------------------------------------------------------------------------- 4. a broken database file


@pytest.fixture()
def meta_only_db(tmp_path) -> Path:
    path = tmp_path / "meta-only.duckdb"
    _duckdb_file(path)
    return path


def test_meta_only_database_gives_a_dutch_line(meta_only_db):
    with pytest.raises(store.StoreError, match="onvolledig .*ontbreekt.*python -m vtdata refresh"):
        open_database(meta_only_db)
    for args in (("status",), ("status", "--json"), ("export", "84853NED")):
        line = one_line_failure(run_cli(*args, "--db", str(meta_only_db)))
        assert "onvolledig" in line and "Exception" not in line


def test_missing_column_is_named(tmp_path, published):
    copy = tmp_path / "no-column.duckdb"
    shutil.copyfile(published.resolve(), copy)
    con = duckdb.connect(str(copy))
    con.execute("ALTER TABLE regions DROP COLUMN level")
    con.close()
    with pytest.raises(store.StoreError, match="kolom regions.level ontbreekt"):
        open_database(copy)


def test_app_never_shows_error_details():
    import tomllib

    from streamlit.config import ShowErrorDetailsConfigOptions as Options

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    value = config["client"]["showErrorDetails"]
    assert value in {o.value for o in Options}  # a value Streamlit accepts
    assert value not in (Options.FULL, Options.STACKTRACE) and not Options.is_true_variation(value)


# --------------------------------------------------------------------------- 5. hostile keys


HOSTILE = "x\" FROM read_text('/etc/hostname') --"


def with_hostile_key(snapshot, kind: str):
    """A copy of `snapshot` whose first topic key, or its category dimension key, is SQL."""
    entities = {name: [dict(row) for row in rows] for name, rows in snapshot.entities.items()}
    prop = next(p for p in entities["DataProperties"] if p["Type"] == kind)
    old = prop["Key"]
    prop["Key"] = HOSTILE
    for row in entities["TypedDataSet"]:
        row[HOSTILE] = row.pop(old)
    if kind == "Dimension":
        entities[HOSTILE] = entities.pop(old)
        for group in entities.get("CategoryGroups", []):
            if group.get("DimensionKey") == old:
                group["DimensionKey"] = HOSTILE
    return type(snapshot)(snapshot.table_id, entities)


@pytest.mark.parametrize("kind", ["Topic", "Dimension"])
def test_hostile_key_from_the_server_is_refused(published, server, snapshots, kind):
    before = fingerprint(published)
    server.set_table(with_hostile_key(snapshots[1], kind))
    with pytest.raises(StatLineError, match="ongeldige") as failure:
        refresh(source="statline", db=published, table_ids=TABLE_IDS)
    assert "\n" not in str(failure.value) and snapshots[1].table_id in str(failure.value)
    line = one_line_failure(run_cli("refresh", "--db", str(published), "--quiet", *table_args()))
    assert "ongeldige" in line
    assert fingerprint(published) == before
    assert list(store.versions_dir(published).glob("*.part*")) == []


@pytest.mark.parametrize("kind", ["Topic", "Dimension"])
def test_loader_refuses_a_hostile_key(snapshots, kind):
    con = duckdb.connect()
    create_schema(con)
    with pytest.raises(LoadError, match="ongeldige sleutel"):
        load_snapshot(con, with_hostile_key(snapshots[1], kind))
    assert con.execute("SELECT count(*) FROM observations").fetchone() == (0,)


def test_identifiers_are_quoted():
    con = duckdb.connect()
    name = 'a"b; DROP TABLE x --'
    assert con.execute(f"SELECT 1 AS {quote_identifier(name)}").description[0][0] == name


# --------------------------------------------------------------------------- 6. deadlines


@pytest.mark.parametrize(
    "short, said",
    [("VTDATA_TABLE_DEADLINE", "per tabel"), ("VTDATA_REFRESH_DEADLINE", "hele verversing")],
    ids=["table deadline", "refresh deadline"],
)
def test_a_deadline_names_the_late_table_and_itself(published, server, monkeypatch, short, said):
    before = fingerprint(published)
    for name in ("VTDATA_TABLE_DEADLINE", "VTDATA_REFRESH_DEADLINE"):
        monkeypatch.setenv(name, "1" if name == short else "600")
    server.inject(f"{SLOW_TABLE}/TypedDataSet", "trickle", times=None, delay=0.2)
    with pytest.raises(StatLineError) as failure:
        refresh(source="statline", db=published, table_ids=[SLOW_TABLE])  # the only table that can be late
    message = str(failure.value)
    assert SLOW_TABLE in message and said in message and short in message
    assert fingerprint(published) == before


def test_deadline_from_the_cli_is_one_line(published, server):
    server.inject(f"{SLOW_TABLE}/TypedDataSet", "trickle", times=None, delay=0.2)
    result = run_cli(
        "refresh", "--db", str(published), "--quiet", "--table", SLOW_TABLE,
        env={"VTDATA_STATLINE_URL": server.url, "VTDATA_TABLE_DEADLINE": "1"},
    )  # fmt: skip
    assert SLOW_TABLE in one_line_failure(result)


def test_late_population_is_left_out_with_the_reason(tmp_path, snapshots, monkeypatch):
    from vtdata.source.demo.population import build_demo_population

    people = build_demo_population()
    monkeypatch.setenv("VTDATA_TABLE_DEADLINE", "3")  # room for the real table on a busy machine
    with FakeStatLine([*snapshots, people], page_size=2_000) as fake:
        monkeypatch.setenv("VTDATA_STATLINE_URL", fake.url)
        fake.inject(f"{people.table_id}/TypedDataSet", "trickle", times=None, delay=0.2)
        db = tmp_path / "vtdata.duckdb"
        refresh(source="statline", db=db, table_ids=[SLOW_TABLE])
    reason = open_database(db).population_status()
    assert reason and people.table_id in reason and "VTDATA_TABLE_DEADLINE" in reason


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan", "inf"])
def test_bad_deadline_setting_is_one_line(tmp_path, monkeypatch, value):
    monkeypatch.setenv("VTDATA_REFRESH_DEADLINE", value)
    with pytest.raises(RefreshError, match="VTDATA_REFRESH_DEADLINE moet een positief aantal seconden zijn"):
        refresh(source="demo", db=tmp_path / "vtdata.duckdb", table_ids=TABLE_IDS)


# --------------------------------------------------------------------------- 7. smaller things


def test_sigterm_ends_a_refresh_with_a_line(published, server):
    before = fingerprint(published)
    server.inject("TypedDataSet", "trickle", times=None, delay=0.2)
    seen = len(server.requests_for("TypedDataSet"))  # those of the refresh that published
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VTDATA_STATLINE_URL": server.url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vtdata", "refresh", "--db", str(published), *table_args()],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # until the refresh is downloading (its first data request reached the trickling server);
    # a deadline, not a count of polls, so a slow start on a loaded machine is waited for
    deadline = time.monotonic() + 120
    while len(server.requests_for("TypedDataSet")) == seen and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.requests_for("TypedDataSet")) > seen and proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "Afgebroken (SIGTERM); de gepubliceerde database is ongewijzigd."
    assert fingerprint(published) == before
    assert store.refresh_running(published) is False
    assert list(store.versions_dir(published).glob("*.part*")) == []


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_an_oversized_answer_is_refused_with_one_line(tmp_path, snapshots, gzip):
    db = tmp_path / "vtdata.duckdb"
    with FakeStatLine(snapshots, page_size=10_000, gzip=gzip) as fake:  # a data page of 85361NED is ~3 MB
        env = {"VTDATA_STATLINE_URL": fake.url, "VTDATA_STATLINE_RETRIES": "0", "VTDATA_MAX_RESPONSE_MB": "1"}
        result = run_cli("refresh", "--db", str(db), "--quiet", *table_args(), env=env)
    line = one_line_failure(result)  # compressed, the answer is small on the wire: its unpacked size counts
    assert "groter dan 1 MB bij TypedDataSet" in line and "VTDATA_MAX_RESPONSE_MB" in line, line
    assert store.current_version(db) is None


def test_bad_cap_setting_is_one_line(tmp_path, server):
    result = run_cli("refresh", "--db", str(tmp_path / "v.duckdb"), "--quiet", *table_args(),
                     env={"VTDATA_STATLINE_URL": server.url, "VTDATA_MAX_RESPONSE_MB": "veel"})  # fmt: skip
    assert "VTDATA_MAX_RESPONSE_MB moet een positief aantal MB zijn" in one_line_failure(result)


# The refresh CLI with a build step that stalls in a DuckDB query; the marker file
# appears only once that query runs, so the signal lands in it, not before or after.
STALLED_BUILD = """
import sys, threading, time
from vtdata import cli
from vtdata.storage import refresh

marker, real_validate = sys.argv[1], refresh.validate


def stalled_validate(con, table_ids):
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0")

    def mark_when_running():
        while con.query_progress() < 0:
            time.sleep(0.01)
        open(marker, "w").close()

    threading.Thread(target=mark_when_running, daemon=True).start()
    con.execute("SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3").fetchall()
    real_validate(con, table_ids)


refresh.validate = stalled_validate
sys.exit(cli.main(sys.argv[2:]))
"""


def test_sigterm_during_the_build_ends_with_the_line(tmp_path):
    db = tmp_path / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=TABLE_IDS)
    before = fingerprint(db)
    marker = tmp_path / "build-query-runs"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", STALLED_BUILD, str(marker), "refresh", "--source", "demo", "--db", str(db), *table_args()],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists() and proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.strip().splitlines() == ["Afgebroken (SIGTERM); de gepubliceerde database is ongewijzigd."]
    assert fingerprint(db) == before
    assert store.refresh_running(db) is False
    assert list(store.versions_dir(db).glob("*.part*")) == []


def test_stale_publish_link_is_cleaned(published):
    stale = published.parent / f".{published.name}.4194999.link"  # left by a publish killed before its swap
    stale.symlink_to(os.path.relpath(published.resolve(), published.parent))
    unrelated = published.parent / f".{published.name}.notes.link"
    unrelated.write_text("a file, not a link: not ours")
    refresh(source="demo", db=published, table_ids=TABLE_IDS)
    assert not os.path.lexists(stale)
    assert unrelated.read_text() == "a file, not a link: not ours"


@pytest.mark.parametrize("value", [1e308, math.inf, -1e15])
def test_absurd_values_fail_validation(published, server, snapshots, value):
    before = fingerprint(published)
    broken = build_demo_snapshots([SLOW_TABLE])[0]
    topic = broken.topic_keys[0]
    row = next(r for r in broken.rows if r["RegioS"].strip() == "NL01" and r[topic] is not None)
    row[topic] = value
    server.set_table(broken)
    with pytest.raises(ValidationError, match="onmogelijke waarde"):
        refresh(source="statline", db=published, table_ids=TABLE_IDS)
    assert fingerprint(published) == before


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("small") / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=TABLE_IDS)
    return db


@pytest.mark.parametrize("make", [_plain_file, _directory], ids=["plain file", "directory"])
def test_ensure_on_something_unreadable_is_one_line(tmp_path, make):
    db = tmp_path / "vtdata.duckdb"
    make(db)
    line = one_line_failure(run_cli("ensure", "--db", str(db)))
    assert "onleesbaar" in line


def test_ensure_on_a_database_file_put_there_by_hand_says_so(tmp_path, demo_db_file):
    db = tmp_path / "vtdata.duckdb"
    shutil.copyfile(demo_db_file.resolve(), db)
    result = run_cli("ensure", "--db", str(db))
    assert result.returncode == 0 and result.stderr.strip().startswith("Let op:"), result.stderr
    assert db.is_file() and not store.versions_dir(db).exists()  # nothing built beside it


def test_export_into_a_missing_folder_is_one_dutch_line(tmp_path, demo_db_file):
    target = tmp_path / "missing" / "uit.csv"
    line = one_line_failure(run_cli("export", "84853NED", "--db", str(demo_db_file), "--output", str(target)))
    assert "bestaat niet" in line and ".tmp" not in line and "Errno" not in line


@pytest.mark.parametrize("command", ["export", "profile"])
def test_a_huge_region_argument_is_not_echoed_in_full(demo_db_file, command):
    region = "GM" + "9" * 5_000
    args = ("export", "84853NED", "--region", region) if command == "export" else ("profile", region)
    line = one_line_failure(run_cli(*args, "--db", str(demo_db_file)))
    assert "GM999" in line and len(line) < 300
