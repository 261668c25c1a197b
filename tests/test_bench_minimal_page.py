"""The browser benchmark's minimal page (its floor): it runs, and its map mode draws the boundaries vtdata draws.

Its map's size is set in the browser's layout, outside AppTest's reach: the benchmark measures it
and prints it beside vtdata's."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from benchmarks.support import MINIMAL_PAGE, MINIMAL_YEAR, write_minimal_shapes
from vtdata.storage.queries import open_database


def _run(folder, monkeypatch, **params) -> AppTest:
    """The page run in `folder`: it reads its map data next to itself, as under `streamlit run`."""
    monkeypatch.chdir(folder)
    at = AppTest.from_string(MINIMAL_PAGE, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_the_minimal_page_writes_the_choice(tmp_path, monkeypatch):
    at = _run(tmp_path, monkeypatch)
    assert not at.exception
    assert at.selectbox[0].label == "Keuze"
    assert any("Gekozen: Een" in m.value for m in at.markdown)


def test_the_minimal_map_has_the_boundaries_vtdata_draws(tmp_path, demo_db, monkeypatch):
    write_minimal_shapes(tmp_path, demo_db)
    at = _run(tmp_path, monkeypatch, kaart="vt", open="1", breed="820", hoog="440")
    assert not at.exception
    deck = at.get("deck_gl_json_chart")[0].proto
    spec = json.loads(deck.json)
    features = spec["layers"][0]["data"]["features"]
    shapes = open_database(demo_db).shapes("VT", MINIMAL_YEAR)
    assert sorted(f["properties"]["code"] for f in features) == sorted(shapes["code"])
    assert "\n" not in deck.json  # sent compactly, as vtdata sends its maps
    assert any("Gekozen: geen" in m.value for m in at.markdown)


def test_the_minimal_map_waits_for_its_selectbox(tmp_path, demo_db, monkeypatch):
    write_minimal_shapes(tmp_path, demo_db)
    at = _run(tmp_path, monkeypatch, kaart="gm")
    assert not at.get("deck_gl_json_chart")
    at.selectbox[0].set_value("Kaart").run()
    assert len(json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]) > 300
