"""Two download buttons (PNG, SVG) under a chart or map; the image is made only when clicked.

``image_downloads(spec, *, key, filename, title, region, period, boundaries=False)``
    ``spec`` is the chart's Vega-Lite dict (``chart.to_dict()``) or, for a map,
    ``vtdata.outputs.images.map_spec(...)`` with ``boundaries=True`` (adds the boundary
    credit). ``filename`` is the stem, without extension. Whether the figures are
    demo data is read from the open database.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from vtdata.outputs import images
from vtdata.ui import data

log = logging.getLogger(__name__)

LABELS = {"png": "Download als PNG", "svg": "Download als SVG"}


def _render(spec: dict, fmt: str, title: str, region: str, period: str, demo: bool, boundaries: bool) -> bytes:
    try:
        return images.chart_image(spec, title=title, region=region, period=period, fmt=fmt, demo=demo, boundaries=boundaries)
    except Exception:
        log.exception("image export failed: %s", title)
        raise


def image_downloads(
    spec: dict,
    *,
    key: str,
    filename: str,
    title: str,
    region: str,
    period: str,
    boundaries: bool = False,
) -> None:
    """A PNG and an SVG download button side by side, the bytes built on click."""
    demo = data.get_db().is_demo
    cols = st.columns(2, gap="small", width=420)
    for col, fmt in zip(cols, images.FORMATS):
        with col:
            st.download_button(
                LABELS[fmt],
                # deferred: vl-convert runs only for the button the user clicks
                data=functools.partial(_render, spec, fmt, title, region, period, demo, boundaries),
                file_name=images.image_filename(filename, fmt),
                mime=images.MIME[fmt],
                on_click="ignore",
                key=f"img-{fmt}-{key}",
                icon=":material/image:",
                help="Afbeelding met titel, regio, periode, bron en licentie, voor een dia of verslag.",
            )
