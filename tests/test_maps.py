"""The choropleth builder (pure) and its Streamlit renderer (AppTest)."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from vtdata.storage import geo
from vtdata.ui import maps
from vtdata.ui.maps import MISSING_COLOR, SUPPRESSED_COLOR, build_choropleth, hex_to_rgb


def _square(x: float, y: float) -> str:
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def shapes() -> pd.DataFrame:
    codes = [f"GM{i:04d}" for i in range(1, 13)]
    return pd.DataFrame(
        {"code": codes, "name": [f"Gemeente {i}" for i in range(1, 13)], "geometry": [_square(4 + i / 5, 52) for i in range(12)]}
    )


@pytest.fixture
def values() -> pd.DataFrame:
    # GM0011 suppressed, GM0012 has no row
    vals = [5, 10, 40, 150, 600, 1000, 1200, 2500, 3000, 4800, math.nan]
    return pd.DataFrame(
        {"code": [f"GM{i:04d}" for i in range(1, 12)], "value": vals, "suppressed": [False] * 10 + [True]}
    )


def _spec(chart) -> dict:
    return json.loads(chart.deck.to_json())


def _features(spec: dict, layer_id: str = "regions") -> list[dict]:
    """The features of a layer; "regions": the pickable one, whose id may name the region outlined."""
    (layer,) = [layer for layer in spec["layers"] if layer["id"] == layer_id or layer["id"].startswith(f"{layer_id}-")]
    return layer["data"]["features"]


def _by_code(spec: dict) -> dict[str, dict]:
    return {f["properties"]["code"]: f for f in _features(spec)}


def test_one_feature_per_shape_with_code(shapes, values):
    chart = build_choropleth(shapes, values, value_label="Meldingen")
    features = _features(_spec(chart))
    assert chart.n_features == len(features) == len(shapes)
    assert [f["id"] for f in features] == shapes["code"].tolist()
    assert [f["properties"]["code"] for f in features] == shapes["code"].tolist()
    assert set(features[0]["properties"]) == {"code", "name", "fill", "v"}


def test_suppressed_and_missing_are_distinct_greys(shapes, values):
    chart = build_choropleth(shapes, values, value_label="Meldingen")
    by_code = _by_code(_spec(chart))
    assert by_code["GM0011"]["properties"]["fill"] == hex_to_rgb(SUPPRESSED_COLOR)
    assert by_code["GM0011"]["properties"]["v"] == "geheim"
    assert by_code["GM0012"]["properties"]["fill"] == hex_to_rgb(MISSING_COLOR)
    assert by_code["GM0012"]["properties"]["v"] == "geen gegevens"
    assert SUPPRESSED_COLOR != MISSING_COLOR
    lowest_fill = by_code["GM0001"]["properties"]["fill"]
    assert lowest_fill not in (hex_to_rgb(SUPPRESSED_COLOR), hex_to_rgb(MISSING_COLOR))
    colours = [c for c, _ in chart.legend]
    assert colours[-2:] == [SUPPRESSED_COLOR, MISSING_COLOR]
    assert [label for _, label in chart.legend][-2:] == ["geheim", "geen gegevens"]
    for colour in colours[:-2]:
        assert colour not in (SUPPRESSED_COLOR, MISSING_COLOR)


def test_suppressed_flag_wins_and_nan_without_flag_is_suppressed(shapes):
    values = pd.DataFrame({"code": ["GM0001", "GM0002", "GM0003"], "value": [10.0, math.nan, 20.0], "suppressed": [True, False, False]})
    by_code = _by_code(_spec(build_choropleth(shapes, values)))
    assert by_code["GM0001"]["properties"]["v"] == "geheim"
    assert by_code["GM0002"]["properties"]["v"] == "geheim"
    assert by_code["GM0003"]["properties"]["v"] == "20"


def test_classes_are_ordered_and_legend_in_dutch(shapes, values):
    chart = build_choropleth(shapes, values, value_label="Meldingen")
    assert len(chart.legend) == 5 + 2
    assert chart.breaks == sorted(chart.breaks) and len(set(chart.breaks)) == len(chart.breaks)
    labels = [label for _, label in chart.legend[:-2]]
    assert labels[0].startswith("5 – ")
    assert labels[-1].endswith(" – 4.800")
    assert all(re.fullmatch(r"[\d.]+( – [\d.]+)?", label) for label in labels), labels
    assert any("." in label for label in labels)  # thousands separator
    # darker classes for higher values, each value in the class its label says
    by_code = _by_code(_spec(chart))
    palette = [hex_to_rgb(c) for c, _ in chart.legend[:-2]]
    order = [palette.index(by_code[f"GM{i:04d}"]["properties"]["fill"]) for i in range(1, 11)]
    assert order == sorted(order) and order[0] == 0 and order[-1] == 4
    assert by_code["GM0010"]["properties"]["v"] == "4.800"


def test_percent_labels(shapes):
    values = pd.DataFrame(
        {"code": shapes["code"], "value": [2.0, 2.5, 3.1, 4.5, 4.6, 5.0, 5.8, 6.0, 6.4, 7.3, 8.8, 9.0], "suppressed": False}
    )
    chart = build_choropleth(shapes, values, unit="%", decimals=1, value_label="Aandeel")
    labels = [label for _, label in chart.legend[:-2]]
    assert labels[0].startswith("2,0% – ")
    assert labels[-1].endswith(" – 9,0%")
    assert all(re.fullmatch(r"\d+,\d% – \d+,\d%", label) for label in labels), labels
    assert _by_code(_spec(chart))["GM0004"]["properties"]["v"] == "4,5%"


def test_few_distinct_values_and_no_values(shapes):
    same = pd.DataFrame({"code": shapes["code"], "value": 25.0, "suppressed": False})
    chart = build_choropleth(shapes, same)
    assert [label for _, label in chart.legend] == ["25", "geheim", "geen gegevens"]
    empty = pd.DataFrame({"code": [], "value": [], "suppressed": []})
    chart = build_choropleth(shapes, empty)
    assert [label for _, label in chart.legend] == ["geheim", "geen gegevens"]
    assert {tuple(f["properties"]["fill"]) for f in _features(_spec(chart))} == {tuple(hex_to_rgb(MISSING_COLOR))}


def test_selected_region_outlined_on_top(shapes, values):
    spec = _spec(build_choropleth(shapes, values, selected="GM0005"))
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids[0] == "regions-GM0005" and ids[-1] == "selected"  # the pickable layer names the region outlined
    top = spec["layers"][-1]
    assert [f["properties"]["code"] for f in top["data"]["features"]] == ["GM0005"]
    assert top["filled"] is False and top["getLineWidth"] > spec["layers"][0]["getLineWidth"]
    assert max(top["getLineColor"]) < 80  # dark
    assert not top.get("pickable")
    assert [layer["id"] for layer in _spec(build_choropleth(shapes, values))["layers"]] == ["regions"]


def test_deck_is_offline_pickable_with_tooltip(shapes, values):
    chart = build_choropleth(shapes, values, value_label="Meldingen {x} <b>")
    assert chart.deck.map_provider is None
    spec = _spec(chart)
    assert "mapProvider" not in spec  # no base map, no token
    assert spec["layers"][0]["pickable"] is True
    assert spec["layers"][0]["getFillColor"] == "@@=properties.fill"
    assert spec["layers"][0]["lineWidthUnits"] == "pixels"
    view = spec["initialViewState"]
    assert 50.7 < view["latitude"] < 53.6 and 3.3 < view["longitude"] < 7.3 and 5.5 <= view["zoom"] <= 8
    tooltip = chart.deck._tooltip["html"]
    assert "{name}" in tooltip and "{v}" in tooltip
    assert "{x}" not in tooltip and "<b>" not in tooltip.replace("<b>{name}</b>", "")
    assert "\n  " not in chart.deck.to_json()  # compact, not indented


def test_selected_code_from_selection_state():
    codes = ["GM0001", "GM0002"]
    state = {"selection": {"indices": {"regions": [1]}, "objects": {"regions": [{"properties": {"code": "GM0002"}}]}}}
    assert maps.selected_code(state, codes) == "GM0002"
    assert maps.selected_code({"selection": {"indices": {"regions": [0]}, "objects": {}}}, codes) == "GM0001"
    assert maps.selected_code({"selection": {"indices": {}, "objects": {}}}, codes) is None
    assert maps.selected_code(None, codes) is None


def test_real_vt_map_builds():
    shapes = geo.load_shapes("VT", 2023)
    values = pd.DataFrame({"code": shapes["code"], "value": range(len(shapes)), "suppressed": False})
    chart = build_choropleth(shapes, values.astype({"value": float}), selected="VT27")
    assert chart.n_features == 25
    assert maps.payload_bytes(chart.deck) < 100 * 1024


def _app(level: str, year: int) -> None:
    import pandas as pd
    import streamlit as st

    from vtdata.storage import geo
    from vtdata.ui.maps import build_choropleth, show_choropleth

    shapes = geo.load_shapes(level, year)
    values = pd.DataFrame({"code": shapes["code"], "value": 10.0, "suppressed": False})
    values.loc[values.index[:3], ["value", "suppressed"]] = [float("nan"), True]
    chart = build_choropleth(shapes, values.iloc[:-2], selected=shapes["code"].iloc[5], value_label="Meldingen")
    clicked = show_choropleth(chart, key="kaart", alt_text="Kaart van de gemeenten naar aantal meldingen.")
    st.write(f"clicked={clicked}")


def test_show_choropleth_in_app():
    at = AppTest.from_function(_app, args=("GM", 2023), default_timeout=30).run()
    assert not at.exception
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.json)
    regions = [layer for layer in spec["layers"] if layer["id"].startswith("regions")]
    assert len(regions[0]["data"]["features"]) == 342
    assert charts[0].proto.alt.startswith("Kaart van de gemeenten")
    assert json.loads(charts[0].proto.tooltip)["html"].startswith("<b>{name}</b>")
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "geheim" in legend and "geen gegevens" in legend and "Meldingen" in legend
    markdown = " ".join(m.value for m in at.markdown)
    assert any("Kaart van de gemeenten" in c.value for c in at.caption)
    assert "clicked=None" in markdown


def test_on_select_records_click_and_resets_selection(monkeypatch):
    import streamlit

    state = {"kaart-0": {"selection": {"indices": {"regions": [1]}, "objects": {"regions": [{"properties": {"code": "GM0002"}}]}}}}
    monkeypatch.setattr(streamlit, "session_state", state)
    maps._on_select("kaart", "kaart-0", ["GM0001", "GM0002"])
    assert state["_kaart_clicked"] == "GM0002"
    assert state["_kaart_round"] == 1  # the next run draws a fresh widget, without the frontend's selection


def test_on_select_picks_in_the_callback_and_keeps_the_widget(monkeypatch):
    """The page selects the region in the click's callback: the run the click starts shows it, no second run.

    The map then comes back with another layer id (the frontend drops its selection), under the same
    widget key: a new key would rebuild deck.gl. Only a click that does not change the map gets a new key.
    """
    import streamlit

    layer = maps.regions_layer_id("GM0001")
    state = {"kaart-0": {"selection": {"indices": {layer: [1]}, "objects": {layer: []}}}}
    monkeypatch.setattr(streamlit, "session_state", state)
    picked = []

    def pick(code):
        picked.append(code)
        return True

    maps._on_select("kaart", "kaart-0", ["GM0001", "GM0002"], pick, layer, "GM0001")
    assert picked == ["GM0002"] and state["_kaart_clicked"] == "GM0002"
    assert "_kaart_round" not in state  # the same widget: its selection goes with the old layer id
    maps._on_select("kaart", "kaart-1", ["GM0001", "GM0002"], pick, layer, "GM0001")  # no selection: nothing picked
    assert picked == ["GM0002"]
    maps._on_select("kaart", "kaart-0", ["GM0001", "GM0002"], pick, layer, "GM0002")  # the region already shown
    assert state["_kaart_round"] == 1
    maps._on_select("kaart", "kaart-0", ["GM0001", "GM0002"], lambda code: False, layer, "GM0001")  # not selected
    assert state["_kaart_round"] == 2


def test_layer_id_names_the_selected_region(shapes, values):
    chart = build_choropleth(shapes, values, selected="GM0005")
    assert chart.layer_id == "regions-GM0005" == _spec(chart)["layers"][0]["id"]
    assert build_choropleth(shapes, values).layer_id == "regions"


def test_show_choropleth_returns_click_once():
    at = AppTest.from_function(_app, args=("VT", 2023), default_timeout=30)
    at.session_state["_kaart_clicked"] = "VT27"
    at.run()
    assert not at.exception
    assert any("clicked=VT27" in m.value for m in at.markdown)
    at.run()
    assert any("clicked=None" in m.value for m in at.markdown)
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert len(_features(spec)) == 25
