"""Every theme page under `streamlit.testing.v1.AppTest` on the demo database.

Checks: renders without exception, has Altair charts and a map, the figures in
the chart data equal the query results for the selected region and period,
and bad view parameters fall back without crashing.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from vtdata.model.catalog import THEMES
from vtdata.ui import theme as theme_mod

TIMEOUT = 180
SLUGS = [t.slug for t in THEMES]


def page(slug: str, params: dict[str, str] | None = None) -> AppTest:
    script = f"from vtdata.ui.theme import render_theme\nrender_theme({slug!r})\n"
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(scope="module")
def db(demo_db):
    from vtdata.storage.queries import open_database

    return open_database(demo_db)


def _period(db) -> str:
    hj = db.periods()
    hj = hj[hj["kind"] == "HJ"]
    return str(hj["code"].iloc[-3])  # a definitive half-year with a year before it


def _chart_rows(element) -> list[dict]:
    """The data rows Streamlit sends with a vega-lite chart (datasets as Arrow)."""
    proto = element.proto
    rows: list[dict] = []
    for ds in proto.datasets:
        table = pa.ipc.open_stream(ds.data.data).read_all()
        rows += table.to_pylist()
    if not rows:
        spec = json.loads(proto.spec)
        for values in spec.get("datasets", {}).values():
            rows += values
    return rows


def _assert_valid_vega_lite(at: AppTest) -> None:
    """Every chart Streamlit sends is a valid Vega-Lite spec (the app builds them with Altair's
    validation off, `vtdata.ui.charts`)."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    for element in at.get("vega_lite_chart"):
        error = validate_jsonschema(json.loads(element.proto.spec), schema, raise_error=False)
        assert error is None, f"{element.proto.alt}: {error}"


def _no_errors(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]


@pytest.mark.parametrize("slug", SLUGS)
def test_theme_page_renders_national(demo_db, db, slug):
    at = page(slug, {"region": "NL01", "period": _period(db)})
    _no_errors(at)
    assert len(at.get("vega_lite_chart")) >= 2
    _assert_valid_vega_lite(at)
    assert not at.get("deck_gl_json_chart")  # the map has its own tab: a first visit loads no deck.gl
    assert [t.label for t in at.tabs] == list(theme_mod.TABS)
    at.query_params[theme_mod.P_TAB] = theme_mod.TAB_MAP
    at.run()
    _no_errors(at)
    assert len(at.get("deck_gl_json_chart")) == 1


@pytest.mark.parametrize("slug", SLUGS)
def test_theme_page_gemeente_or_message(demo_db, db, slug):
    """A gemeente: either its table, or (VT-only tables) a Dutch message."""
    at = page(slug, {"region": "GM0363", "period": _period(db)})
    _no_errors(at)
    tables = set(db.tables_holding("GM0363"))
    theme = next(t for t in THEMES if t.slug == slug)
    if tables & set(theme.tables):
        assert len(at.get("vega_lite_chart")) >= 2  # distribution, trend (comparison: rates or shares only)
        _assert_valid_vega_lite(at)
    else:
        assert any("geen cijfers" in str(i.value) for i in at.info)


@pytest.mark.parametrize("slug", SLUGS)
def test_compare_tab(demo_db, db, slug):
    at = page(slug, {"region": "NL01", "period": _period(db), theme_mod.P_TAB: theme_mod.TAB_COMPARE})
    _no_errors(at)
    assert len(at.get("vega_lite_chart")) >= 1
    _assert_valid_vega_lite(at)


def test_change_tab_draws_valid_charts(demo_db, db):
    at = page("overdrachten", {"region": "GM0363", "period": _period(db), theme_mod.P_TAB: theme_mod.TAB_CHANGE})
    _no_errors(at)
    assert len(at.get("vega_lite_chart")) >= 1
    _assert_valid_vega_lite(at)


def test_the_regions_without_a_comparable_change_are_listed_only_once_opened(demo_db, db):
    """A data grid in a closed expander would still make a fresh browser start Streamlit's grid (seconds)."""
    at = page("overdrachten", {"region": "GM0363", "period": _period(db), theme_mod.P_TAB: theme_mod.TAB_CHANGE})
    flagged = [e for e in at.expander if "zonder vergelijkbare verandering" in e.label]
    assert len(flagged) == 1 and not at.dataframe
    at.session_state["chgflag-overdrachten"] = True  # what opening the expander does
    at.run()
    _no_errors(at)
    assert len(at.dataframe) == 1
    listed = at.dataframe[0].value
    assert list(listed.columns) == ["Regio", "Reden"]
    assert len(listed) == int(flagged[0].label.split()[0])


def test_the_notes_field_is_built_once_opened_and_keeps_its_note(demo_db, db):
    """A text area mounted in a closed expander cost every first visit about 0.2 s of browser work."""
    from vtdata.ui.notes import STATE_KEY
    from vtdata.ui.views.common import notes_key

    at = page("overdrachten", {"region": "GM0363", "period": _period(db)})
    assert [e.label for e in at.expander].count("Notities bij deze weergave") == 1 and not at.text_area
    opened = notes_key("overdrachten", theme_mod.TAB_OVERVIEW)
    at.session_state[opened] = True  # what opening the expander does
    at.run()
    at.text_area[0].input("GGZ valt op").run()
    _no_errors(at)
    at.session_state[opened] = False  # closed again: the note stays in the session's notes
    at.run()
    assert not at.text_area
    assert [n.text for n in at.session_state[STATE_KEY].values()] == ["GGZ valt op"]
    at.session_state[opened] = True
    at.run()
    assert at.text_area[0].value == "GGZ valt op"


@pytest.mark.parametrize("slug", SLUGS)
def test_ranking_tab_names_every_bar_and_says_what_stands_out(demo_db, db, slug):
    at = page(slug, {"region": "NL01", "period": _period(db), theme_mod.P_TAB: theme_mod.TAB_RANKING})
    _no_errors(at)
    _assert_valid_vega_lite(at)
    assert any("Wat valt op" in str(h.value) for h in at.subheader)
    rows = _chart_rows(at.get("vega_lite_chart")[0])
    assert rows and all(r.get("rank_label") for r in rows if "region" in r)


def _statline_cells(table_id: str, region: str, period: str):
    """The StatLine rows of one region and period, straight from the demo snapshot.

    Independent of the loader, the queries and the page code: the demo database
    the app reads is built from these same deterministic snapshots.
    """
    from vtdata.source.demo import build_demo_snapshots

    snapshot = build_demo_snapshots([table_id])[0]
    others = [p["Key"] for p in snapshot.data_properties if p["Type"] == "Dimension"]
    totals = {
        dim: next(r["Key"].strip() for r in snapshot.entities[dim] if r["Title"].strip().lower().startswith("totaal"))
        for dim in others
    }
    rows = [r for r in snapshot.rows if r["RegioS"].strip() == region and r["Perioden"].strip() == period]
    return snapshot.topic_keys, others, totals, rows


def _same(chart_value, statline_value) -> bool:
    if statline_value is None:  # suppressed: never a number on the chart
        return chart_value is None or (isinstance(chart_value, float) and math.isnan(chart_value))
    return chart_value is not None and chart_value == pytest.approx(statline_value)


@pytest.mark.parametrize("slug", ["veiligheid", "overdrachten", "kerncijfers"])
def test_distribution_equals_statline(demo_db, db, slug):
    """The first chart's rows are StatLine's cells of that region and period, exactly."""
    period = _period(db)
    theme = next(t for t in THEMES if t.slug == slug)
    table = theme.tables[0]  # NL01 is in every table: the first preference is used
    at = page(slug, {"region": "NL01", "period": period, theme_mod.P_SHOW: theme_mod.SHOW_COUNT})
    _no_errors(at)
    got = {r["category"]: r["value"] for r in _chart_rows(at.get("vega_lite_chart")[0]) if "category" in r}
    assert got
    topics, others, totals, rows = _statline_cells(table, "NL01", period)
    if not others:  # the categories are the table's topics, all in the one row
        (row,) = rows
        assert set(got) <= set(topics)
        assert all(_same(got[k], row[k]) for k in got), {k: (got[k], row[k]) for k in got}
        return
    # one dimension broken down, the others at their total, one topic
    (dim,) = [d for d in others if all(any(r[d].strip() == k for r in rows) for k in got)][:1]
    at_total = [r for r in rows if all(r[o].strip() == totals[o] for o in others if o != dim)]
    cells = {r[dim].strip(): r for r in at_total}
    assert set(got) <= set(cells)
    matching = [t for t in topics if all(_same(got[k], cells[k][t]) for k in got)]
    assert matching, f"no topic of {table} has the chart's values {got}"


@pytest.mark.parametrize(
    "params",
    [
        {"onderwerp": "bestaat-niet", "indeling": "x", "categorie": "<b>", "niveau": "ZZ", "toon": "veel"},
        {"vergelijk": "nee", "weergave": "Onzin"},
        {"region": "GM9999", "period": "1900HJ01"},
    ],
)
def test_bad_params_do_not_crash(demo_db, db, params):
    base = {"region": "NL01", "period": _period(db)}
    base.update(params)
    at = page("veiligheid", base)
    _no_errors(at)
    assert len(at.get("vega_lite_chart")) >= 1


def test_switch_dimension_and_level(demo_db, db):
    """84852NED has two other dimensions: breaking down by the second keeps the first at its total."""
    period = _period(db)
    dims = db.dimensions("84852NED")
    if len(dims) < 2:
        pytest.skip("demo table has one other dimension")
    second = str(dims.sort_values("position")["key"].iloc[1])
    at = page("veiligheid", {"region": "VT01", "period": period, theme_mod.P_DIMENSION: second, theme_mod.P_LEVEL: "VT"})
    _no_errors(at)
    assert any("Vast op het totaal" in str(c.value) for c in at.caption)
    rows = [r for r in _chart_rows(at.get("vega_lite_chart")[0]) if "category" in r]
    keys = set(db.categories("84852NED", second)["key"])
    assert rows and {r["category"] for r in rows} <= keys


def test_vt_only_theme_offers_the_gemeentes_own_region(demo_db):
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=240)
    at.query_params["region"] = "GM0363"
    at.query_params["period"] = "2023JJ00"
    at.run()
    at.switch_page("app_pages/uitkomsten_onderzoek.py").run()
    assert not at.exception
    button = next(b for b in at.button if "Amsterdam-Amstelland" in b.label)
    button.click().run()
    assert not at.exception
    assert at.query_params["region"] == "VT01"


def test_presentation_mode_has_projector_fonts_and_no_tables(demo_db, db):
    from vtdata.ui import presentation

    at = page("veiligheid", {"region": "GM0363", "period": _period(db), "presentatie": "1", "stap": "3"})
    _no_errors(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    _assert_valid_vega_lite(at)
    config = json.loads(charts[0].proto.spec)["config"]
    assert config["axis"]["labelFontSize"] >= 14 and config["axis"]["titleFontSize"] >= 14
    assert not [e for e in at.expander if e.label == "Tabel"]
    labels = [e.label for e in at.expander]
    assert "Uitleg" in labels and "Tabel" not in labels
    assert presentation.LABEL_SIZE >= 14


def test_rates_are_the_default_across_regions_and_say_how_they_were_made(demo_db, db):
    at = page("overdrachten", {"region": "GM0363", "period": _period(db), theme_mod.P_TAB: theme_mod.TAB_RANKING})
    _no_errors(at)
    rows = [r for r in _chart_rows(at.get("vega_lite_chart")[0]) if "region" in r]
    year = int(_period(db)[:4])
    pop = db.population(None, year).set_index("region")["inwoners"]
    known = [r for r in rows if r.get("rate") is not None and r["rate"] == r["rate"]]
    assert known
    for r in known:  # rate = count / inwoners on 1 January x 1000, computed here independently
        assert r["rate"] == pytest.approx(r["value"] / pop[r["region"]] * 1000)
    assert any("per 1.000 inwoners op 1 januari" in str(c.value) for c in at.caption)


def test_tabs_opened_for_a_view_stay_drawn_until_the_view_changes(demo_db, db):
    """A tab opened before is drawn again (hidden) while the view stays the same, so the browser keeps
    its charts and map and switching back needs no new drawing; another region starts from the open tab."""
    at = page("overdrachten", {"region": "GM0363", "period": _period(db)})
    drawn = lambda: [bool(t.children) for t in at.tabs]  # noqa: E731
    assert drawn() == [True, False, False, False, False]  # only the open tab runs
    at.session_state[theme_mod.P_TAB] = theme_mod.TAB_MAP
    at.run()
    _no_errors(at)
    assert drawn() == [True, True, False, False, False]
    at.session_state[theme_mod.P_TAB] = theme_mod.TAB_RANKING
    at.run()
    _no_errors(at)
    assert drawn() == [True, True, True, False, False]
    assert len(at.get("deck_gl_json_chart")) == 1  # the map, still there for the way back
    at.session_state[theme_mod.P_TAB] = theme_mod.TAB_OVERVIEW
    at.run()
    assert drawn() == [True, True, True, False, False]
    at.query_params["region"] = "GM0344"
    at.run()
    _no_errors(at)
    assert drawn() == [True, False, False, False, False]


def test_the_trend_shows_a_bounded_window_and_says_so(demo_db, db):
    """The trend chart ships the last TREND_HALF_YEARS half-years, not the whole history, and says where the rest is."""
    from vtdata.ui.views.overview import TREND_HALF_YEARS

    every = db.periods().query("kind == 'HJ'")["code"].tolist()
    assert len(every) > TREND_HALF_YEARS  # the demo's history is longer than the window
    at = page("overdrachten", {"region": "GM0363", "period": _period(db)})
    _no_errors(at)
    over_time = [{r["period"] for r in _chart_rows(c) if "period" in r} for c in at.get("vega_lite_chart")]
    trend = max(over_time, key=len)  # the one chart with periods along its axis
    assert len(trend) > 1 and trend <= set(every[-TREND_HALF_YEARS:])
    assert any(f"de laatste {TREND_HALF_YEARS} halfjaren" in c.value for c in at.caption)


def test_a_regions_distribution_stands_beside_its_vt_regio_and_nederland(demo_db, db):
    """A gemeente's own bars are drawn once: in one chart beside its Veilig Thuis-regio and Nederland,
    followed by the trend. Nederland, and a region shown in counts (which a comparison across regions
    never uses), keep a distribution of their own."""
    period = _period(db)

    def overview(params: dict) -> tuple[list[str], list[set[str]]]:
        at = page("overdrachten", {"period": period, **params})
        _no_errors(at)
        headings = [str(h.value) for h in at.subheader]
        charts = [{r["region"] for r in _chart_rows(c)} for c in at.get("vega_lite_chart")]
        return headings, charts

    headings, charts = overview({"region": "GM0363"})
    assert headings[0].startswith("Verdeling in Amsterdam, ") and headings[0].endswith("naast Amsterdam-Amstelland (VT) en Nederland")
    assert not any(h.startswith("Vergelijking met") for h in headings)
    vt = db.vt_region_of("GM0363", int(period[:4]))
    assert charts[0] == {"GM0363", vt, "NL01"} and len(charts) == 2  # the comparison, then the trend
    assert charts[1] == {"GM0363"}

    headings, charts = overview({"region": "GM0363", theme_mod.P_SHOW: theme_mod.SHOW_COUNT})
    assert headings[0].startswith("Verdeling in Amsterdam, ") and "naast" not in headings[0]
    assert charts[0] == {"GM0363"}

    headings, charts = overview({"region": "NL01"})
    assert headings[0].startswith("Verdeling in Nederland, ") and charts[0] == {"NL01"}
