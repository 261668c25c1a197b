"""Choropleth maps of gemeenten and Veilig Thuis-regio's (pydeck, drawn offline).

API
---
``build_choropleth(shapes, values, *, selected=None, unit=None, decimals=0,
value_label="Waarde", n_classes=5, height=520) -> ChoroplethMap``
    Pure (no Streamlit). ``shapes``: DataFrame ``code, name, geometry`` with
    GeoJSON geometry strings, as ``Database.shapes(level, year)`` returns them.
    ``values``: DataFrame ``code, value, suppressed`` (value NaN when
    suppressed); codes without a shape are ignored, shapes without a row are
    "geen gegevens". ``unit`` and ``decimals`` are StatLine's (``"%"`` gives
    "4,5%"). The classes come from ``vtdata.outputs.classes.classify`` (shared with the
    static map image of ``vtdata.outputs.images``): quantiles of the non-suppressed values with rounded
    breaks, coloured with the colour-blind-safe ColorBrewer YlGnBu ramp;
    suppressed regions are mid grey ("geheim"), regions without a row light grey
    ("geen gegevens"). ``selected`` (a region code) is outlined on top.

``ChoroplethMap`` (dataclass)
    ``deck`` (a ``pydeck.Deck`` with ``map_provider=None``, serialised compactly),
    ``legend`` (list of ``(hex colour, Dutch label)``, the classes then
    "geheim" and "geen gegevens"), ``n_features``, ``codes`` (feature order),
    ``breaks``, ``value_label``, ``height``.

``show_choropleth(chart, *, key, alt_text, legend_area=None, on_pick=None) -> str | None``
    Draws the map with ``st.pydeck_chart`` (click to select), the legend below
    it and ``alt_text`` as a caption (also passed as the chart's accessible
    name). Returns the code of the region the user has just clicked, once per
    click, else None; the caller typically stores it in the ``region`` query
    parameter and passes it back as ``selected``. ``on_pick(code)``, when given,
    is called in the click's callback, so the run the click starts has it.

``payload_bytes(deck) -> int``
    The size of what ``st.pydeck_chart`` sends to the browser for the deck.

Feature properties are kept short to keep the payload small: ``code``,
``name``, ``fill`` (RGB) and ``v`` (the formatted value); the feature ``id``
is the code as well.
"""

from __future__ import annotations

import functools
import html
import json
import math
import weakref
from dataclasses import dataclass, field

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from vtdata.outputs.classes import (  # noqa: F401  (re-exported: maps.py's API predates vtdata.outputs.classes)
    ABSENT_COLOR,
    ABSENT_LABEL,
    DIVERGING,
    MISSING_COLOR,
    PALETTES,
    SUPPRESSED_COLOR,
    class_breaks,
    class_index,
    class_labels,
    classify,
    diverging_breaks,
    diverging_labels,
    hex_to_rgb,
)

BORDER_COLOR = [255, 255, 255]
SELECTED_COLOR = [20, 20, 20]
LAYER_ID = "regions"
DEFAULT_HEIGHT = 440
# Fits the Netherlands (lon 3.36-7.23, lat 50.75-53.55) in a half-width column
# (~350 px tall, ~310 px wide at this zoom; deck.gl has 512 px per world at zoom 0).
NL_VIEW = {"latitude": 52.17, "longitude": 5.29, "zoom": 5.8}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation.

    ``st.pydeck_chart`` sends ``deck.to_json()`` to the browser; pydeck indents
    it by two spaces, which puts every coordinate on its own line and makes a
    gemeente map several times larger than the data.
    """

    def to_json(self):
        # built once: a cached map is drawn again on every rerun
        text = _DECK_JSON.get(self)
        if text is None:
            text = _DECK_JSON[self] = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        return text


_DECK_JSON: weakref.WeakKeyDictionary[CompactDeck, str] = weakref.WeakKeyDictionary()


@dataclass
class ChoroplethMap:
    deck: pdk.Deck
    legend: list[tuple[str, str]]
    n_features: int
    codes: list[str] = field(default_factory=list)
    breaks: list[float] = field(default_factory=list)
    value_label: str = ""
    height: int = DEFAULT_HEIGHT
    selected: str | None = None
    layer_id: str = LAYER_ID  # of the pickable regions layer


def regions_layer_id(selected: str | None) -> str:
    """The pickable layer's id names the region outlined: after a click selected another region the
    frontend finds its selection on a layer that is gone and drops it (no faded map), while the
    widget, its key unchanged, stays mounted: a new key would rebuild deck.gl and its WebGL context."""
    return f"{LAYER_ID}-{selected}" if selected else LAYER_ID


def payload_bytes(deck: pdk.Deck) -> int:
    """Bytes of the deck as st.pydeck_chart sends it (spec JSON plus tooltip JSON)."""
    size = len(deck.to_json().encode("utf-8"))
    tooltip = getattr(deck, "_tooltip", None)
    if isinstance(tooltip, dict):
        size += len(json.dumps(tooltip).encode("utf-8"))
    return size


# --- the map -------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _parse_geometry(text: str) -> dict:
    """Parsed GeoJSON, cached across reruns (the dicts are shared, never modified)."""
    return json.loads(text)


def _tooltip(value_label: str) -> dict:
    # Braces would be read as template fields by the Streamlit frontend.
    label = html.escape(value_label).replace("{", "(").replace("}", ")")
    return {
        "html": f"<b>{{name}}</b><br/>{label}: {{v}}",
        "style": {"backgroundColor": "#222", "color": "#fff", "fontSize": "0.85rem"},
    }


def _fitted_view(height: int) -> dict:
    """NL_VIEW for a map of `height` pixels: a lower map zooms out so the whole country fits."""
    view = dict(NL_VIEW)
    if height < DEFAULT_HEIGHT:
        view["zoom"] = round(NL_VIEW["zoom"] + math.log2(height / DEFAULT_HEIGHT), 2)
    return view


# border colour and legend text of a region marked by its verdict
MARK_STYLES = {
    "hoger": ("#67001f", "dikke donkerrode rand: significant hoger dan Nederland"),
    "lager": ("#053061", "dikke donkerblauwe rand: significant lager dan Nederland"),
}


def build_choropleth(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    *,
    selected: str | None = None,
    unit: str | None = None,
    decimals: int = 0,
    value_label: str = "Waarde",
    n_classes: int = 5,
    height: int = DEFAULT_HEIGHT,
    diverging: bool = False,
    marked: dict[str, str] | None = None,
) -> ChoroplethMap:
    """A choropleth of `values` on `shapes`; see the module docstring.

    `values` may have a boolean `absent` column: regions that did not exist in
    the period ("bestond niet", never "geheim"). `diverging=True` colours
    changes: classes symmetric around 0, falls blue, rises red.
    """
    classes = classify(shapes["code"], values, unit=unit, decimals=decimals, n_classes=n_classes, diverging=diverging)
    codes = [str(c).strip() for c in shapes["code"]]
    selected = str(selected).strip() if selected is not None else None
    features = []
    selected_features = []
    for code, name, geometry in zip(codes, shapes["name"], shapes["geometry"]):
        fill, text = hex_to_rgb(classes.colors[code]), classes.texts[code]
        geom = _parse_geometry(geometry) if isinstance(geometry, str) else geometry
        feature = {
            "type": "Feature",
            "id": code,
            "geometry": geom,
            "properties": {"code": code, "name": str(name), "fill": fill, "v": text},
        }
        features.append(feature)
        if selected is not None and code == selected:
            selected_features.append({"type": "Feature", "id": code, "geometry": geom, "properties": {"code": code}})

    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id=regions_layer_id(selected),
            data={"type": "FeatureCollection", "features": features},
            pickable=True,
            auto_highlight=True,
            highlight_color=[255, 255, 255, 90],
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=BORDER_COLOR,
            line_width_units="'pixels'",  # quoted: a plain string would become an accessor
            get_line_width=0.6,
        )
    ]
    # regions significantly higher or lower than Nederland (`vtdata.figures.significance`): a thick border
    legend = list(classes.legend)
    for verdict, (color, label) in MARK_STYLES.items():
        chosen = [f for f in features if (marked or {}).get(f["id"]) == verdict]
        if not chosen:
            continue
        layers.append(pdk.Layer(
            "GeoJsonLayer", id=f"mark-{verdict}", data={"type": "FeatureCollection", "features": chosen}, pickable=False,
            stroked=True, filled=False, get_line_color=hex_to_rgb(color), line_width_units="'pixels'", get_line_width=2.2,
        ))
        legend.append((color, label))
    if selected_features:
        outline = {"type": "FeatureCollection", "features": selected_features}
        # A white halo under a dark line reads on light and dark classes alike.
        for layer_id, color, width in (("selected-halo", [255, 255, 255], 5), ("selected", SELECTED_COLOR, 2.5)):
            layers.append(
                pdk.Layer(
                    "GeoJsonLayer",
                    id=layer_id,
                    data=outline,
                    pickable=False,
                    stroked=True,
                    filled=False,
                    get_line_color=color,
                    line_width_units="'pixels'",  # quoted: a plain string would become an accessor
                    get_line_width=width,
                )
            )
    deck = CompactDeck(
        layers=layers,
        views=[pdk.View(type="MapView", controller={"dragRotate": False, "touchRotate": False})],
        initial_view_state=pdk.ViewState(**_fitted_view(height), min_zoom=4, max_zoom=11, pitch=0, bearing=0),
        map_provider=None,
        tooltip=_tooltip(value_label),
        height=height,
    )
    return ChoroplethMap(
        deck=deck,
        legend=legend,
        n_features=len(features),
        codes=codes,
        breaks=classes.breaks,
        value_label=value_label,
        height=height,
        selected=selected,
        layer_id=regions_layer_id(selected),
    )


# --- Streamlit ------------------------------------------------------------------------


def legend_html(chart: ChoroplethMap, vertical: bool = False) -> str:
    """The legend as a row (or, beside the map, a column) of small coloured squares with labels."""
    display = "flex" if vertical else "inline-flex"
    wrap = "normal" if vertical else "nowrap"  # beside the map a long label wraps instead of leaving the column
    items = "".join(
        f'<span role="listitem" style="display:{display};align-items:center;margin:0 0.9rem 0.3rem 0;white-space:{wrap}">'
        f'<span aria-hidden="true" style="display:inline-block;flex-shrink:0;width:0.9rem;height:0.9rem;'
        f'background:{color};border:1px solid #999;margin-right:0.35rem"></span>{html.escape(label)}</span>'
        for color, label in chart.legend
    )
    title = html.escape(chart.value_label)
    return (
        f'<div style="font-size:0.85rem;line-height:1.4">'
        f'<div style="font-weight:600;margin-bottom:0.2rem">{title}</div>'
        f'<div role="list" aria-label="Legenda: {title}">{items}</div></div>'
    )


def selected_code(selection, codes: list[str], layer_id: str = LAYER_ID) -> str | None:
    """The region code in a pydeck selection state ({"selection": {"indices", "objects"}})."""
    if not selection:
        return None
    state = selection.get("selection", selection)
    objects = (state.get("objects") or {}).get(layer_id) or []
    for obj in objects:
        if isinstance(obj, dict):
            props = obj.get("properties") if isinstance(obj.get("properties"), dict) else {}
            code = props.get("code") or obj.get("code") or obj.get("id")
            if code:
                return str(code)
    indices = (state.get("indices") or {}).get(layer_id) or []
    for index in indices:
        if isinstance(index, int) and 0 <= index < len(codes):
            return codes[index]
    return None


def _on_select(key: str, widget_key: str, codes: list[str], on_pick=None, layer_id: str = LAYER_ID, shown: str | None = None) -> None:
    import streamlit as st

    code = selected_code(st.session_state.get(widget_key), codes, layer_id)
    if code:
        st.session_state[f"_{key}_clicked"] = code
        # in the callback, so the run the click starts already shows the choice
        picked = bool(on_pick(code)) if on_pick is not None else False
        if not picked or code == shown:
            # The next map keeps its layer id, so the frontend would keep its selection and fade
            # every other region: a new widget key clears it (the caller outlines the chosen one).
            st.session_state[f"_{key}_round"] = st.session_state.get(f"_{key}_round", 0) + 1


def show_choropleth(chart: ChoroplethMap, *, key: str, alt_text: str, legend_area=None, on_pick=None) -> str | None:
    """Draw the map, its legend and alt text; the code just clicked, else None.

    `legend_area` (a Streamlit container, e.g. a column beside the map on a
    projector) takes the legend instead of the space under the map.
    `on_pick(code)` is called in the click's callback, before the run the click
    starts (no `st.rerun` there): selecting the region then takes one run, not two.
    It returns True when the code is selected, so the next map outlines it.
    """
    import streamlit as st

    round_ = st.session_state.get(f"_{key}_round", 0)
    widget_key = f"{key}-{round_}"
    legend_beside = legend_area is not None
    st.pydeck_chart(
        chart.deck,
        height=chart.height,
        on_select=functools.partial(_on_select, key, widget_key, list(chart.codes), on_pick, chart.layer_id, chart.selected),
        selection_mode="single-object",
        key=widget_key,
        alt=alt_text,
    )
    (legend_area or st).html(legend_html(chart, vertical=legend_beside))
    if not legend_beside:
        st.caption(alt_text)
    return st.session_state.pop(f"_{key}_clicked", None)
