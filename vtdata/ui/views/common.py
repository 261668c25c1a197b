"""Small pieces every view uses: drawing a chart, measure words, the map of one level."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from vtdata import themes_data as td
from vtdata.ui import charts
from vtdata.ui.context import LEVEL_PLURAL, ViewContext
from vtdata.ui import presentation
from vtdata.ui.memo import built
from vtdata.ui.tables import chart_table

log = logging.getLogger(__name__)

PROJECTOR_MAP_HEIGHT = 420  # fits 1280x720 under the title and the step buttons (choices beside it)
PROJECTOR_HALF_MAP_HEIGHT = 290  # a map beside a ranking, under a row of choices

MEASURE_WORDS = {
    charts.MEASURE_RATE: "per 1.000 inwoners",
    charts.MEASURE_SHARE: "aandeel van het totaal",
    charts.MEASURE_COUNT: "aantal",
}


def words(measure: str, title: str | None = None) -> str:
    """'per 1.000 inwoners', or 'per 1.000 minderjarigen' for a category about children."""
    if measure == charts.MEASURE_RATE and title:
        from vtdata.rates import basis_for

        return f"per 1.000 {basis_for(title)}"
    return MEASURE_WORDS[measure]


def show_chart(ctx: ViewContext, view_key: tuple, build, description: str, key: str, title: str | None = None) -> None:
    """Draw the chart that `build()` makes; its Vega-Lite spec is built once per version and `view_key`.

    `view_key` must name everything the chart depends on besides the database
    version (view, spec, regions, periods, measure, ...). Under the chart: a
    PNG/SVG download of it with title, region, period, source and licence.
    """
    spec = built(ctx.version, ("chart", *view_key), lambda: _to_spec(build()))
    if ctx.presenting:
        spec = built(ctx.version, ("chart-large", *view_key), lambda: presentation.enlarge(spec))
    st.vega_lite_chart(spec=spec, width="stretch", key=key)
    image_menu(ctx, spec, key=key, title=title or _title_of(description))
    explain(ctx, description)


def _title_of(description: str) -> str:
    """'Staafdiagram: x in y.' -> 'X in y' (a chart's description names what it shows)."""
    text = description.split(":", 1)[-1].strip().rstrip(".")
    return text[:1].upper() + text[1:]


def image_menu(ctx: ViewContext, spec: dict, *, key: str, title: str, boundaries: bool = False) -> None:
    """A small "Afbeelding" menu with PNG and SVG downloads; its buttons exist only while it is open."""
    from vtdata.ui.image_buttons import image_downloads

    menu = st.popover("Afbeelding", icon=":material/image:", type="tertiary", key=f"imgmenu-{key}", on_change="rerun")
    if menu.open is False:
        return
    with menu:
        image_downloads(
            spec, key=key, filename=f"{ctx.scope}_{td.slugify(title)}", title=title,
            region=ctx.sel.region_name, period=ctx.sel.period_label, boundaries=boundaries,
        )


def explain(ctx: ViewContext, text: str) -> None:
    """A caption that says how a figure was made; in presentation mode it goes to "Uitleg"."""
    if not text:
        return
    if ctx.presenting:
        ctx.explanations.append(text)
    else:
        st.caption(text)


def table(ctx: ViewContext, *args, **kwargs) -> None:
    """The "Tabel" under a chart (not on a projector: the figures are on the chart)."""
    if not ctx.presenting:
        chart_table(*args, **kwargs)


def _to_spec(chart) -> dict:
    # Our builders make valid specs; skipping Altair's JSON-schema validation saves a third.
    return chart.to_dict(validate=False)


def value_columns(measure: str) -> tuple[str, str]:
    """(numeric column, label column) of a chart measure."""
    return charts._field(measure), charts.label_field(measure)


def measure_unit(measure: str, spec: td.ViewSpec) -> tuple[str | None, int]:
    """Unit and decimals for formatting a measure's values on a map."""
    if measure == charts.MEASURE_SHARE:
        return "%", 1
    if measure == charts.MEASURE_RATE:
        return "per 1.000", 2
    return spec.unit or "aantal", spec.decimals


def rate_basis_text(cells: pd.DataFrame) -> str:
    basis = cells["rate_basis"].dropna() if "rate_basis" in cells.columns else pd.Series(dtype=str)
    return str(basis.iloc[0]) if len(basis) else ""


def draw_map(
    ctx: ViewContext,
    level: str,
    values: pd.DataFrame,
    *,
    year: int,
    value_label: str,
    unit: str | None,
    decimals: int,
    key: str,
    alt_text: str,
    diverging: bool = False,
    view_key: tuple | None = None,
    legend_area=None,
    projector_height: int = PROJECTOR_MAP_HEIGHT,
) -> None:
    """A choropleth of `values` (code, value, suppressed, absent) on that year's boundaries; a click selects.

    With a `view_key` (everything `values` depends on) the map is built once per version and key.
    """
    from vtdata.ui import maps
    from vtdata.ui.state import select_region

    def build():
        shapes = _shapes(level, year)
        if shapes is None or shapes.empty:
            return None
        return maps.build_choropleth(
            shapes, values, selected=ctx.sel.region, unit=unit, decimals=decimals, value_label=value_label,
            diverging=diverging, height=projector_height if ctx.presenting else maps.DEFAULT_HEIGHT,
        )

    try:
        key_ = ("map", level, year, ctx.sel.region, value_label, ctx.presenting, projector_height, view_key)
        chart = built(ctx.version, key_, build) if view_key else build()
        if chart is None:
            st.info(f"Geen grenzen van {LEVEL_PLURAL.get(level, level)} voor {year}.")
            return
        clicked = maps.show_choropleth(chart, key=key, alt_text=alt_text, legend_area=legend_area)
        image_menu(ctx, _map_image_spec(ctx, level, year, values, unit, decimals, value_label, diverging, view_key),
                   key=key, title=value_label, boundaries=True)
        if ctx.presenting:
            explain(ctx, alt_text)
    except Exception:
        log.exception("map failed")
        st.caption("De kaart kon niet worden getekend.")
        return
    if clicked and clicked != ctx.sel.region:
        select_region(clicked)


def _map_image_spec(ctx, level, year, values, unit, decimals, value_label, diverging, view_key) -> dict:
    """The static map (vl-convert) with the same classes as the interactive one."""
    from vtdata import images

    def build():
        return images.map_spec(
            _shapes(level, year), values, unit=unit, decimals=decimals, value_label=value_label,
            selected=ctx.sel.region, diverging=diverging,
        )

    if view_key is None:
        return build()
    return built(ctx.version, ("map-image", level, year, ctx.sel.region, value_label, view_key), build)


def notes(ctx: ViewContext, view: str, cells: pd.DataFrame | None = None) -> None:
    """A notes field for this view (kept in the session only), with the figures shown."""
    from vtdata.notes import figure_lines
    from vtdata.ui.notes import notes_field

    with st.expander("Notities bij deze weergave", icon=":material/edit_note:"):
        notes_field(
            f"{ctx.scope}-{view}", view_title=f"{ctx.theme.title}: {view}", region=ctx.sel.region_name,
            period=ctx.sel.period_label, figures=figure_lines(cells) if cells is not None and not cells.empty else [],
        )


def _shapes(level: str, year: int):
    from vtdata.ui import data

    return data.shapes(level, year)


def map_values(cells: pd.DataFrame, field: str) -> pd.DataFrame:
    """The map input of one category: code, value (NaN when unknown), suppressed, absent."""
    absent = cells["absent"].astype(bool) if "absent" in cells.columns else pd.Series(False, index=cells.index)
    values = pd.DataFrame(
        {
            "code": cells["region"].astype(str),
            "value": cells[field] * (100 if field == "share" else 1),
            "suppressed": cells["suppressed"].astype(bool),
            "absent": absent,
        }
    )
    values.loc[values["suppressed"] | values["absent"], "value"] = float("nan")
    # a known count without a rate or share (e.g. no population) is "geen gegevens", not "geheim"
    return values[values["value"].notna() | values["suppressed"] | values["absent"]]
