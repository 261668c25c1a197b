"""The CLI contract: one clear line and a non-zero exit on bad input, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vtdata.storage.refresh import refresh

ROOT = Path(__file__).resolve().parents[1]
TABLE_IDS = ["85361NED", "84853NED"]


def run_cli(*args, env=None):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "vtdata", *args], capture_output=True, text=True, env=full_env, timeout=120
    )


@pytest.fixture(scope="module")
def demo_subset(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=TABLE_IDS)
    return db


def assert_one_line_failure(result):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("Fout:")
    return lines[0]


def test_status_json_describes_the_database(demo_subset):
    result = run_cli("status", "--json", "--db", str(demo_subset))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"] == "demo" and doc["demo"] is True
    assert {t["id"] for t in doc["tables"]} == {*TABLE_IDS, "03759ned"}  # 03759ned: population for rates
    assert doc["population_missing_reason"] is None
    for table in doc["tables"]:
        first = "2019JJ00" if table["id"] == "03759ned" else "2019HJ01"
        assert table["rows"] > 0 and table["first_period"] == first and table["modified"]


def test_status_text_says_demo(demo_subset):
    result = run_cli("status", "--db", str(demo_subset))
    assert result.returncode == 0
    assert "DEMO" in result.stdout and "84853NED" in result.stdout


def test_export_csv_has_the_contract_columns(demo_subset):
    result = run_cli("export", "84853NED", "--region", "NL01", "--period", "2023JJ00", "--db", str(demo_subset))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for column in ("table_id", "region", "period", "measure", "value", "symbol", "UitkomstenOnderzoek"):
        assert column in rows[0]
    assert {r["region"] for r in rows} == {"NL01"} and {r["period"] for r in rows} == {"2023JJ00"}
    for row in rows:
        assert (row["value"] == "") == ("." in row["symbol"])
    assert "demonstratiegegevens" in result.stderr


def test_export_json_to_file(demo_subset, tmp_path):
    out = tmp_path / "out.json"
    result = run_cli("export", "85361NED", "--region", "VT01", "--format", "json", "--output", str(out), "--db", str(demo_subset))
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())
    assert rows and {r["region"] for r in rows} == {"VT01"}


@pytest.mark.parametrize(
    "args, needle",
    [
        (("export", "99999NED"), "Onbekende tabel"),
        (("export", "84853NED", "--region", "GM9999"), "GM9999"),
        (("export", "84853NED", "--period", "2023H1"), "Ongeldige periode"),
        (("export", "84853NED", "--period", "2099HJ01"), "2099HJ01"),
        (("refresh", "--table", "12345NED"), "Onbekende tabel"),
    ],
)
def test_bad_input_gives_one_line(demo_subset, args, needle):
    before = demo_subset.resolve()
    line = assert_one_line_failure(run_cli(*args, "--db", str(demo_subset)))
    assert needle in line
    assert demo_subset.resolve() == before


def test_missing_database_is_not_created(tmp_path):
    db = tmp_path / "nothing" / "vtdata.duckdb"
    for args in (("status",), ("export", "84853NED")):
        line = assert_one_line_failure(run_cli(*args, "--db", str(db)))
        assert "python -m vtdata refresh" in line
    assert not db.exists() and not db.parent.exists()


def test_unreachable_server_keeps_database(demo_subset):
    before = demo_subset.resolve()
    result = run_cli(
        "refresh", "--db", str(demo_subset), "--quiet",
        env={"VTDATA_STATLINE_URL": "http://127.0.0.1:9", "VTDATA_STATLINE_RETRIES": "0"},
    )
    line = assert_one_line_failure(result)
    assert "127.0.0.1:9" in line
    assert demo_subset.resolve() == before


def test_env_var_selects_the_database(demo_subset):
    result = run_cli("status", "--json", env={"VTDATA_DB": str(demo_subset)})
    assert result.returncode == 0 and json.loads(result.stdout)["demo"] is True


def test_refresh_shows_progress_per_table(demo_subset, tmp_path):
    from tests.fake_statline import FakeStatLine
    from vtdata.source.demo import build_demo_snapshots

    db = tmp_path / "progress.duckdb"
    with FakeStatLine(build_demo_snapshots(TABLE_IDS)) as server:
        result = run_cli(
            "refresh", "--db", str(db), *[a for t in TABLE_IDS for a in ("--table", t)],
            env={"VTDATA_STATLINE_URL": server.url},
        )
    assert result.returncode == 0, result.stderr
    for table in TABLE_IDS:
        assert f"{table}: downloaden gestart" in result.stderr
        assert f"{table}: klaar" in result.stderr
    assert "ververst uit StatLine" in result.stdout


def test_full_disk_gives_one_line_and_keeps_database(demo_subset, monkeypatch, capsys):
    import errno

    from vtdata import cli

    from vtdata.storage import refresh as refresh_module

    before = demo_subset.resolve()

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(refresh_module, "_build", full_disk)
    code = cli.main(["refresh", "--source", "demo", "--db", str(demo_subset), "--table", "84853NED"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and "schijf is vol" in err[0]
    assert demo_subset.resolve() == before
    assert not list(demo_subset.parent.glob("**/*.part*"))


def _cli_command(*args) -> list[str]:
    return [sys.executable, "-m", "vtdata", *args]


def test_status_into_a_closed_pipe_ends_quietly(demo_subset):
    # A pipe whose read end is closed before the CLI writes: every write fails with EPIPE.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            _cli_command("status", "--db", str(demo_subset)),
            stdout=write_end, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 0


def test_status_piped_into_head_ends_quietly(demo_subset):
    command = " ".join(_cli_command("status", "--db", str(demo_subset))) + " | head -2"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 2 and result.stdout.startswith("Database:")


def test_refresh_line_says_demo_data_are_made_not_downloaded(tmp_path):
    result = run_cli("refresh", "--source", "demo", "--db", str(tmp_path / "d.duckdb"), "--table", "84853NED")
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert "demonstratiegegevens" in line and "1 tabel aangemaakt" in line
    assert "gedownload" not in line
