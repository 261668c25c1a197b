"""Chart and map images (PNG, SVG) for slides and reports, rendered offline with vl-convert.

Core module (no Streamlit). vl-convert-python runs the Vega-Lite compiler and a
renderer inside the Python package: no browser and no network request (the
inline data of an Altair spec is all it needs). Text is drawn with the
machine's fonts (Debian: fonts-dejavu-core; vl-convert falls back to the fonts
it bundles).

``chart_image(spec, *, title, region, period, fmt="png", demo=False) -> bytes``
    The Vega-Lite ``spec`` (a dict, e.g. ``chart.to_dict()``) framed by a title,
    a line "region · period", and at the bottom the source line
    ("Bron: CBS StatLine, bewerking vtdata", or on demo data
    "Demonstratiegegevens, geen CBS-cijfers") and the licence (CC BY 4.0).

``map_spec(shapes, values, *, unit, decimals, value_label, selected=None, diverging=False) -> dict``
    A Vega-Lite geoshape choropleth of ``Database.shapes(level, year)`` with the
    same classes, colours and legend as the interactive map
    (``vtdata.outputs.classes.classify``); ``values`` is ``code, value, suppressed``
    and optionally ``absent``; ``diverging=True`` for changes, as on the map.

``map_image(shapes, values, *, unit, decimals, value_label, title, region, period,
fmt="png", demo=False, selected=None) -> bytes``
    ``chart_image(map_spec(...))``, with the boundary credit in the source line.
"""

from __future__ import annotations

import copy
import html
import json
import re
import textwrap

import pandas as pd
import vl_convert as vlc

from vtdata.outputs.classes import classify

SOURCE_LINE = "Bron: CBS StatLine, bewerking vtdata"
DEMO_SOURCE_LINE = "Demonstratiegegevens, geen CBS-cijfers"
BOUNDARY_CREDIT = "kaartgrenzen: CBS, Kadaster"
LICENCE_LINE = "Licentie: CC BY 4.0 (creativecommons.org/licenses/by/4.0)"
FORMATS = ("png", "svg")
MIME = {"png": "image/png", "svg": "image/svg+xml"}

DEFAULT_WIDTH = 640  # px of a chart whose spec leaves the width to its container
MIN_WIDTH = 480
PNG_SCALE = 2  # sharp on a projector and in a printed report
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
PAD = 16


class ImageError(Exception):
    """A chart that could not be turned into an image (Dutch message)."""


def source_line(demo: bool, *, boundaries: bool = False) -> str:
    line = DEMO_SOURCE_LINE if demo else SOURCE_LINE
    return f"{line}; {BOUNDARY_CREDIT}" if boundaries else line


# The app's chart colours (`theme.chartCategoricalColors` in .streamlit/config.toml):
# vl-convert would otherwise draw the categories in Vega's own colours.
CATEGORY_COLORS = (
    "#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5",
)


def _sized(spec: dict) -> dict:
    """A copy of `spec` with a fixed width where the app lets the container decide, in the app's colours."""
    spec = copy.deepcopy(spec)
    spec.setdefault("config", {}).setdefault("range", {}).setdefault("category", list(CATEGORY_COLORS))
    composite = any(k in spec for k in ("concat", "hconcat", "vconcat", "facet", "repeat"))
    if not composite and spec.get("width") in (None, "container"):
        spec["width"] = DEFAULT_WIDTH
    if spec.get("height") == "container":
        spec["height"] = 360
    spec.pop("autosize", None)
    return spec


_SIZE_RE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def _text_lines(text: str, width: float, size: float) -> list[str]:
    chars = max(20, int(width / (size * 0.56)))
    return textwrap.wrap(text, chars) or [""]


def _frame(inner_svg: str, *, title: str, subtitle: str, footer: list[str]) -> str:
    """The chart's SVG nested in a frame with the title above and the source below."""
    match = _SIZE_RE.search(inner_svg)
    if not match:
        raise ImageError("De grafiek gaf geen afbeelding met een bekende grootte.")
    w, h = float(match.group(1)), float(match.group(2))
    width = max(w + 2 * PAD, MIN_WIDTH)
    text_width = width - 2 * PAD
    parts: list[str] = []
    y = PAD
    for line in _text_lines(title, text_width, 20):
        y += 24
        parts.append(_text(line, y, 20, color="#111", weight="bold"))
    for line in _text_lines(subtitle, text_width, 15):
        y += 20
        parts.append(_text(line, y, 15, color="#333"))
    y += 10
    parts.append(re.sub(r"^\s*<svg", f'<svg x="{(width - w) / 2:.1f}" y="{y:.1f}"', inner_svg.strip(), count=1))
    y += h + 8
    for line in footer:
        for piece in _text_lines(line, text_width, 12):
            y += 16
            parts.append(_text(piece, y, 12, color="#444"))
    height = y + PAD
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">'
        f"<title>{html.escape(title)}</title>"
        '<rect width="100%" height="100%" fill="white"/>' + "".join(parts) + "</svg>"
    )


def _text(text: str, y: float, size: float, *, color: str, weight: str = "normal") -> str:
    return (
        f'<text x="{PAD}" y="{y:.0f}" font-family="{FONT}" font-size="{size}" '
        f'font-weight="{weight}" fill="{color}">{html.escape(text)}</text>'
    )


def chart_image(
    spec: dict,
    *,
    title: str,
    region: str,
    period: str,
    fmt: str = "png",
    demo: bool = False,
    boundaries: bool = False,
) -> bytes:
    """The chart as PNG or SVG bytes, with title, region, period, source and licence in the image."""
    if fmt not in FORMATS:
        raise ImageError(f"Onbekend beeldformaat {fmt!r}; kies png of svg.")
    try:
        inner = vlc.vegalite_to_svg(_sized(spec))
    except Exception as exc:  # vl-convert raises ValueError with the compiler's message
        raise ImageError(f"De grafiek kon niet als afbeelding worden gemaakt ({' '.join(str(exc).split())[:200]}).") from exc
    svg = _frame(
        inner,
        title=title,
        subtitle=" · ".join(p for p in (region, period) if p),
        footer=[source_line(demo, boundaries=boundaries), LICENCE_LINE],
    )
    if fmt == "svg":
        return svg.encode("utf-8")
    return bytes(vlc.svg_to_png(svg, scale=PNG_SCALE))


# --- maps ----------------------------------------------------------------------------


def map_spec(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    *,
    unit: str | None = None,
    decimals: int = 0,
    value_label: str = "Waarde",
    selected: str | None = None,
    n_classes: int = 5,
    diverging: bool = False,
) -> dict:
    """A static Vega-Lite choropleth with the interactive map's classes and legend (changes: `diverging`)."""
    classes = classify(shapes["code"], values, unit=unit, decimals=decimals, n_classes=n_classes, diverging=diverging)
    label_of = {color: label for color, label in classes.legend}
    features, outline = [], []
    for code, name, geometry in zip(shapes["code"], shapes["name"], shapes["geometry"]):
        code = str(code).strip()
        geom = json.loads(geometry) if isinstance(geometry, str) else geometry
        feature = {
            "type": "Feature",
            "geometry": geom,
            "properties": {"code": code, "name": str(name), "klasse": label_of[classes.colors[code]]},
        }
        features.append(feature)
        if selected and code == str(selected).strip():
            outline.append(feature)
    layers = [
        {
            "data": {"values": features},
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.4},
            "encoding": {
                "color": {
                    "field": "properties.klasse",
                    "type": "nominal",
                    "scale": {"domain": [lab for _, lab in classes.legend], "range": [c for c, _ in classes.legend]},
                    "legend": {"title": value_label, "orient": "right", "titleLimit": 260, "labelLimit": 220, "symbolType": "square"},
                }
            },
        }
    ]
    if outline:
        layers.append(
            {"data": {"values": outline}, "mark": {"type": "geoshape", "filled": False, "stroke": "#141414", "strokeWidth": 2}}
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "height": 480,
        "projection": {"type": "mercator"},
        "layer": layers,
        "config": {"view": {"stroke": None}, "font": FONT},
    }


def map_image(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    *,
    title: str,
    region: str,
    period: str,
    unit: str | None = None,
    decimals: int = 0,
    value_label: str = "Waarde",
    selected: str | None = None,
    diverging: bool = False,
    fmt: str = "png",
    demo: bool = False,
) -> bytes:
    spec = map_spec(shapes, values, unit=unit, decimals=decimals, value_label=value_label, selected=selected, diverging=diverging)
    return chart_image(spec, title=title, region=region, period=period, fmt=fmt, demo=demo, boundaries=True)


def image_filename(stem: str, fmt: str) -> str:
    """'veilig-thuis_<stem>.png' with a safe stem."""
    from vtdata.format import slugify

    return f"veilig-thuis_{slugify(stem)}.{fmt}"
