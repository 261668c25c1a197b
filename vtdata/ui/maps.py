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
    "4,5%"). Classes are quantiles of the non-suppressed values with rounded
    breaks, coloured with the colour-blind-safe ColorBrewer YlGnBu ramp;
    suppressed regions are mid grey ("geheim"), regions without a row light grey
    ("geen gegevens"). ``selected`` (a region code) is outlined on top.

``ChoroplethMap`` (dataclass)
    ``deck`` (a ``pydeck.Deck`` with ``map_provider=None``, serialised compactly),
    ``legend`` (list of ``(hex colour, Dutch label)``, the classes then
    "geheim" and "geen gegevens"), ``n_features``, ``codes`` (feature order),
    ``breaks``, ``value_label``, ``height``.

``show_choropleth(chart, *, key, alt_text) -> str | None``
    Draws the map with ``st.pydeck_chart`` (click to select), the legend below
    it and ``alt_text`` as a caption (also passed as the chart's accessible
    name). Returns the code of the region the user has just clicked, once per
    click, else None; the caller typically stores it in the ``region`` query
    parameter and passes it back as ``selected``.

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

from vtdata.format import MISSING_LABEL, SUPPRESSED_LABEL, format_value

# ColorBrewer YlGnBu (colour-blind safe, sequential), per number of classes.
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#2c7fb8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
# ColorBrewer RdBu reversed (colour-blind safe, diverging): falls blue, rises red.
DIVERGING = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
SUPPRESSED_COLOR = "#8c8c8c"  # "geheim": mid grey
ABSENT_COLOR = "#f3f3f3"  # "bestond niet": the region did not exist in the period
ABSENT_LABEL = "bestond niet"
MISSING_COLOR = "#dcdcdc"  # "geen gegevens": light grey
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


_DECK_JSON: "weakref.WeakKeyDictionary[CompactDeck, str]" = weakref.WeakKeyDictionary()


@dataclass
class ChoroplethMap:
    deck: pdk.Deck
    legend: list[tuple[str, str]]
    n_features: int
    codes: list[str] = field(default_factory=list)
    breaks: list[float] = field(default_factory=list)
    value_label: str = ""
    height: int = DEFAULT_HEIGHT


def payload_bytes(deck: pdk.Deck) -> int:
    """Bytes of the deck as st.pydeck_chart sends it (spec JSON plus tooltip JSON)."""
    size = len(deck.to_json().encode("utf-8"))
    tooltip = getattr(deck, "_tooltip", None)
    if isinstance(tooltip, dict):
        size += len(json.dumps(tooltip).encode("utf-8"))
    return size


def hex_to_rgb(color: str) -> list[int]:
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)]


# --- classes -----------------------------------------------------------------------


def _nice_round(value: float, unit: float) -> float:
    return round(round(value / unit) * unit, 10)


def class_breaks(values, n_classes: int = 5, decimals: int = 0) -> list[float]:
    """Inner class breaks from quantiles, rounded to a 'nice' unit.

    A value v is in class i when breaks[i-1] <= v < breaks[i]. Values are
    assumed rounded to `decimals`; breaks are multiples of 10**-decimals.
    """
    vals = sorted(round(float(v), decimals) for v in values)
    if not vals:
        return []
    lo, hi = vals[0], vals[-1]
    distinct = len(set(vals))
    k = max(1, min(int(n_classes), distinct, max(PALETTES)))
    if k == 1:
        return []
    step = 10.0 ** -decimals
    spread = hi - lo
    base = 10.0 ** math.floor(math.log10(spread / (2 * k))) if spread > 0 else step
    units = []
    unit = max(base, step)
    while unit >= step * 0.999:
        units.append(unit)
        unit /= 10
    series = pd.Series(vals)
    breaks: list[float] = []
    for i in range(1, k):
        q = float(series.quantile(i / k))
        for unit in units:
            b = _nice_round(q, unit)
            if (not breaks or b > breaks[-1]) and lo < b <= hi:
                breaks.append(b)
                break
    return breaks


def diverging_breaks(values, decimals: int = 0) -> list[float]:
    """Four breaks symmetric around 0 for five classes: strong fall, fall, about equal, rise, strong rise.

    The outer break is the rounded median size of the changes, the inner one a
    fifth of it, so "about equal" is a narrow band around 0.
    """
    sizes = sorted(abs(float(v)) for v in values if v != 0)
    step = 10.0 ** -decimals
    if not sizes:
        return [-2 * step, -step, step, 2 * step]
    outer = float(pd.Series(sizes).median())
    unit = 10.0 ** math.floor(math.log10(outer)) if outer > 0 else step
    outer = max(_nice_round(outer, max(unit, step)), 2 * step)
    inner = max(_nice_round(outer / 5, step), step)
    return [-outer, -inner, inner, outer]


def diverging_labels(breaks: list[float], unit: str | None, decimals: int) -> list[str]:
    """'−20 of meer', '−20 – −5', 'tussen −5 en +5', '+5 – +20', '+20 of meer' (Dutch, signed)."""
    def signed(v: float) -> str:
        return ("+" if v > 0 else "−" if v < 0 else "") + format_value(abs(v), unit, decimals)

    o_neg, i_neg, i_pos, o_pos = breaks
    return [
        f"{signed(o_neg)} of meer omlaag",
        f"{signed(o_neg)} tot {signed(i_neg)}",
        f"ongeveer gelijk ({signed(i_neg)} tot {signed(i_pos)})",
        f"{signed(i_pos)} tot {signed(o_pos)}",
        f"{signed(o_pos)} of meer omhoog",
    ]


def class_index(value: float, breaks: list[float]) -> int:
    i = 0
    while i < len(breaks) and value >= breaks[i]:
        i += 1
    return i


def _label_range(lower: float, upper: float, unit: str | None, decimals: int) -> str:
    a, b = format_value(lower, unit, decimals), format_value(upper, unit, decimals)
    return a if a == b else f"{a} – {b}"


def class_labels(lo: float, hi: float, breaks: list[float], unit: str | None, decimals: int) -> list[str]:
    """Dutch labels per class: '1.000 – 2.499', '4,5% – 5,9%' (upper bounds inclusive)."""
    step = 10.0 ** -decimals
    bounds = [lo] + breaks
    uppers = [round(b - step, 10) for b in breaks] + [hi]
    return [_label_range(a, b, unit, decimals) for a, b in zip(bounds, uppers)]


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
) -> ChoroplethMap:
    """A choropleth of `values` on `shapes`; see the module docstring.

    `values` may have a boolean `absent` column: regions that did not exist in
    the period ("bestond niet", never "geheim"). `diverging=True` colours
    changes: classes symmetric around 0, falls blue, rises red.
    """
    decimals = int(decimals or 0)
    by_code: dict[str, tuple[float, bool]] = {}
    absent: set[str] = set()
    if values is not None and len(values):
        suppressed = values["suppressed"] if "suppressed" in values else pd.Series(False, index=values.index)
        for code, value, secret in zip(values["code"], values["value"], suppressed.fillna(False)):
            value = float(value) if value is not None and not pd.isna(value) else math.nan
            by_code[str(code).strip()] = (value, bool(secret) or math.isnan(value))
        if "absent" in values:
            absent = {str(c).strip() for c, a in zip(values["code"], values["absent"].fillna(False)) if a}

    codes = [str(c).strip() for c in shapes["code"]]
    present = [by_code[c][0] for c in codes if c in by_code and not by_code[c][1] and c not in absent]
    present = [round(v, decimals) for v in present]
    if diverging:
        breaks, palette = diverging_breaks(present, decimals), DIVERGING
    else:
        breaks = class_breaks(present, n_classes, decimals)
        palette = PALETTES.get(len(breaks) + 1 if present else 0, ())
    legend: list[tuple[str, str]] = []
    if present and diverging:
        legend = list(zip(palette, diverging_labels(breaks, unit, decimals)))
    elif present:
        legend = list(zip(palette, class_labels(min(present), max(present), breaks, unit, decimals)))
    legend += [(SUPPRESSED_COLOR, SUPPRESSED_LABEL), (MISSING_COLOR, MISSING_LABEL)]
    if absent & set(codes):
        legend.append((ABSENT_COLOR, ABSENT_LABEL))

    suppressed_rgb, missing_rgb, absent_rgb = (hex_to_rgb(c) for c in (SUPPRESSED_COLOR, MISSING_COLOR, ABSENT_COLOR))
    palette_rgb = [hex_to_rgb(c) for c in palette]
    features = []
    selected_features = []
    for code, name, geometry in zip(codes, shapes["name"], shapes["geometry"]):
        if code in absent:
            fill, text = absent_rgb, ABSENT_LABEL
        elif code not in by_code:
            fill, text = missing_rgb, MISSING_LABEL
        elif by_code[code][1]:
            fill, text = suppressed_rgb, SUPPRESSED_LABEL
        else:
            value = round(by_code[code][0], decimals)
            fill = palette_rgb[class_index(value, breaks)]
            text = format_value(value, unit, decimals)
        geom = _parse_geometry(geometry) if isinstance(geometry, str) else geometry
        feature = {
            "type": "Feature",
            "id": code,
            "geometry": geom,
            "properties": {"code": code, "name": str(name), "fill": fill, "v": text},
        }
        features.append(feature)
        if selected is not None and code == str(selected).strip():
            selected_features.append({"type": "Feature", "id": code, "geometry": geom, "properties": {"code": code}})

    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id=LAYER_ID,
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
        initial_view_state=pdk.ViewState(**NL_VIEW, min_zoom=5, max_zoom=11, pitch=0, bearing=0),
        map_provider=None,
        tooltip=_tooltip(value_label),
        height=height,
    )
    return ChoroplethMap(
        deck=deck,
        legend=legend,
        n_features=len(features),
        codes=codes,
        breaks=breaks,
        value_label=value_label,
        height=height,
    )


# --- Streamlit ------------------------------------------------------------------------


def legend_html(chart: ChoroplethMap, vertical: bool = False) -> str:
    """The legend as a row (or, beside the map, a column) of small coloured squares with labels."""
    display = "flex" if vertical else "inline-flex"
    items = "".join(
        f'<span style="display:{display};align-items:center;margin:0 0.9rem 0.3rem 0;white-space:nowrap">'
        f'<span aria-hidden="true" style="display:inline-block;flex-shrink:0;width:0.9rem;height:0.9rem;'
        f'background:{color};border:1px solid #999;margin-right:0.35rem"></span>{html.escape(label)}</span>'
        for color, label in chart.legend
    )
    title = html.escape(chart.value_label)
    return (
        f'<div role="list" aria-label="Legenda: {title}" style="font-size:0.85rem;line-height:1.4">'
        f'<div style="font-weight:600;margin-bottom:0.2rem">{title}</div>{items}</div>'
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


def _on_select(key: str, widget_key: str, codes: list[str]) -> None:
    import streamlit as st

    code = selected_code(st.session_state.get(widget_key), codes)
    if code:
        st.session_state[f"_{key}_clicked"] = code
        # A new widget key clears the frontend's selection, which would otherwise
        # fade every other region; the caller outlines the chosen one instead.
        st.session_state[f"_{key}_round"] = st.session_state.get(f"_{key}_round", 0) + 1


def show_choropleth(chart: ChoroplethMap, *, key: str, alt_text: str, legend_area=None) -> str | None:
    """Draw the map, its legend and alt text; the code just clicked, else None.

    `legend_area` (a Streamlit container, e.g. a column beside the map on a
    projector) takes the legend instead of the space under the map.
    """
    import streamlit as st

    round_ = st.session_state.get(f"_{key}_round", 0)
    widget_key = f"{key}-{round_}"
    legend_beside = legend_area is not None
    st.pydeck_chart(
        chart.deck,
        height=chart.height,
        on_select=functools.partial(_on_select, key, widget_key, list(chart.codes)),
        selection_mode="single-object",
        key=widget_key,
        alt=alt_text,
    )
    (legend_area or st).markdown(legend_html(chart, vertical=legend_beside), unsafe_allow_html=True)
    if not legend_beside:
        st.caption(alt_text)
    return st.session_state.pop(f"_{key}_clicked", None)
