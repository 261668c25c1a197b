"""Tab "Overzicht per categorie" (the distribution in the region, beside its Veilig Thuis-regio
and Nederland where they can be compared, and the trend) and tab "Kaart" (every region of a level).

The map has a tab of its own: at 1280x720 it sat below the fold beside the distribution, yet it
made every first visit load deck.gl (3 MB of JavaScript) and draw WebGL before the page was done.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from vtdata.figures import pipeline
from vtdata.figures import significance as sg
from vtdata.model.view_spec import ViewSpec, share_rule_text, unplaced_note
from vtdata.ui import charts
from vtdata.ui.context import LEVEL_PLURAL, ViewContext, compared_regions, half_years
from vtdata.ui.memo import built
from vtdata.ui.views import common, verdicts
from vtdata.ui.views.choices import category_choice, level_choice


def render_overview(ctx: ViewContext) -> pd.DataFrame | None:
    """Returns the region's cells shown (for the notes of this view)."""
    drawn = common.section(ctx, f"dist-{ctx.scope}", lambda: _distribution_or_comparison(ctx))
    trend(ctx)
    return drawn.shown if drawn else None


def _distribution_or_comparison(ctx: ViewContext) -> common.Section | None:
    """The region's distribution, beside its Veilig Thuis-regio and Nederland in one chart where they
    can be compared (per 1.000 inwoners or as shares). Its own bars are the first of each category
    there: a chart of the region alone above it showed the same figures twice, and cost a first
    visit a chart's drawing (about 0.25 s of a 2-core machine's browser)."""
    cells = _compared_cells(ctx)
    if cells is not None and ctx.region_measure != charts.MEASURE_COUNT:
        return _region_comparison(ctx, cells)
    drawn = _distribution(ctx)
    if cells is not None:
        common.explain(ctx, "Vergelijking met de Veilig Thuis-regio en Nederland: kies 'per 1.000 inwoners' of 'aandeel'; aantallen tonen vooral de grootte van een regio.")
    return drawn


def _within_region_measure(ctx: ViewContext) -> str:
    """The page's unit ("Toon") for one region's charts too, so a reader sees one unit per view:
    per 1.000, a share (exclusive parts only), else the count."""
    if ctx.measure == charts.MEASURE_SHARE and ctx.spec.has_shares:
        return charts.MEASURE_SHARE
    if ctx.measure == charts.MEASURE_RATE:
        return charts.MEASURE_RATE
    return charts.MEASURE_COUNT


def _drawn(cells: pd.DataFrame, spec: ViewSpec, measure: str) -> pd.DataFrame:
    """Bars that may stand side by side: in a share chart the exclusive parts of one total
    (their shares add up to 100 % at most); otherwise the total and the parts, never a
    subtotal among its own parts (`subtotal_note` names the subtotals)."""
    if measure == charts.MEASURE_SHARE:
        return cells[cells["category"].isin(spec.share_keys)]
    keep = {c.key for c in spec.parts} | ({spec.total_key} if spec.total_key else set())
    return cells[cells["category"].isin(keep)] if keep else cells


def structure_note(cells: pd.DataFrame, spec: ViewSpec, label: str = "value_label") -> str:
    """Subtotals with their figures (not drawn as bars), and the multi-answer warning."""
    notes = []
    if spec.subtotals and not cells.empty:
        by_key = dict(zip(cells["category"], cells[label] if label in cells.columns else cells["value_label"]))
        items = [f"{c.label} {by_key[c.key]}" for c in spec.subtotals if c.key in by_key]
        if items:
            notes.append("Subtotalen (geen staaf: ze overlappen hun delen): " + "; ".join(items) + ".")
    if spec.multi_answer:
        notes.append(spec.multi_answer_caption[:1].upper() + spec.multi_answer_caption[1:] + ".")
    unplaced = unplaced_note(spec)
    if unplaced:
        notes.append(unplaced)
    return " ".join(notes)


def _region_notes(ctx: ViewContext, cells: pd.DataFrame) -> None:
    """Under the region's distribution, alone or beside others: its subtotals and the multi-answer
    warning, and whether the period's figures are voorlopig."""
    common.explain(ctx, structure_note(cells[cells["region"] == ctx.sel.region], ctx.spec))
    if ctx.sel.is_voorlopig:
        common.explain(ctx, "* Voorlopige cijfers: CBS kan ze nog bijstellen.")


def _distribution(ctx: ViewContext) -> common.Section | None:
    sel, spec = ctx.sel, ctx.spec
    cells = ctx.cells(spec, [sel.region], [sel.period])
    measure = _within_region_measure(ctx)
    st.subheader(f"Verdeling in {sel.region_name}, {sel.period_label} ({common.UNIT_WORDS[measure]})")
    if cells.empty or cells["value"].notna().sum() == 0 and not cells["suppressed"].any():
        st.info(f"Geen cijfers voor {sel.region_name} in {sel.period_label}.")
        return None
    shown = _drawn(cells, spec, measure)
    desc = (
        f"Staafdiagram: {ctx.unit_title.lower()} in {sel.region_name}, {sel.period_label}, "
        f"per categorie, als {common.MEASURE_WORDS[measure]}."
    )
    chart, title = common.chart(
        ctx,
        lambda: charts.distribution_chart(shown, measure=measure, description=desc, unit_title=common.axis_unit(ctx, measure, shown),
                                          with_share=spec.has_shares),
        desc,
        key=f"dist-{ctx.scope}",
    )
    if measure == charts.MEASURE_SHARE:
        common.explain(ctx, share_rule_text(spec))
    _region_notes(ctx, cells)
    return common.Section(
        chart=chart, title=title, table=cells, table_spec=spec, shown=shown, with_share=spec.has_shares,
        filename=ctx.filename(sel.region_name, sel.period_label),
    )


def overview_map(ctx: ViewContext) -> pd.DataFrame | None:
    """The map of one category for every region of a level; returns its cells (for the notes)."""
    sel = ctx.sel
    if ctx.presenting:  # on a projector: the choices and the legend beside the map
        map_area, side = st.columns([3, 1], vertical_alignment="top")
        with side:
            category = category_choice(ctx, "Categorie op de kaart", "-ov")
            level = level_choice(ctx, "-ov")
    else:
        st.subheader(f"Kaart, {sel.period_label}")
        # the category gets two thirds of the tab's width: in a narrower column it was cut off ("Niet beroepsmatig: famil")
        choose_category, choose_level = st.columns([2, 1], gap="large")
        with choose_category:
            category = category_choice(ctx, "Categorie op de kaart", "-ov")
        with choose_level:
            level = level_choice(ctx, "-ov")
        map_area, side = st.container(), None
    found = ctx.built(lambda: _map_view(ctx, level, category), "map-view", level, category)
    if found is None:
        st.info(f"Geen cijfers voor de {LEVEL_PLURAL.get(level, level)} in deze tabel.")
        return None
    with map_area:
        common.draw_map(
            ctx, level, found.values, year=sel.year, value_label=found.value_label, unit=found.unit,
            decimals=found.decimals, key=f"map-{ctx.scope}-{level}", alt_text=found.alt_text,
            view_key=("overview", found.spec, found.key, sel.period, found.measure), legend_area=side,
            marked=found.marked,
        )
    common.section(ctx, f"map-{ctx.scope}", lambda: _map_notes(ctx, found), level, category)
    return found.cells


@dataclass(frozen=True)
class _MapView:
    cells: pd.DataFrame  # the category for every region of the level
    spec: ViewSpec
    key: str
    level: str
    measure: str
    title: str
    value_label: str
    unit: str | None
    decimals: int
    alt_text: str
    marked: dict[str, str] | None = None  # region -> hoger/lager against Nederland (the ranking's verdicts)

    def values(self) -> pd.DataFrame:
        return common.map_values(self.cells, common.value_columns(self.measure)[0])


def _map_view(ctx: ViewContext, level: str, category: str) -> _MapView | None:
    sel = ctx.sel
    one, lspec, key = ctx.level_cells(level, category, [sel.period])
    if lspec is None or key is None or one.empty:
        return None
    measure = ctx.measure_for(category)
    unit, decimals = common.measure_unit(measure, lspec)
    title = ctx.spec.title_of(category)
    value_label = f"{title}: {common.words(measure, ctx.spec.basis_of(category)) if measure != charts.MEASURE_COUNT else ctx.unit_title.lower()}"
    alt_text = f"Kaart van de {LEVEL_PLURAL.get(level, level)}: {value_label}, {sel.period_label}. Klik op een regio om die te kiezen."
    marked = None
    if measure != charts.MEASURE_COUNT:
        _, found = verdicts.verdict_rows(ctx, level, category, measure)
        marked = {r: v for r, v in zip(found["region"], found["verdict"]) if v in (sg.HIGHER, sg.LOWER)}
    return _MapView(one, lspec, key, level, measure, title, value_label, unit, decimals, alt_text, marked)


def _map_notes(ctx: ViewContext, found: _MapView) -> common.Section:
    if found.measure == charts.MEASURE_RATE:
        common.explain(ctx, f"Per 1.000: {common.rate_basis_text(found.cells)}.")
    elif found.measure == charts.MEASURE_SHARE:
        common.explain(ctx, share_rule_text(found.spec))
    else:
        common.explain(ctx, "Let op: een kaart van aantallen toont vooral hoe groot een regio is.")
    return common.Section(
        table=found.cells, table_spec=found.spec, with_share=found.spec.has_shares,
        filename=ctx.filename(found.title, LEVEL_PLURAL.get(found.level, found.level), ctx.sel.period_label),
    )


TREND_HALF_YEARS = 10  # five years: the trend chart's window (the comparison tab keeps them all)


def trend(ctx: ViewContext) -> None:
    common.section(ctx, f"trend-{ctx.scope}", lambda: _trend(ctx))


def _trend(ctx: ViewContext) -> common.Section | None:
    sel, spec = ctx.sel, ctx.spec
    measure = _within_region_measure(ctx)
    st.subheader(f"Ontwikkeling per halfjaar in {sel.region_name} ({common.UNIT_WORDS[measure]})")
    every = half_years()["code"].tolist()
    hj = every[-TREND_HALF_YEARS:]  # a bounded window: the chart's spec would grow with every half-year published
    cells = ctx.cells(spec, [sel.region], hj)
    if "absent" in cells.columns:
        cells = cells[~cells["absent"].astype(bool)]  # before/after the region existed: no points, no "geheim"
    if cells.empty:
        st.info("Geen halfjaarcijfers voor deze regio.")
        return None
    parts = _drawn(cells, spec, measure)
    keys = list(dict.fromkeys(parts["category"]))
    note = ""
    if len(every) > len(hj):
        note = (f" Getoond: de laatste {TREND_HALF_YEARS} halfjaren; alle {len(every)} staan op het tabblad "
                "'Categorieën vergelijken'.")
    if len(keys) > 8:
        latest = parts[parts["period"] == parts["period"].max()]
        top = latest.sort_values("value", ascending=False)["category"].head(6).tolist()
        parts = parts[parts["category"].isin(top)]
        note += " Getoond: de zes grootste categorieën in het laatste halfjaar; kies er meer op het tabblad 'Categorieën vergelijken'."
    # three or more lines: a panel each, so the total's line does not flatten its parts
    panels = len(dict.fromkeys(parts["category"])) >= 3
    desc = f"Lijndiagram: ontwikkeling per halfjaar in {sel.region_name}, per categorie ({common.MEASURE_WORDS[measure]})."
    # The trend does not depend on the period chosen: a period change draws the spec built before.
    drawn = built(ctx.version, ("trend", spec, sel.region, sel.region_name, measure), lambda: common.chart_spec(
        charts.trend_chart(parts, measure=measure, description=desc, unit_title=common.axis_unit(ctx, measure, parts),
                           with_share=spec.has_shares, small_multiples=panels)))
    chart, title = common.draw_chart(ctx, drawn, desc, key=f"trend-{ctx.scope}")
    if panels:
        note = f" Elke categorie heeft een eigen schaal ({common.MEASURE_WORDS[measure]}): vergelijk de ontwikkeling, niet de hoogte." + note
    common.explain(ctx, "Gestippelde lijn en open punten: voorlopige cijfers (*). Grijs kruisje bovenaan: geheim; de lijn is daar onderbroken." + note)
    return common.Section(
        chart=chart, title=title, table=parts, table_spec=spec, with_share=spec.has_shares,
        filename=ctx.filename(sel.region_name, "per-halfjaar"),
    )


def _comparison_verdicts(shown: pd.DataFrame, codes: tuple[str, ...], names: list[str], field: str) -> str:
    """What is significantly higher or lower than each compared region (its VT-regio, Nederland), in Dutch."""
    region, lines = codes[0], []
    titles = dict(zip(shown["category"], shown["category_title"]))
    for reference, name in zip(codes[1:], names[1:]):
        found = pipeline.verdicts_against(shown, region, reference, field)
        called = [f"{mark} significant {verdict}: " + ", ".join(titles[k] for k, v in found.items() if v == verdict)
                  for verdict, mark in ((sg.HIGHER, "▲"), (sg.LOWER, "▼")) if verdict in found.values()]
        lines.append(f"- **Tegen {name}**: " + ("; ".join(called) if called else "geen categorie wijkt significant af") + ".")
    return "\n".join(lines)


def _compared_cells(ctx: ViewContext) -> pd.DataFrame | None:
    """The cells of the region, its Veilig Thuis-regio (for a gemeente) and Nederland in the period,
    when there is another region to compare it with (not for Nederland itself)."""
    sel = ctx.sel
    if sel.level == "NL" or ctx.nl is None:
        return None
    codes = [c.code for c in compared_regions(sel.region, sel.year)]
    frames = [ctx.region_cells(code, [sel.period]) for code in codes]
    cells = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    if cells.empty or cells["region"].nunique() < 2 or sel.region not in set(cells["region"]):
        return None
    return cells


def _region_comparison(ctx: ViewContext, cells: pd.DataFrame) -> common.Section:
    """The region against its Veilig Thuis-regio and Nederland, per 1.000 inwoners or as shares, never in counts."""
    sel, spec = ctx.sel, ctx.spec
    measure = ctx.region_measure
    shown = _drawn(cells, spec, measure)
    # codes and names of the regions drawn, from the same rows: the verdicts pair them up
    codes = tuple(dict.fromkeys(shown["region"]))
    order = list(dict.fromkeys(shown["region_title"]))
    st.subheader(f"Verdeling in {sel.region_name}, {sel.period_label} ({common.UNIT_WORDS[measure]}), "
                 f"naast {' en '.join(order[1:])}")
    unit_title = common.axis_unit(ctx, measure, shown) if measure == charts.MEASURE_RATE else common.MEASURE_WORDS[measure]
    desc = f"Staafdiagram: {unit_title} per categorie voor {', '.join(order)}, {sel.period_label}."
    chart, title = common.chart(
        ctx,
        lambda: charts.comparison_chart(shown, measure=measure, description=desc, region_order=order, unit_title=unit_title, with_share=spec.has_shares),
        desc,
        key=f"cmp-{ctx.scope}",
    )
    st.markdown(_comparison_verdicts(shown, codes, order, "share" if measure == charts.MEASURE_SHARE else "rate"))
    if measure == charts.MEASURE_RATE:
        common.explain(ctx, f"Per 1.000: {common.rate_basis_text(shown)}, zodat regio's van verschillende grootte vergelijkbaar zijn.")
    else:
        common.explain(ctx, "In aandelen van het eigen totaal, zodat regio's van verschillende grootte vergelijkbaar zijn. " + share_rule_text(spec))
    common.explain(ctx, sg.METHOD_TEXT.format(reference="de Veilig Thuis-regio of Nederland"))
    _region_notes(ctx, cells)
    return common.Section(
        chart=chart, title=title, table=cells, table_spec=spec, shown=shown[shown["region"] == sel.region],
        with_share=spec.has_shares, filename=ctx.filename(sel.region_name, "vergelijking", sel.period_label),
    )
