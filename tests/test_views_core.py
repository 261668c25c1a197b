"""The pure shaping behind the headline, ranking and change views, on hand-made frames.

Expected values are worked out by hand in each test, not by the code under test.
"""

from __future__ import annotations


import pandas as pd
import pytest

from vtdata.figures import change as ch
from vtdata.figures import headline as hl
from vtdata.figures import ranking as rk
from vtdata.model.view_spec import Category, MODE_MEASURES, ViewSpec
from vtdata.outputs.view_export import export_frame
from vtdata.model.lifetimes import Lifetimes, mark_absent


def cells(rows):
    """rows: (region, period, category, value or None for geheim)."""
    df = pd.DataFrame(rows, columns=["region", "period", "category", "value"])
    df["suppressed"] = df["value"].isna()
    df["absent"] = False
    df["region_title"] = df["region"]
    df["unit"] = "aantal"
    df["decimals"] = 0
    df["provisional"] = False
    return df


LIFE = Lifetimes.from_frame(
    pd.DataFrame(
        [("GM", 2020, "GM0001"), ("GM", 2020, "GM0002"), ("GM", 2021, "GM0003"), ("GM", 2021, "GM0001"),
         ("VT", 2020, "VT16"), ("VT", 2023, "VT27")],
        columns=["level", "year", "code"],
    )
)


def test_lifetimes_exist_only_in_their_years():
    assert LIFE.exists("GM0002", 2020) and not LIFE.exists("GM0002", 2021)
    assert not LIFE.exists("GM0003", 2020) and LIFE.exists("GM0003", 2022)  # after the last year: the last
    assert LIFE.exists("GM0002", 2019)  # before the first year: the first year's regions
    assert not LIFE.exists("VT27", 2021) and LIFE.exists("VT16", 2022) and not LIFE.exists("VT16", 2023)
    assert LIFE.exists("NL01", 1900) and LIFE.exists("PV27", 2030)
    assert LIFE.span("GM0001") == (2020, 2021)


def test_absent_cells_are_not_secret():
    df = cells([("GM0002", "2021HJ01", "x", None), ("GM0001", "2021HJ01", "x", None)])
    out = mark_absent(df.drop(columns="absent"), LIFE)
    gm2, gm1 = out.iloc[0], out.iloc[1]
    assert bool(gm2["absent"]) and not bool(gm2["suppressed"])
    assert not bool(gm1["absent"]) and bool(gm1["suppressed"])


def test_headline_rows_change_and_secret():
    items = [Category("m", "Meldingen")]
    compared = [hl.Compared(hl.ROLE_REGION, "GM0001", "A"), hl.Compared(hl.ROLE_NL, "NL01", "NL")]
    df = cells([
        ("GM0001", "2023HJ01", "m", 120.0), ("GM0001", "2022HJ01", "m", 100.0),
        ("NL01", "2023HJ01", "m", None), ("NL01", "2022HJ01", "m", 5000.0),
    ])
    rows = hl.headline_rows(df, items, compared, "2023HJ01", "2022HJ01").set_index("region")
    assert rows.loc["GM0001", "change"] == 20 and rows.loc["GM0001", "change_pct"] == pytest.approx(20.0)
    assert rows.loc["GM0001", "change_label"] == "+20 (+20,0%)"
    assert rows.loc["NL01", "value_label"] == "geheim" and pd.isna(rows.loc["NL01", "change"])


def test_headline_percentage_needs_a_base():
    items = [Category("m", "M")]
    compared = [hl.Compared(hl.ROLE_REGION, "GM0001", "A")]
    df = cells([("GM0001", "2023HJ01", "m", 15.0), ("GM0001", "2022HJ01", "m", 10.0)])
    row = hl.headline_rows(df, items, compared, "2023HJ01", "2022HJ01").iloc[0]
    assert row["change"] == 5 and row["change_pct"] is None and row["change_label"] == "+5"


def test_headline_measures_first_count_per_group():
    measures = pd.DataFrame(
        {
            "key": ["a1", "a2", "m1", "p1"],
            "title": ["Gestarte adviezen", "Afgeronde adviezen", "Ontvangen meldingen", "Aandeel"],
            "unit": ["aantal", "aantal", "aantal", "%"],
            "group_title": ["Adviezen", "Adviezen", "Meldingen", "Meldingen"],
            "position": [1, 2, 3, 4],
            "decimals": [0, 0, 0, 1],
        }
    )
    assert [c.key for c in hl.headline_measures(measures)] == ["a1", "m1"]


def test_ranking_rows_gemeenten_top_bottom_selected_neighbours():
    n = 60
    df = cells([(f"GM{i:04d}", "2023HJ01", "x", float(i)) for i in range(1, n + 1)] + [("GM9999", "2023HJ01", "x", None)])
    rows = rk.ranking_rows(df, "value", selected="GM0030", neighbours=["GM0031", "GM9999"], added=["GM0040"])
    shown = rows["region"].tolist()
    # highest value (60) has rank 1; the 10 highest are GM0060..GM0051, the 10 lowest GM0010..GM0001
    assert shown[:10] == [f"GM{i:04d}" for i in range(60, 50, -1)]
    assert shown[-1] == "GM9999" and rows.iloc[-1]["rank_label"] == "– GM9999"
    assert {"GM0030", "GM0031", "GM0040"} <= set(shown)
    assert len(shown) == 10 + 10 + 3 + 1
    sel = rows[rows["region"] == "GM0030"].iloc[0]
    assert sel["rank"] == 31 and sel["rank_label"] == "31. GM0030" and bool(sel["selected"])


def test_ranking_rows_small_level_shows_all_and_skips_absent():
    df = cells([(f"VT{i:02d}", "2023HJ01", "x", float(i)) for i in range(1, 26)])
    df.loc[df["region"] == "VT05", "absent"] = True
    rows = rk.ranking_rows(df, "value", selected="VT01")
    assert len(rows) == 24 and "VT05" not in set(rows["region"])


def test_change_default_periods_three_years_back():
    hj = [f"{y}HJ0{h}" for y in range(2019, 2026) for h in (1, 2) if (y, h) <= (2025, 1)]
    assert ch.default_periods(hj) == ("2022HJ01", "2025HJ01")
    assert ch.default_periods(["2024HJ01", "2025HJ01"]) == ("2024HJ01", "2025HJ01")


def test_change_rows_statuses_and_moved_gemeente():
    before = cells([("GM1", "2021HJ01", "x", 100.0), ("GM2", "2021HJ01", "x", None), ("GM3", "2021HJ01", "x", 10.0)])
    after = cells([("GM1", "2024HJ01", "x", 150.0), ("GM2", "2024HJ01", "x", 80.0), ("GM3", "2024HJ01", "x", 30.0), ("GM4", "2024HJ01", "x", 50.0)])
    rows = ch.change_rows(before, after, "value", vt_before={"GM1": "VT16"}, vt_after={"GM1": "VT27"}, vt_names={"VT16": "Brabant Noordoost", "VT27": "Oost-Brabant"}).set_index("region")
    assert rows.loc["GM1", "change"] == 50 and rows.loc["GM1", "change_pct"] == pytest.approx(50.0)
    assert rows.loc["GM1", "moved"] and "Brabant Noordoost" in rows.loc["GM1", "reason"]
    assert rows.loc["GM2", "status"] == ch.STATUS_SECRET and pd.isna(rows.loc["GM2", "change"])
    assert rows.loc["GM3", "status"] == ch.STATUS_SMALL and rows.loc["GM3", "change"] == 20 and pd.isna(rows.loc["GM3", "change_pct"])
    assert rows.loc["GM4", "status"] == ch.STATUS_ABSENT
    assert ch.change_label(50.0, 50.0) == "+50 (+50%)" and ch.change_label(-5.0, None) == "−5"


def test_export_frame_carries_rates_and_absent_regions():
    spec = ViewSpec("T", MODE_MEASURES, (Category("m", "Meldingen"),), None, "aantal", 0)
    df = cells([("GM0001", "2023HJ01", "m", 90.0), ("GM0002", "2023HJ01", "m", None)])
    df["table_id"], df["period_title"], df["measure"], df["measure_title"], df["category_title"] = "T", "x", "m", "M", "Meldingen"
    df["rate"], df["rate_basis"] = [4.5, float("nan")], ["per 1.000 inwoners op 1 januari 2023", ""]
    df.loc[1, ["absent", "suppressed"]] = [True, False]
    out = export_frame(df, spec, source="CBS StatLine")
    assert out["per_1000"].tolist() == ["4,50", ""]  # 90 / 20.000 x 1.000, worked out by hand
    assert out["opmerking"].tolist() == ["", "regio bestond in deze periode niet"]
    assert out["waarde"].tolist() == ["90", ""]
