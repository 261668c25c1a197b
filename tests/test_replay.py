"""A theme page draws its figures once per database version and view, and replays them.

The second run of the same view must show exactly what the first run built
(texts, chart specs with their rows, the map) without building it again; the
explanations of presentation mode must survive the replay; and a new database
version is drawn anew.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.databases import published_copy
from vtdata.ui import charts, memo, segments

TIMEOUT = 180
PARAMS = {"region": "GM0363", "period": "2023HJ01"}


def _page(params: dict) -> AppTest:
    at = AppTest.from_string("from vtdata.ui.theme import render_theme\nrender_theme('overdrachten')\n", default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _shown(at: AppTest) -> dict:
    """What a user sees of a run, element by element."""
    return {
        "texts": [str(e.value) for kind in ("title", "subheader", "markdown", "caption", "info") for e in at.get(kind)],
        "charts": [(e.proto.spec, [d.data.data for d in e.proto.datasets]) for e in at.get("vega_lite_chart")],
        "maps": [e.proto.json for e in at.get("deck_gl_json_chart")],
    }


@pytest.fixture
def fresh_caches():
    """As in a process that has not drawn these views yet."""
    segments._replayed.clear()
    memo._built.cache_clear()
    yield


def test_a_rerun_replays_exactly_what_the_first_run_built(demo_db, fresh_caches, monkeypatch):
    built = []
    real = charts.comparison_chart  # a gemeente's distribution, beside its VT-regio and Nederland
    monkeypatch.setattr(charts, "comparison_chart", lambda *a, **k: built.append(1) or real(*a, **k))
    at = _page(PARAMS).run()
    at.query_params["weergave"] = "Kaart"  # the overview stays drawn beside the map's tab
    at.run()
    assert not at.exception
    first = _shown(at)
    assert built == [1] and first["charts"] and first["maps"]
    at.run()
    assert not at.exception
    assert built == [1], "the chart was built again on a rerun"
    assert _shown(at) == first


def test_another_view_is_drawn_for_itself(demo_db, fresh_caches):
    amsterdam = _shown(_page(PARAMS).run())
    rotterdam = _shown(_page({**PARAMS, "region": "GM0599"}).run())
    assert any("Rotterdam" in t for t in rotterdam["texts"])
    assert not any("Rotterdam" in t for t in amsterdam["texts"] if "Verdeling in" in t)
    assert rotterdam["charts"][0] != amsterdam["charts"][0]


def test_presentation_keeps_its_explanations_on_a_replay(demo_db, fresh_caches):
    at = _page({**PARAMS, "presentatie": "1", "stap": "2"}).run()  # the map
    assert not at.exception

    def explained() -> list[str]:
        uitleg = next(e for e in at.expander if e.label == "Uitleg")
        return [str(c.value) for c in uitleg.caption]

    first = explained()
    assert any("Per 1.000" in text for text in first), first
    at.run()
    assert explained() == first


def test_a_new_database_version_is_drawn_anew(demo_db, tmp_path, monkeypatch):
    from vtdata.model.catalog import theme
    from vtdata.storage.refresh import refresh
    from vtdata.ui import data

    db = published_copy(demo_db, tmp_path / "vtdata.duckdb")
    monkeypatch.setenv("VTDATA_DB", str(db))
    monkeypatch.setenv("VTDATA_AUTO_BUILD", "0")
    first_version = data.get_db().version
    built = []
    real = charts.comparison_chart  # a gemeente's distribution, beside its VT-regio and Nederland
    monkeypatch.setattr(charts, "comparison_chart", lambda *a, **k: built.append(1) or real(*a, **k))
    at = _page(PARAMS).run()
    assert not at.exception and len(built) == 1
    # a new version with the page's tables made anew (the others copied over: quicker than all ten)
    refresh(source="demo", db=db, table_ids=list(theme("overdrachten").tables))
    monkeypatch.setattr(data, "_RESOLVE_TTL", 0.0)  # see the new version at once
    assert data.get_db().version != first_version
    at.run()
    assert not at.exception
    assert len(built) == 2, "the page replayed the old version's drawing"


def test_a_changed_headline_is_given_time_to_show(demo_db, fresh_caches, monkeypatch):
    """The views under a headline are often ready at once (replayed, or cheap to make) and
    would reach the browser in the same burst, which it draws in one go: the headline only
    with the charts under it. A short pause after a changed headline lets it show first. A
    first run, a rerun of the same view and a tab click are not held up."""
    from types import SimpleNamespace

    from vtdata.ui.views import headline

    pauses = []
    monkeypatch.setattr(headline, "time", SimpleNamespace(sleep=pauses.append))

    def paused_after(change: dict) -> bool:
        pauses.clear()
        for key, value in change.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception
        return pauses == [headline.HEADLINE_PAUSE_S]

    at = _page(PARAMS).run()
    assert not pauses, "a first run has no headline on screen to change"
    assert paused_after({"region": "GM0599"}), "a new region"
    assert paused_after({"region": "GM0363"}), "back to a region shown before"
    assert not paused_after({}), "the same view again"
    assert not paused_after({"weergave": "Kaart"}), "a tab click does not change the headline"
    assert paused_after({"period": "2022HJ02"}), "another period"
