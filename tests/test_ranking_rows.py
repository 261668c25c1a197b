"""`python -m vtdata ranking` and `vtdata.figures.ranking_rows` on a real demo database.

The expected shares are computed here straight from the observations table
(SQL), and the expected verdicts from an exact binomial test written in
tests/test_significance.py, not from the module under test.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_cli import assert_one_line_failure, run_cli
from tests.test_significance import binom_lower, binom_upper
from vtdata.figures import significance as sg
from vtdata.storage.queries import open_database
from vtdata.figures.ranking_rows import RankingError, ranking_rows
from vtdata.storage.refresh import refresh

TABLE = "84852NED"
ACUTE, TOTAL = "1012601", "T001038"
PERIOD = "2023JJ00"


@pytest.fixture(scope="module")
def veiligheid_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("ranking") / "vtdata.duckdb"
    refresh(source="demo", db=db, table_ids=[TABLE])
    return db


def published(db, category: str) -> dict[str, float | None]:
    """region -> published count (None when suppressed) of a category, the other dimension at its total."""
    frame = open_database(db).query(
        "SELECT o.region, o.value FROM observations o JOIN dimensions d ON d.table_id = o.table_id "
        "WHERE o.table_id = ? AND o.period = ? AND o.cat1 = ? AND o.cat2 = ?",
        [TABLE, PERIOD, category, TOTAL],
    )
    return {r: (None if v != v else v) for r, v in zip(frame["region"], frame["value"])}


def ranking_json(db, *args):
    result = run_cli("ranking", "veiligheid", *args, "--format", "json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_acute_onveiligheid_share_for_every_gemeente(veiligheid_db):
    doc = ranking_json(veiligheid_db, "--category", "Acute onveiligheid", "--level", "GM", "--period", PERIOD, "--measure", "share")
    acute, total = published(veiligheid_db, ACUTE), published(veiligheid_db, TOTAL)
    gemeenten = set(open_database(veiligheid_db).shapes("GM", 2023)["code"])
    rows = {r["region"]: r for r in doc["rows"]}
    assert set(rows) == gemeenten and len(doc["rows"]) == len(gemeenten)

    p0 = acute["NL01"] / total["NL01"]
    assert doc["nederland"]["value"] == round(100 * p0, 1) and doc["nederland"]["base"] == total["NL01"]
    both = [g for g in gemeenten if acute.get(g) is not None and total.get(g)]
    assert len(both) > 200
    for g in gemeenten:
        row = rows[g]
        if g not in both:
            assert row["verdict"] == sg.SECRET and row["value"] is None and row["rank"] is None
            continue
        k, n = acute[g], total[g]
        assert row["value"] == round(100 * k / n, 1)
        assert row["base"] == n
        assert row["lower"] <= 100 * k / n <= row["upper"]
        assert row["verdict"] == sg.compare_share(k, n, p0).verdict


def test_share_verdicts_agree_with_an_exact_test_where_it_is_clear(veiligheid_db):
    """Called out exactly where an exact binomial test on the least extreme true counts is clear."""
    doc = ranking_json(veiligheid_db, "--category", ACUTE, "--level", "GM", "--period", PERIOD)
    acute, total = published(veiligheid_db, ACUTE), published(veiligheid_db, TOTAL)
    p0 = acute["NL01"] / total["NL01"]
    checked = {sg.HIGHER: 0, sg.LOWER: 0, sg.NOT_DIFFERENT: 0}
    small_extremes = 0
    for row in doc["rows"]:
        if row["value"] is None:
            continue
        k, n = int(acute[row["region"]]), int(total[row["region"]])
        high = 2 * binom_upper(k - 2, n + 2, p0)
        low = 2 * binom_lower(k + 2, n - 2, p0)
        if min(high, low) < 0.01:
            expected = sg.HIGHER if high < low else sg.LOWER
        elif min(high, low) > 0.2:
            expected = sg.NOT_DIFFERENT
        else:
            continue  # near the boundary the exact and the score test may differ
        assert row["verdict"] == expected, row
        checked[expected] += 1
        if expected == sg.NOT_DIFFERENT and n <= 150 and abs(k / n - p0) > p0 * 0.5:
            small_extremes += 1  # a small gemeente far from Nederland, rightly not called out
    assert all(checked.values()), checked
    assert small_extremes > 0


def test_rows_are_ranked_highest_first_with_unknown_values_last(veiligheid_db):
    doc = ranking_json(veiligheid_db, "--category", "Acute onveiligheid", "--level", "GM", "--period", PERIOD)
    ranked = [r for r in doc["rows"] if r["rank"] is not None]
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)
    assert ranked[0]["rank"] == 1 and ranked[0]["value"] == max(r["value"] for r in ranked)
    assert all(r["rank"] is None for r in doc["rows"][len(ranked):])


def test_rates_per_vt_regio_use_the_population(veiligheid_db):
    doc = ranking_json(veiligheid_db, "--category", "Acute onveiligheid", "--level", "VT", "--period", PERIOD, "--measure", "rate")
    db = open_database(veiligheid_db)
    population = dict(zip(*db.population(None, 2023)[["region", "inwoners"]].T.values))
    acute = published(veiligheid_db, ACUTE)
    reference = acute["NL01"] / population["NL01"] * 1000
    assert len(doc["rows"]) == len(db.shapes("VT", 2023))
    for row in doc["rows"]:
        rate = acute[row["region"]] / population[row["region"]] * 1000
        assert row["base"] == population[row["region"]]
        assert row["value"] == round(rate, 2 if rate < 10 else 1)
        assert row["verdict"] == sg.compare_rate(acute[row["region"]], row["base"], reference).verdict


def test_csv_has_the_contract_columns(veiligheid_db):
    result = run_cli("ranking", "veiligheid", "--category", "Overdracht", "--level", "PV", "--period", "2023HJ01",
                     "--measure", "count", "--db", str(veiligheid_db))
    assert result.returncode == 0, result.stderr
    assert "demonstratiegegevens" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 12
    assert list(rows[0]) == ["region", "region_title", "rank", "value", "base", "lower", "upper", "verdict", "nederland"]
    assert all(r["verdict"] in sg.VERDICTS for r in rows)


@pytest.mark.parametrize(
    "args,needle",
    [
        (["veiligheidd", "--category", "Overdracht", "--level", "GM", "--period", PERIOD], "Onbekend thema"),
        (["veiligheid", "--category", "Bestaat niet", "--level", "GM", "--period", PERIOD], "Onbekende categorie"),
        (["veiligheid", "--category", "Overdracht", "--level", "XX", "--period", PERIOD], "Onbekend niveau"),
        (["veiligheid", "--category", "Overdracht", "--level", "GM", "--period", "2031JJ00"], "Periode"),
        (["veiligheid", "--category", "Totaal", "--level", "GM", "--period", PERIOD, "--measure", "share"], "Geen aandeel"),
    ],
)
def test_bad_input_is_one_dutch_line(veiligheid_db, args, needle):
    line = assert_one_line_failure(run_cli("ranking", *args, "--db", str(veiligheid_db)))
    assert needle in line


def test_core_function_raises_a_ranking_error(veiligheid_db):
    db = open_database(veiligheid_db)
    with pytest.raises(RankingError, match="Onbekend niveau"):
        ranking_rows(db, "veiligheid", ACUTE, "XX", PERIOD)
    nederland, rows = ranking_rows(db, "veiligheid", ACUTE, "gm", PERIOD, "share")
    assert nederland["region"] == "NL01" and len(rows) > 300
