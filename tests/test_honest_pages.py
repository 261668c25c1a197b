"""Honest comparisons on the pages: the ranking, the map, "wat valt op" and the headline use the verdicts
of `vtdata ranking`, so they agree with each other and with the CLI by construction.

Demo data, veiligheid (aandeel acute onveiligheid), gemeenten, 2023. The verdicts the CLI gives are the
reference; `tests/test_significance.py` checks those against exact tests written out there.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_theme_pages import _chart_rows
from vtdata.figures import change as ch
from vtdata.figures import significance as sg
from vtdata.model.catalog import THEMES_BY_SLUG
from vtdata.storage.queries import open_database
from vtdata.figures.ranking_rows import ranking_rows

REGION, PERIOD = "GM0363", "2023JJ00"


@pytest.fixture(scope="module")
def cli_rows(demo_db):
    _, rows = ranking_rows(open_database(demo_db), "veiligheid", "Acute onveiligheid", "GM", PERIOD, "share")
    return {r["region"]: r for r in rows}


def _page(demo_db, monkeypatch, tab: str | None = None) -> AppTest:
    monkeypatch.setenv("VTDATA_DB", str(demo_db))
    at = AppTest.from_string("from vtdata.ui.theme import render_theme\nrender_theme('veiligheid')\n", default_timeout=240)
    at.query_params["region"], at.query_params["period"] = REGION, PERIOD
    if tab:
        at.query_params["weergave"] = tab
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_veiligheid_opens_on_the_share_and_marks_the_same_regions_on_the_map(demo_db, monkeypatch, cli_rows):
    at = _page(demo_db, monkeypatch, "Kaart")
    assert at.get("segmented_control")[0].value == "aandeel"  # the theme's question is a share
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    marked = {layer["id"]: {f["id"] for f in layer["data"]["features"]} for layer in deck["layers"]
              if layer["id"].startswith("mark-")}
    assert marked["mark-hoger"] == {r for r, row in cli_rows.items() if row["verdict"] == sg.HIGHER}
    assert marked["mark-lager"] == {r for r, row in cli_rows.items() if row["verdict"] == sg.LOWER}


def test_the_ranking_draws_the_cli_interval_base_and_verdict(demo_db, monkeypatch, cli_rows):
    at = _page(demo_db, monkeypatch, "Ranglijst")
    ranking = next(c for c in at.get("vega_lite_chart") if "gerangschikt" in c.proto.alt)
    rows = [r for r in _chart_rows(ranking) if r.get("region")]
    assert len(rows) >= 20
    for row in rows:
        cli = cli_rows[row["region"]]  # the chart ships what it draws: the verdict as ▲ / ▼, the base in the label
        if cli["lower"] is not None:  # the chart draws a share as a fraction, the CLI in percent
            assert math.isclose(row["lower"] * 100, cli["lower"]) and math.isclose(row["upper"] * 100, cli["upper"])
        assert row["rank_label"].startswith("▲") == (cli["verdict"] == sg.HIGHER)
        assert row["rank_label"].startswith("▼") == (cli["verdict"] == sg.LOWER)
        if "geheim" not in row["shown"] and cli["base"] is not None:  # the base beside the value: "15,8% (n = 95)"
            assert f"(n = {cli['base']:,})".replace(",", ".") in row["shown"]
    funnel = [c for c in at.get("vega_lite_chart") if c.proto.alt.startswith("Trechterdiagram")]
    assert funnel, "the Ranglijst tab has a funnel plot"


def test_wat_valt_op_names_only_significant_regions(demo_db, monkeypatch, cli_rows):
    at = _page(demo_db, monkeypatch, "Ranglijst")
    text = next(m.value for m in at.markdown if "Significant" in m.value)
    named_high = re.search(r"Significant hoger dan Nederland\*\* \([^)]*\): (.*?)(?: en \d+ andere)?(?: \(Nederland|\.\n|$)", text)
    assert named_high
    highs = {r["region_title"] for r in cli_rows.values() if r["verdict"] == sg.HIGHER}
    not_called = {r["region_title"] for r in cli_rows.values() if r["verdict"] == sg.NOT_DIFFERENT}
    names = [n.split(" ")[0] for n in named_high.group(1).split("; ")]
    assert names and all(any(h.startswith(n) for h in highs) for n in names)
    # the chart's raw extreme among small gemeenten is no headline when it is not significant
    top_raw = max((r for r in cli_rows.values() if r["value"] is not None), key=lambda r: r["value"])
    if top_raw["region_title"] in not_called:
        assert top_raw["region_title"] not in text


def test_a_change_says_whether_it_is_more_than_chance():
    # 20 -> 40 on a stable population: +100 %, yet within what chance and rounding to 5 allow
    before = {"region": "GM1", "value": 20.0, "rate": 2.0, "suppressed": False}
    after = {"region": "GM1", "region_title": "Klein", "value": 40.0, "rate": 4.0, "suppressed": False}
    import pandas as pd

    rows = ch.change_rows(pd.DataFrame([before]), pd.DataFrame([after]), "rate")
    assert rows["change_pct"].iloc[0] == pytest.approx(100)
    expected = sg.count_change(20, 40, exposure_before=10.0, exposure_after=10.0).verdict
    assert rows["verdict"].iloc[0] == expected
    big = ch.change_rows(pd.DataFrame([{**before, "value": 2000.0, "rate": 2.0}]),
                         pd.DataFrame([{**after, "value": 4000.0, "rate": 4.0}]), "rate")
    assert big["verdict"].iloc[0] == sg.ROSE_LARGE  # the same +100 % on a large base is "fors gestegen"


def test_change_view_defaults_end_at_the_chosen_period():
    hj = [f"{y}HJ0{h}" for y in range(2019, 2025) for h in (1, 2)]
    assert ch.default_periods(hj, ch.latest_half_year("2023JJ00", hj)) == ("2020HJ02", "2023HJ02")
    assert ch.default_periods(hj, ch.latest_half_year("2022HJ01", hj)) == ("2019HJ01", "2022HJ01")


def test_the_catalog_says_which_theme_opens_on_a_share():
    assert THEMES_BY_SLUG["veiligheid"].opens_on_share and not THEMES_BY_SLUG["kerncijfers"].opens_on_share


def test_the_comparison_with_the_own_vt_regio_says_what_is_significant(demo_db, monkeypatch):
    from vtdata.figures.pipeline import verdicts_against

    db = open_database(demo_db)
    cells = db.observations("84852NED", regions=["GM0518", "VT09"], periods=[PERIOD])
    assert len(cells)
    # shares against the VT-regio, tested independently here: a z-score on the binomial share
    frame = cells[cells["Veiligheidsbeoordeling"] == cells["Veiligheidsbeoordeling"].iloc[0]].copy()
    total_key = next(k for k, t in zip(frame["Veiligheidstaxatie"], frame["Veiligheidstaxatie_title"]) if t.strip() == "Totaal")
    totals = frame[frame["Veiligheidstaxatie"] == total_key].set_index("region")["value"]
    frame = frame[frame["Veiligheidstaxatie"] != total_key].assign(
        category=lambda f: f["Veiligheidstaxatie"], share=lambda f: f["value"] / f["region"].map(totals))
    found = verdicts_against(frame, "GM0518", "VT09", "share")
    for key, verdict in found.items():
        mine = frame[(frame["region"] == "GM0518") & (frame["category"] == key)].iloc[0]
        ref = frame[(frame["region"] == "VT09") & (frame["category"] == key)]["share"].iloc[0]
        n = totals["GM0518"]
        z = (mine["share"] - ref) / math.sqrt(ref * (1 - ref) / n)
        if abs(z) > 4:  # far beyond chance and rounding: must be called
            assert verdict == (sg.HIGHER if z > 0 else sg.LOWER), (key, z, verdict)
        if abs(z) < 1:  # well within chance: must not be called
            assert verdict == sg.NOT_DIFFERENT, (key, z, verdict)
    at = _page(demo_db, monkeypatch)
    text = "\n".join(m.value for m in at.markdown if "**Tegen" in m.value)
    assert "Tegen Amsterdam-Amstelland" in text and "Tegen Nederland" in text


@pytest.mark.parametrize("toon, line", [("aandeel", "van het totaal"), ("per1000", "per 1.000")])
def test_the_headline_follows_toon(demo_db, monkeypatch, toon, line):
    """One unit per view: the headline emphasises the unit chosen under "Toon" and tests ▲/▼ on it."""
    monkeypatch.setenv("VTDATA_DB", str(demo_db))
    at = AppTest.from_string("from vtdata.ui.theme import render_theme\nrender_theme('veiligheid')\n", default_timeout=240)
    at.query_params["region"], at.query_params["period"], at.query_params["toon"] = REGION, PERIOD, toon
    at.run()
    body = next(e.proto.body for e in at.get("html") if 'class="vt-head"' in e.proto.body)
    chosen = re.findall(r'vt-chosen">([^<]*)', body)
    assert chosen and all(line in c for c in chosen)
    for cell in re.findall(r"<td[^>]*>(.*?)</td>", body):
        if "vt-chosen" in cell and "vt-mark" in cell:  # a mark sits on the chosen unit's line when it has one
            marked = re.findall(r'<span class="vt-sub[^"]*">([^<]*)<span class="vt-mark"', cell)
            assert marked and all(line in m for m in marked), cell
