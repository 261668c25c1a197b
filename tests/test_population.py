"""Population (CBS 03759ned) for rates: refreshed with the Veilig Thuis tables, never blocking them.

Real cbsodata against the fake StatLine, a real DuckDB file. Expected values are
computed here from the demo's own age bands and membership, not by vtdata.storage.population.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.fake_statline import FakeStatLine
from vtdata.storage import population
from vtdata.source.demo import build_demo_snapshots
from vtdata.source.demo.population import band_counts, build_demo_population
from vtdata.source.demo.regions import FIRST_YEAR, geography
from vtdata.storage.queries import open_database
from vtdata.storage.refresh import refresh

ROOT = Path(__file__).resolve().parents[1]
TABLE_IDS = ["85361NED", "84853NED"]
TABLE = "03759ned"


@pytest.fixture(scope="module")
def vt_snapshots():
    return build_demo_snapshots(TABLE_IDS)


@pytest.fixture(scope="module")
def people():
    return build_demo_population()


@pytest.fixture()
def server(vt_snapshots, people, monkeypatch):
    monkeypatch.setenv("VTDATA_STATLINE_RETRIES", "0")
    with FakeStatLine([*vt_snapshots, people], page_size=2_000) as fake:
        monkeypatch.setenv("VTDATA_STATLINE_URL", fake.url)
        yield fake


def _refreshed(tmp_path) -> Path:
    db = tmp_path / "vtdata.duckdb"
    refresh(source="statline", db=db, table_ids=TABLE_IDS)
    return db


def _expected_national(year: int) -> tuple[float, float]:
    """Nederland on 1 January from the demo's persons per gemeente and age band (ages 0-17: bands 0..17)."""
    counts, exists = band_counts()
    y = year - FIRST_YEAR
    here = counts[exists[:, y], y, :]
    return float(here.sum()), float(here[:, :18].sum())


def _titles(snapshot, dimension: str) -> dict[str, str]:
    return {c["Key"]: c["Title"] for c in snapshot.entities[dimension]}


def test_refresh_downloads_the_population_with_a_server_side_filter(tmp_path, server, people):
    older = copy.deepcopy(people)  # a year before 2019 is listed but never asked for
    older.entities["Perioden"].insert(0, {"Key": "2018JJ00", "Title": "2018", "Description": None, "Status": "Definitief"})
    server.set_table(older)
    db = open_database(_refreshed(tmp_path))
    assert db.population_status() is None
    for year in (2019, 2023, 2025):
        row = db.population(["NL01"], year).iloc[0]
        assert (row["inwoners"], row["minderjarigen"]) == _expected_national(year)

    data_requests = [r for r in server.requests_for("TypedDataSet", TABLE) if "$skip" not in r.query]
    assert len(data_requests) == 7  # one part per year 2019-2025
    ages = _titles(people, "Leeftijd")
    periods = []
    for request in data_requests:
        text = request.query["$filter"]
        assert "Geslacht eq 'T001038'" in text and "BurgerlijkeStaat eq 'T001019'" in text
        assert "substringof('GM', RegioS)" in text and "substringof('PV', RegioS)" in text
        assert "substringof('LD', RegioS)" in text  # landsdelen get rates too
        asked = {ages[k] for k in ages if f"Leeftijd eq '{k}'" in text}
        assert asked == {"Totaal", "0 tot 5 jaar", "5 tot 10 jaar", "10 tot 15 jaar", "15 jaar", "16 jaar", "17 jaar"}
        periods += [p for p in (f"{y}JJ00" for y in range(2019, 2026)) if f"Perioden eq '{p}'" in text]
    assert sorted(periods) == [f"{y}JJ00" for y in range(2019, 2026)]
    assert not any("2018JJ00" in r.query["$filter"] for r in data_requests)

    # Only the asked cells came over the wire: 7 ages x (NL + 4 LD + 12 PV + the gemeenten) x 7 years.
    n_gemeenten = sum(1 for c in people.entities["RegioS"] if c["Key"].startswith("GM"))
    held = db.tables().set_index("table_id").loc[TABLE]
    assert held["n_rows"] == 7 * (1 + 4 + 12 + n_gemeenten) * 7 < len(people.rows) / 4
    assert (held["period_first"], held["period_last"]) == ("2019JJ00", "2025JJ00")


def test_vt_region_is_the_sum_of_that_years_gemeenten(tmp_path, server):
    path = _refreshed(tmp_path).resolve()
    con = duckdb.connect(str(path), read_only=True)
    try:
        members = con.execute("SELECT year, gemeente, vt_region FROM gemeente_vt").df()
        held = con.execute("SELECT region, year, inwoners, minderjarigen FROM population").df()
    finally:
        con.close()
    gm = held[held["region"].str.startswith("GM")].set_index(["region", "year"])
    vt = held[held["region"].str.startswith("VT")].set_index(["region", "year"])
    member_years = sorted(members["year"].unique())
    checked = 0
    for year in sorted(held["year"].unique()):
        earlier = [y for y in member_years if y <= year]
        of_year = members[members["year"] == (earlier[-1] if earlier else member_years[0])]
        for region, group in of_year.groupby("vt_region"):
            for column in ("inwoners", "minderjarigen"):
                values = [gm[column].get((g, year), np.nan) for g in group["gemeente"]]
                expected = np.nan if any(pd.isna(values)) else sum(values)
                got = vt[column].get((region, year), np.nan)
                assert (pd.isna(got) and pd.isna(expected)) or got == expected, (region, year, column)
                checked += 1
    assert checked > 300


def test_a_missing_gemeente_makes_its_vt_region_missing_not_partial(tmp_path, server, people):
    broken = copy.deepcopy(people)
    for row in broken.rows:
        if row["RegioS"] == "GM0363" and row["Perioden"] == "2023JJ00":
            row["BevolkingOp1Januari_1"] = None
    server.set_table(broken)
    db = open_database(_refreshed(tmp_path))
    vt = db.vt_region_of("GM0363", 2023)
    got = db.population([vt, "GM0363", "NL01"], 2023).set_index("region")
    assert "GM0363" not in got.index or got.loc["GM0363"].isna().all()
    assert vt not in got.index or pd.isna(got.loc[vt, "inwoners"])
    assert got.loc["NL01", "inwoners"] > 17_000_000  # the rest is still there
    assert pd.notna(db.population([vt], 2022)["inwoners"]).all()
    # several years in one query: the same rows as one query per year, year by year
    both = db.population([vt, "GM0363", "NL01"], [2022, 2023])
    one_by_one = pd.concat([db.population([vt, "GM0363", "NL01"], y) for y in (2022, 2023)], ignore_index=True)
    pd.testing.assert_frame_equal(both, one_by_one)
    assert set(both["year"]) == {2022, 2023}


@pytest.mark.parametrize("kind", ["http500", "malformed"])
def test_failed_population_download_still_publishes_the_veilig_thuis_figures(tmp_path, server, kind):
    server.inject(f"{TABLE}/TypedDataSet", kind, times=None)
    db = open_database(_refreshed(tmp_path))
    assert set(db.tables()["table_id"]) == set(TABLE_IDS)
    assert len(db.observations("84853NED", regions=["NL01"])) > 0
    reason = db.population_status()
    assert reason and reason.startswith("Geen bevolkingscijfers (CBS-tabel 03759ned)") and TABLE in reason
    assert ("HTTP 500" in reason) if kind == "http500" else ("JSON" in reason)
    assert db.population(None, 2023).empty


def test_implausible_population_is_left_out_with_the_reason(tmp_path, server, people):
    broken = copy.deepcopy(people)
    for row in broken.rows:
        if row["RegioS"].strip() == "NL01" and row["BevolkingOp1Januari_1"] is not None:
            row["BevolkingOp1Januari_1"] *= 100
    server.set_table(broken)
    db = open_database(_refreshed(tmp_path))
    assert len(db.observations("85361NED", regions=["NL01"])) > 0
    assert TABLE not in set(db.tables()["table_id"])  # rolled back with its rows
    assert db.population(None, 2023).empty
    assert "15 tot 20 miljoen" in db.population_status()


def test_more_minderjarigen_than_inwoners_is_refused(tmp_path, server, people):
    broken = copy.deepcopy(people)
    total = next(c["Key"] for c in people.entities["Leeftijd"] if c["Title"] == "Totaal")
    for row in broken.rows:
        if row["RegioS"] == "GM0014" and row["Leeftijd"] == total and row["BevolkingOp1Januari_1"]:
            row["BevolkingOp1Januari_1"] = 10
    server.set_table(broken)
    db = open_database(_refreshed(tmp_path))
    assert "meer minderjarigen dan inwoners voor GM0014" in db.population_status()


def test_cli_refresh_and_status_name_the_missing_population(tmp_path, server):
    server.inject(f"{TABLE}/", "http404", times=None)
    db = tmp_path / "vtdata.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    tables = [arg for table in TABLE_IDS for arg in ("--table", table)]
    done = subprocess.run(
        [sys.executable, "-m", "vtdata", "refresh", "--db", str(db), "--quiet", *tables], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().startswith("Let op: Geen bevolkingscijfers") and len(done.stderr.strip().splitlines()) == 1
    text = subprocess.run([sys.executable, "-m", "vtdata", "status", "--db", str(db)], capture_output=True, text=True, env=env)
    line = next(line for line in text.stdout.splitlines() if line.startswith(TABLE))
    assert "ontbreekt" in line and "HTTP 404" in line
    doc = json.loads(
        subprocess.run([sys.executable, "-m", "vtdata", "status", "--json", "--db", str(db)], capture_output=True, text=True, env=env).stdout
    )
    assert "HTTP 404" in doc["population_missing_reason"]


def test_demo_database_has_a_plausible_population(demo_db):
    db = open_database(demo_db)
    assert db.population_status() is None
    assert TABLE in set(db.tables()["table_id"])
    for year in range(2019, 2026):
        frame = db.population(None, year).set_index("region")
        nl = frame.loc["NL01"]
        assert 17_250_000 <= nl["inwoners"] <= 18_100_000
        assert 0.19 <= nl["minderjarigen"] / nl["inwoners"] <= 0.20
        assert (nl["inwoners"], nl["minderjarigen"]) == _expected_national(year)
        provinces = frame[frame.index.str.startswith("PV")]
        assert len(provinces) == 12 and provinces["inwoners"].sum() == nl["inwoners"]
        gemeenten = frame[frame.index.str.startswith("GM")]
        assert gemeenten["inwoners"].sum() == nl["inwoners"]
        existing = {g for g, v in zip(geography().gemeenten, geography().vt_of[:, year - FIRST_YEAR]) if v >= 0}
        assert set(gemeenten.index) == existing
    assert db.population(["GM0363", "XX99"], 2023)["region"].tolist() == ["GM0363"]


# --------------------------------------------------------------------------- choosing by title


def test_single_years_sum_zero_to_seventeen():
    categories = [("T", "Totaal")] + [(f"Y{a}", f"{a} jaar") for a in range(100)] + [("O", "100 jaar of ouder")]
    assert population.minor_categories(categories) == [f"Y{a}" for a in range(18)]


def test_fewest_groups_that_tile_zero_to_seventeen():
    categories = [(f"Y{a}", f"{a} jaar") for a in range(100)]
    categories += [("G0", "0 tot 5 jaar"), ("G5", "5 tot 10 jaar"), ("G10", "10 tot 15 jaar"), ("G15", "15 tot 20 jaar")]
    assert population.minor_categories(categories) == ["G0", "G5", "G10", "Y15", "Y16", "Y17"]
    assert population.minor_categories([("J", "Jonger dan 18 jaar"), ("G0", "0 tot 5 jaar")]) == ["J"]


def test_groups_crossing_eighteen_give_no_minderjarigen():
    categories = [("G0", "0 tot 5 jaar"), ("G5", "5 tot 10 jaar"), ("G10", "10 tot 15 jaar"), ("G15", "15 tot 20 jaar")]
    assert population.minor_categories(categories) is None
