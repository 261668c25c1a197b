"""Pure chart builders and data shaping: Dutch formats, suppressed cells, voorlopig marking."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from vtdata.figures.view_cells import add_shares, to_cells

from vtdata.model.view_spec import dimension_view, measures_view, share_rule_text, total_key_of

from vtdata.outputs.view_export import csv_bytes, csv_filename, export_frame
from vtdata.model.catalog import Theme
from vtdata.ui import charts


def _obs(rows):
    """Observations in the shape of Database.observations (one extra dimension 'Kenmerken')."""
    out = []
    for region, period, status, cat, title, value in rows:
        out.append(
            {
                "table_id": "84852NED",
                "region": region,
                "region_title": f"{region} (gemeente)",
                "period": period,
                "period_title": period,
                "period_status": status,
                "measure": "OntvangenMeldingen_1",
                "measure_title": "Ontvangen meldingen",
                "unit": "aantal",
                "decimals": 0,
                "Kenmerken": cat,
                "Kenmerken_title": title,
                "value": math.nan if value is None else float(value),
                "suppressed": value is None,
            }
        )
    return pd.DataFrame(out)


CATS = pd.DataFrame(
    {
        "key": ["T001", "A1", "A2", "B1"],
        "title": ["Totaal", "Acute onveiligheid", "Structurele onveiligheid", "Overdracht"],
        "group_title": [None, "Veiligheidstaxatie", "Veiligheidstaxatie", "Veiligheidsbeoordeling"],
        "position": [0, 1, 2, 3],
    }
)
MEASURES = pd.DataFrame(
    {
        "key": ["OntvangenMeldingen_1"],
        "title": ["Ontvangen meldingen"],
        "description": [""],
        "unit": ["aantal"],
        "decimals": [0],
        "group_title": ["Meldingen"],
        "position": [3],
    }
)
DIMS = pd.DataFrame({"key": ["Kenmerken"], "title": ["Kenmerken"], "slot": ["cat1"], "position": [0]})


def _spec(category_groups=None):
    theme = Theme("t", "T", "intro", ("84852NED",), category_groups=category_groups)
    return dimension_view(theme, "84852NED", MEASURES, DIMS, lambda d: CATS, measure=None, dimension=None)


@pytest.fixture
def cells():
    spec = _spec()
    obs = _obs(
        [
            ("GM0363", "2023HJ01", "Definitief", "T001", "Totaal", 12345),
            ("GM0363", "2023HJ01", "Definitief", "A1", "Acute onveiligheid", 555),
            ("GM0363", "2023HJ01", "Definitief", "A2", "Structurele onveiligheid", None),
            ("GM0363", "2023HJ01", "Definitief", "B1", "Overdracht", 2000),
            ("GM0363", "2024HJ01", "Voorlopig", "T001", "Totaal", 13000),
            ("GM0363", "2024HJ01", "Voorlopig", "A1", "Acute onveiligheid", 650),
            ("GM0363", "2024HJ01", "Voorlopig", "A2", "Structurele onveiligheid", 40),
            ("GM0363", "2024HJ01", "Voorlopig", "B1", "Overdracht", None),
        ]
    )
    return add_shares(to_cells(obs, spec), spec), spec


def _datasets(chart) -> list[dict]:
    spec = chart.to_dict()
    rows = []
    for values in spec.get("datasets", {}).values():
        rows += values
    return rows


def test_view_spec_total_and_filter():
    spec = _spec(r"taxatie")
    assert spec.total_key == "T001"
    assert [c.key for c in spec.categories] == ["T001", "A1", "A2"]  # the total is kept, B1 filtered out
    assert spec.has_shares
    assert spec.query_args()["categories"] == {"Kenmerken": ("T001", "A1", "A2")}


def test_no_total_is_not_silently_the_first_category():
    cats = pd.DataFrame({"key": ["X", "Y"], "title": ["Eerste", "Tweede"], "position": [0, 1]})
    assert total_key_of(cats) is None
    theme = Theme("t", "T", "intro", ("84852NED",))
    spec = dimension_view(theme, "84852NED", MEASURES, DIMS, lambda d: cats, measure=None, dimension=None)
    assert spec.total_key is None and not spec.has_shares
    assert "Geen totaal" in spec.no_share_reason and share_rule_text(spec) == spec.no_share_reason


def test_cells_keep_statline_values_and_suppression(cells):
    df, spec = cells
    secret = df[(df["category"] == "A2") & (df["period"] == "2023HJ01")].iloc[0]
    assert secret["suppressed"] and math.isnan(secret["value"])
    assert secret["value_label"] == "geheim"
    total = df[(df["category"] == "T001") & (df["period"] == "2023HJ01")].iloc[0]
    assert total["value_label"] == "12.345"
    assert df[df["period"] == "2024HJ01"]["period_label"].unique().tolist() == ["1e halfjaar 2024*"]


def test_shares_exclude_suppressed(cells):
    df, spec = cells
    a1 = df[(df["category"] == "A1") & (df["period"] == "2023HJ01")].iloc[0]
    assert a1["share"] == pytest.approx(555 / 12345)
    assert a1["share_label"] == "4,5%"
    a2 = df[(df["category"] == "A2") & (df["period"] == "2023HJ01")].iloc[0]
    assert math.isnan(a2["share"]) and a2["share_label"] == "geheim"


def test_locale_is_dutch(cells):
    df, _ = cells
    chart = charts.distribution_chart(df, measure=charts.MEASURE_COUNT, description="Beschrijving")
    spec = chart.to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["description"] == "Beschrijving"
    assert charts.NUMBER_FORMAT in json.dumps(spec)


def test_distribution_suppressed_not_zero(cells):
    df, _ = cells
    now = df[df["period"] == "2023HJ01"]
    chart = charts.distribution_chart(now, measure=charts.MEASURE_COUNT, description="d")
    rows = _datasets(chart)
    secret = [r for r in rows if r["category"] == "A2"]
    assert secret and all(r["value"] is None for r in secret)
    assert all(r["value_label"] == "geheim" for r in secret)
    dumped = json.dumps(chart.to_dict())
    assert "isValid(datum.value)" in dumped  # bars only for known values
    assert "datum.suppressed" in dumped  # a "geheim" label layer
    # tooltips use the Dutch-formatted strings
    assert any(r["value_label"] == "12.345" for r in rows)


def test_share_chart_format_and_tooltip(cells):
    df, _ = cells
    now = df[(df["period"] == "2023HJ01") & (df["category"] != "T001")]
    spec = charts.distribution_chart(now, measure=charts.MEASURE_SHARE, description="d").to_dict()
    dumped = json.dumps(spec)
    assert f'"format": "{charts.SHARE_FORMAT}"' in dumped
    assert "share_label" in dumped


def test_trend_marks_voorlopig(cells):
    df, _ = cells
    chart = charts.trend_chart(df[df["category"] != "T001"], measure=charts.MEASURE_COUNT, description="d")
    rows = _datasets(chart)
    assert {r["status"] for r in rows} == {"definitief", "voorlopig"}
    dumped = json.dumps(chart.to_dict())
    assert "strokeDash" in dumped
    assert "1e halfjaar 2024*" in dumped
    assert all(r["value"] is None for r in rows if r["suppressed"])
    assert "break-paths" in dumped  # lines break at suppressed cells instead of dropping to 0


def test_trend_small_multiples_give_every_category_its_own_axis(cells):
    df, _ = cells
    spec = charts.trend_chart(df, measure=charts.MEASURE_COUNT, description="d", small_multiples=True).to_dict(validate=False)
    assert spec["facet"]["field"] == "category_title"
    assert spec["resolve"]["scale"]["y"] == "independent"  # the total's scale does not flatten its parts
    assert spec["columns"] == charts.SMALL_MULTIPLE_COLUMNS
    panels = spec["facet"]["sort"]
    assert panels == ["Totaal", "Acute onveiligheid", "Structurele onveiligheid", "Overdracht"]
    rows = next(iter(spec["datasets"].values()))
    assert all(r["value"] is None for r in rows if r["suppressed"])  # geheim stays null in every panel
    dumped = json.dumps(spec)
    assert "break-paths" in dumped and "strokeDash" in dumped and "datum.suppressed" in dumped
    # one data set for all layers, each layer filters its own rows
    assert {r["layer"] for r in rows} == {"line", "point"}


def test_ranking_reference_and_highlight():
    spec = _spec()
    obs = _obs(
        [(f"GM{i:04d}", "2023HJ01", "Definitief", "A1", "Acute onveiligheid", (None if i == 3 else 10 * i)) for i in range(1, 6)]
    )
    df = add_shares(to_cells(obs, spec), spec)
    chart = charts.ranking_chart(df, measure=charts.MEASURE_COUNT, description="d", selected="GM0002", reference=25.0)
    dumped = json.dumps(chart.to_dict())
    assert "datum.selected" in dumped and '"ref"' in dumped
    rows = _datasets(chart)
    assert [r for r in rows if r.get("region") == "GM0003"][0]["value"] is None


def test_export_frame_symbols_and_empty_value(cells):
    df, spec = cells
    out = export_frame(df, spec, source="CBS StatLine", with_share=True)
    assert {"tabel", "regio_code", "regio", "periode_code", "periode", "onderwerp_code", "Kenmerken_code", "Kenmerken", "waarde", "symbool", "bron"} <= set(out.columns)
    secret = out[(out["Kenmerken_code"] == "A2") & (out["periode_code"] == "2023HJ01")].iloc[0]
    assert secret["symbool"] == "." and secret["waarde"] == ""
    prov = out[(out["Kenmerken_code"] == "A1") & (out["periode_code"] == "2024HJ01")].iloc[0]
    assert prov["symbool"] == "*" and prov["waarde"] == "650"
    assert prov["aandeel_procent"] == "5,0"  # 650 of 13000
    text = csv_bytes(out).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("tabel;regio_code")
    # counts as whole numbers, as StatLine gives them (0 decimals)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["waarde"] for r in rows if r["periode_code"] == "2023HJ01"] == ["12345", "555", "", "2000"]
    assert {r["bron"] for r in rows} == {"CBS StatLine"}


def test_export_of_demo_data_says_so_and_keeps_statlines_decimals(cells):
    from vtdata.outputs.export import source_label

    df, spec = cells
    df = df.assign(unit="%", decimals=1)
    df.loc[df["value"].notna(), "value"] = 12.5
    out = export_frame(df, spec, source=source_label("demo"))
    text = csv_bytes(out).decode("utf-8-sig")
    rows = text.splitlines()[1:]
    assert rows and all(r.endswith(";DEMO: demonstratiegegevens, geen CBS-cijfers") for r in rows)
    assert ";12,5;" in text
    assert csv_filename("veiligheid", "Súdwest-Fryslân", "1e halfjaar 2023*") == "veilig-thuis_veiligheid_sudwest-fryslan_1e-halfjaar-2023.csv"


def test_measures_view_groups():
    measures = pd.DataFrame(
        {
            "key": ["M1", "M2", "M3", "P1"],
            "title": ["Totaal vervolgmeldingen", "Tijdens beoordeling", "Na beoordeling", "Relatief totaal"],
            "unit": ["aantal", "aantal", "aantal", "%"],
            "decimals": [0, 0, 0, 1],
            "group_title": ["Ontvangen meldingen", "Ontvangen meldingen", "Ontvangen meldingen", "Relatief"],
            "position": [1, 2, 3, 4],
        }
    )
    spec = measures_view("85361NED", measures, group=None)
    assert spec.total_key == "M1" and spec.has_shares
    spec2 = measures_view("85361NED", measures, group="Relatief")
    assert spec2.is_percent and not spec2.has_shares


def _tick_labels(chart) -> list[list[str]]:
    """The tick labels of every axis of the chart as drawn (SVG by vl-convert, as the image export)."""
    import re

    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    axes = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, re.S)
    return [re.findall(r"<text[^>]*>([^<]*)</text>", axis) for axis in axes]


@pytest.mark.parametrize("measure, scale", [(charts.MEASURE_RATE, 0.001), (charts.MEASURE_SHARE, 0.0001), (charts.MEASURE_COUNT, 1)])
def test_axis_labels_in_a_narrow_range_do_not_repeat(cells, measure, scale):
    """A small category's panel (rates 0,002-0,008 per 1.000) read "0,01 0,01 0,01": every tick says its own value."""
    df, _ = cells
    df = df.assign(rate=[2 * scale, 4 * scale, 5 * scale, 8 * scale] * 2, share=[2 * scale, 4 * scale, 5 * scale, 8 * scale] * 2,
                   value=[2.0, 3.0, 4.0, 1.0] * 2, suppressed=False, rate_label="x", share_label="x")
    for chart in (charts.distribution_chart(df, measure=measure, description="D"),
                  charts.trend_chart(df, measure=measure, description="T", small_multiples=True)):
        axes = [labels for labels in _tick_labels(chart) if len(labels) > 1 and all(any(ch.isdigit() for ch in t) for t in labels)]
        assert axes, "no value axis found"
        for labels in axes:
            assert len(labels) == len(set(labels)), f"{measure}: repeated tick labels {labels}"


def test_a_chart_ships_only_the_columns_it_names_and_draws_the_same(cells):
    """Unused cell columns are left out of the datasets; the drawing does not change."""
    import vl_convert

    df, _ = cells
    for chart in (charts.distribution_chart(df, measure=charts.MEASURE_SHARE, description="D"),
                  charts.trend_chart(df, measure=charts.MEASURE_COUNT, description="T", small_multiples=True)):
        full = chart.to_dict()
        trimmed = charts.named_columns_only(full)
        before = {k for rows in full["datasets"].values() for row in rows for k in row}
        after = {k for rows in trimmed["datasets"].values() for row in rows for k in row}
        assert after < before and "change_label" not in after  # a share or count chart shows no change
        assert vl_convert.vegalite_to_svg(trimmed) == vl_convert.vegalite_to_svg(full)
