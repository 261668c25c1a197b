"""Small pieces every view uses: drawing a chart, measure words, the map of one level."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from vtdata.model.view_spec import ViewSpec

from vtdata.format import slugify
from vtdata.format import no_list_start
from vtdata.ui import charts
from vtdata.ui.context import LEVEL_PLURAL, ViewContext
from vtdata.ui import presentation
from vtdata.ui.memo import built
from vtdata.ui.tables import chart_table, folded

log = logging.getLogger(__name__)

PROJECTOR_MAP_HEIGHT = 420  # fits 1280x720 under the title and the step buttons (choices beside it)
PROJECTOR_HALF_MAP_HEIGHT = 290  # a map beside a ranking, under a row of choices

MEASURE_WORDS = {
    charts.MEASURE_RATE: "per 1.000 inwoners",
    charts.MEASURE_SHARE: "aandeel van het totaal",
    charts.MEASURE_COUNT: "aantal",
}
# the unit in a heading, short: "Verdeling in Amsterdam, 2023 (aandeel)"
UNIT_WORDS = {charts.MEASURE_RATE: "per 1.000", charts.MEASURE_SHARE: "aandeel", charts.MEASURE_COUNT: "aantal"}


def format_measure(value: float, measure: str) -> str:
    """A value in the unit shown, Dutch: a share (fraction) as '15,8%', a rate as '4,52 per 1.000', a count as '1.234'."""
    from vtdata.format import format_number, format_percent
    from vtdata.figures.rates import rate_decimals

    if measure == charts.MEASURE_SHARE:
        return format_percent(value * 100, 1)
    if measure == charts.MEASURE_RATE:
        return format_number(value, rate_decimals(value)) + " per 1.000"
    return format_number(value)


def axis_unit(ctx: ViewContext, measure: str, cells: pd.DataFrame) -> str:
    """The unit an axis names: the topic for counts, 'per 1.000 inwoners' (or 'of minderjarigen') for rates."""
    if measure != charts.MEASURE_RATE:
        return ctx.unit_title
    if "rate_basis" in cells and cells["rate_basis"].astype(str).str.contains("minderjarigen").any():
        return "per 1.000 inwoners of minderjarigen (zie tabel)"
    return MEASURE_WORDS[measure]


def words(measure: str, basis: str | None = None) -> str:
    """'per 1.000 inwoners', or 'per 1.000 minderjarigen' for a category the catalog counts per child."""
    if measure == charts.MEASURE_RATE and basis:
        return f"per 1.000 {basis}"
    return MEASURE_WORDS[measure]


@dataclass(frozen=True)
class Section:
    """What a drawn section hands to the live controls under it (see `section`)."""

    chart: dict | None = None  # the Vega-Lite spec, for the image menu
    title: str = ""
    table: pd.DataFrame | None = None  # the rows of the "Tabel"
    table_spec: ViewSpec | None = None
    filename: str = ""
    with_share: bool = False
    shown: pd.DataFrame | None = None  # what the notes of the view record


def section(ctx: ViewContext, key: str, draw, *view_key) -> Section | None:
    """A heading, chart and captions drawn once per version and view, then the controls under them.

    `draw()` draws without widgets and returns a `Section` (or None when it
    showed only a message); it runs once per version, the page's view and
    `view_key` (`ViewContext.segment`). Under it, live: the image menu of its
    chart and the "Tabel" of its rows.
    """
    drawn = ctx.segment(draw, key, *view_key)
    if drawn is None:
        return None
    if drawn.chart is not None:
        image_menu(ctx, drawn.chart, key=key, title=drawn.title)
    if drawn.table is not None:
        table(ctx, drawn.table, drawn.table_spec, key=key, filename=drawn.filename, with_share=drawn.with_share)
    return drawn


def chart(ctx: ViewContext, build, description: str, key: str, title: str | None = None) -> tuple[dict, str]:
    """Draw the chart that `build()` makes and its description; (Vega-Lite spec, title).

    Call it inside a `section`, which builds it once per version and view.
    """
    return draw_chart(ctx, chart_spec(build()), description, key, title)


def chart_spec(altair_chart) -> dict:
    """The Vega-Lite spec a page draws for an Altair chart (pure: a prefetch can build it)."""
    return accessible(charts.named_columns_only(_to_spec(altair_chart)))


def draw_chart(ctx: ViewContext, spec: dict, description: str, key: str, title: str | None = None) -> tuple[dict, str]:
    """Draw a spec of `chart_spec` and its description; (spec, title)."""
    if ctx.presenting:
        spec = presentation.enlarge(spec)
    # `alt` names the chart; a description in the spec as well makes Streamlit log a warning with a stack per run
    shown = {k: v for k, v in spec.items() if k != "description"}
    st.vega_lite_chart(spec=shown, width="stretch", key=key, alt=description)
    explain(ctx, description)
    return spec, title or _title_of(description)


def accessible(spec: dict) -> dict:
    """The chart as one image for assistive technology, named by its Dutch description (`alt`).

    Vega labels axes and legends in English ("X-axis titled ...") and gives a mark
    without items (an empty highlight layer) a role but no name, which fails
    WCAG 1.1.1; the figures themselves are in the "Tabel" under every chart.
    """
    config = dict(spec.get("config") or {})
    config["aria"] = False
    config["mark"] = {**(config.get("mark") or {}), "aria": False}
    return {**spec, "config": config}


def _title_of(description: str) -> str:
    """'Staafdiagram: x in y.' -> 'X in y' (a chart's description names what it shows)."""
    text = description.split(":", 1)[-1].strip().rstrip(".")
    return text[:1].upper() + text[1:]


def image_menu(ctx: ViewContext, spec, *, key: str, title: str, boundaries: bool = False) -> None:
    """A small "Afbeelding" menu with PNG and SVG downloads; its buttons exist only while it is open.

    `spec` is the Vega-Lite spec of the image, or a function that builds it (called only when open).
    """
    menu = st.popover("Afbeelding", icon=":material/image:", type="tertiary", key=f"imgmenu-{key}", on_change="rerun")
    if menu.open is False:
        return
    from vtdata.ui.image_buttons import image_downloads  # vl-convert: loaded once a menu is opened

    with menu:
        image_downloads(
            spec() if callable(spec) else spec, key=key, filename=f"{ctx.scope}_{slugify(title)}", title=title,
            region=ctx.sel.region_name, period=ctx.sel.period_label, boundaries=boundaries,
        )


def explain(ctx: ViewContext, text: str) -> None:
    """A caption that says how a figure was made; in presentation mode it goes to "Uitleg"."""
    if not text:
        return
    text = no_list_start(text)  # a caption may start with a year: "2023. Verandering = ..."
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
    return charts.value_field(measure), charts.label_field(measure)


def measure_unit(measure: str, spec: ViewSpec) -> tuple[str | None, int]:
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
    values,
    *,
    year: int,
    value_label: str,
    unit: str | None,
    decimals: int,
    key: str,
    alt_text: str,
    view_key: tuple,
    diverging: bool = False,
    legend_area=None,
    projector_height: int = PROJECTOR_MAP_HEIGHT,
    marked: dict[str, str] | None = None,
) -> None:
    """A choropleth on that year's boundaries; a click selects a region.

    `values()` makes the map input (code, value, suppressed, absent); it and the
    map are built once per version and `view_key` (everything `values` depends on).
    """
    from vtdata.ui import maps
    from vtdata.ui.state import select_region

    def image_spec() -> dict:
        """The static map (vl-convert) with the same classes as the interactive one."""
        from vtdata.outputs import images

        return built(ctx.version, ("map-image", level, year, ctx.sel.region, value_label, view_key), lambda: images.map_spec(
            _shapes(level, year), _map_input(ctx, level, year, view_key, values), unit=unit, decimals=decimals,
            value_label=value_label, selected=ctx.sel.region, diverging=diverging,
        ))

    try:
        chart = map_chart(ctx, level, values, year=year, value_label=value_label, unit=unit, decimals=decimals,
                          view_key=view_key, diverging=diverging, projector_height=projector_height, marked=marked)
        if chart is None:
            st.info(f"Geen grenzen van {LEVEL_PLURAL.get(level, level)} voor {year}.")
            return
        # selected in the click's callback: one run per click (a rerun after drawing would be a second)
        clicked = maps.show_choropleth(
            chart, key=key, alt_text=alt_text, legend_area=legend_area, on_pick=functools.partial(select_region, rerun=False),
        )
        image_menu(ctx, image_spec, key=key, title=value_label, boundaries=True)
        if ctx.presenting:
            explain(ctx, alt_text)
    except Exception:
        log.exception("map failed")
        st.caption("De kaart kon niet worden getekend.")
        return
    if clicked and clicked != ctx.sel.region:
        select_region(clicked)


def map_chart(ctx: ViewContext, level: str, values, *, year: int, value_label: str, unit: str | None, decimals: int,
              view_key: tuple, diverging: bool = False, projector_height: int = PROJECTOR_MAP_HEIGHT,
              marked: dict[str, str] | None = None):
    """The pydeck map `draw_map` shows, built once per version and view (pure: a prefetch can build
    it); None when there are no boundaries of that level and year."""
    from vtdata.ui import maps

    def build():
        shapes = _shapes(level, year)
        if shapes is None or shapes.empty:
            return None
        return maps.build_choropleth(
            shapes, _map_input(ctx, level, year, view_key, values), selected=ctx.sel.region, unit=unit, decimals=decimals,
            value_label=value_label, diverging=diverging, height=projector_height if ctx.presenting else maps.DEFAULT_HEIGHT,
            marked=marked,
        )

    return built(ctx.version, ("map", level, year, ctx.sel.region, value_label, ctx.presenting, projector_height, view_key), build)


def _map_input(ctx: ViewContext, level: str, year: int, view_key: tuple, values) -> pd.DataFrame:
    return built(ctx.version, ("map-values", level, year, view_key), values)


def notes_key(scope: str, view: str) -> str:
    """The widget key of a view's notes expander (True in Session State while it is open)."""
    return f"notes-{scope}-{slugify(view)}"


def notes(ctx: ViewContext, view: str, cells: pd.DataFrame | None = None) -> None:
    """A notes field for this view (kept in the session only), with the figures shown.

    The field is built once its expander is opened: a text area mounted in a closed expander
    cost a first visit about 0.2 s of browser work. A note written before is kept in the
    session's notes and is back in the field when it opens again.
    """
    from vtdata.outputs.notes import figure_lines
    from vtdata.ui.notes import notes_field

    box = folded("Notities bij deze weergave", key=notes_key(ctx.scope, view), icon=":material/edit_note:")
    if box is None:
        return
    with box:
        notes_field(
            f"{ctx.scope}-{view}", view_title=f"{ctx.theme.title}: {view}", region=ctx.sel.region_name,
            period=ctx.sel.period_label,
            # the figures are listed only once a note is written
            figures=lambda: figure_lines(cells) if cells is not None and not cells.empty else [],
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
