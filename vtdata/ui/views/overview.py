"""Tab "Overzicht per categorie": the distribution in the region, the map, the trend,
and the region against its Veilig Thuis-regio and Nederland."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vtdata import themes_data as td
from vtdata.ui import charts
from vtdata.ui.context import LEVEL_PLURAL, ViewContext, compared_regions, half_years
from vtdata.ui.views import common
from vtdata.ui.views.choices import category_choice, level_choice


def render_overview(ctx: ViewContext) -> pd.DataFrame | None:
    """Returns the region's cells shown (for the notes of this view)."""
    # distribution and map side by side: the map answers "where is it high?" at a glance
    left, right = st.columns(2, gap="large")
    with left:
        shown = distribution(ctx)
    with right:
        overview_map(ctx)
    trend(ctx)
    region_comparison(ctx)
    return shown


def _within_region_measure(ctx: ViewContext) -> str:
    if ctx.measure == charts.MEASURE_SHARE and ctx.spec.has_shares:
        return charts.MEASURE_SHARE
    return charts.MEASURE_COUNT


def _drawn(cells: pd.DataFrame, spec: td.ViewSpec, measure: str) -> pd.DataFrame:
    """Bars that may stand side by side: in a share chart the exclusive parts of one total
    (their shares add up to 100 % at most); otherwise the total and the parts, never a
    subtotal among its own parts (`subtotal_note` names the subtotals)."""
    if measure == charts.MEASURE_SHARE:
        return cells[cells["category"].isin(spec.share_keys)]
    keep = {c.key for c in spec.parts} | ({spec.total_key} if spec.total_key else set())
    return cells[cells["category"].isin(keep)] if keep else cells


def structure_note(cells: pd.DataFrame, spec: td.ViewSpec, label: str = "value_label") -> str:
    """Subtotals with their figures (not drawn as bars), and the multi-answer warning."""
    notes = []
    if spec.subtotals and not cells.empty:
        by_key = dict(zip(cells["category"], cells[label] if label in cells.columns else cells["value_label"]))
        items = [f"{c.title} {by_key[c.key]}" for c in spec.subtotals if c.key in by_key]
        if items:
            notes.append("Subtotalen (geen staaf: ze overlappen hun delen): " + "; ".join(items) + ".")
    if spec.multi_answer:
        notes.append(spec.multi_answer_caption[:1].upper() + spec.multi_answer_caption[1:] + ".")
    return " ".join(notes)


def distribution(ctx: ViewContext) -> pd.DataFrame | None:
    sel, spec = ctx.sel, ctx.spec
    cells = ctx.cells(spec, [sel.region], [sel.period])
    measure = _within_region_measure(ctx)
    st.subheader(f"Verdeling in {sel.region_name}, {sel.period_label}")
    if cells.empty or cells["value"].notna().sum() == 0 and not cells["suppressed"].any():
        st.info(f"Geen cijfers voor {sel.region_name} in {sel.period_label}.")
        return
    shown = _drawn(cells, spec, measure)
    desc = (
        f"Staafdiagram: {ctx.unit_title.lower()} in {sel.region_name}, {sel.period_label}, "
        f"per categorie, als {common.MEASURE_WORDS[measure]}."
    )
    common.show_chart(
        ctx, ("dist", spec, sel.region, sel.period, measure),
        lambda: charts.distribution_chart(shown, measure=measure, description=desc, unit_title=ctx.unit_title, with_share=spec.has_shares),
        desc,
        key=f"dist-{ctx.scope}",
    )
    if measure == charts.MEASURE_SHARE:
        common.explain(ctx, td.share_rule_text(spec))
    common.explain(ctx, structure_note(cells[cells["region"] == sel.region], spec))
    if sel.is_voorlopig:
        common.explain(ctx, "* Voorlopige cijfers: CBS kan ze nog bijstellen.")
    common.table(ctx, cells, spec, key=f"dist-{ctx.scope}", filename=ctx.filename(sel.region_name, sel.period_label), with_share=spec.has_shares)
    return shown


def overview_map(ctx: ViewContext) -> None:
    sel, spec = ctx.sel, ctx.spec
    if ctx.presenting:  # on a projector: the choices and the legend beside the map
        map_area, side = st.columns([3, 1], vertical_alignment="top")
        with side:
            category = category_choice(ctx, "Categorie op de kaart", "-ov")
            level = level_choice(ctx, "-ov")
    else:
        st.subheader(f"Kaart, {sel.period_label}")
        c1, c2 = st.columns([3, 2])
        with c1:
            category = category_choice(ctx, "Categorie op de kaart", "-ov")
        with c2:
            level = level_choice(ctx, "-ov")
        map_area, side = st.container(), None
    one, lspec, key = ctx.level_cells(level, category, [sel.period])
    if lspec is None or key is None or one.empty:
        st.info(f"Geen cijfers voor de {LEVEL_PLURAL.get(level, level)} in deze tabel.")
        return
    measure = ctx.measure_for(category)
    field, _ = common.value_columns(measure)
    unit, decimals = common.measure_unit(measure, lspec)
    title = spec.title_of(category)
    value_label = f"{title}: {common.words(measure, title) if measure != charts.MEASURE_COUNT else ctx.unit_title.lower()}"
    alt_text = f"Kaart van de {LEVEL_PLURAL.get(level, level)}: {value_label}, {sel.period_label}. Klik op een regio om die te kiezen."
    with map_area:
        common.draw_map(
            ctx, level, common.map_values(one, field), year=sel.year, value_label=value_label, unit=unit,
            decimals=decimals, key=f"map-{ctx.scope}-{level}", alt_text=alt_text,
            view_key=("overview", lspec, key, sel.period, measure), legend_area=side,
        )
    if measure == charts.MEASURE_RATE:
        common.explain(ctx, f"Per 1.000: {common.rate_basis_text(one)}.")
    elif measure == charts.MEASURE_SHARE:
        common.explain(ctx, td.share_rule_text(lspec))
    else:
        common.explain(ctx, "Let op: een kaart van aantallen toont vooral hoe groot een regio is.")
    common.table(ctx, one, lspec, key=f"map-{ctx.scope}", filename=ctx.filename(title, LEVEL_PLURAL.get(level, level), sel.period_label), with_share=lspec.has_shares)


def trend(ctx: ViewContext) -> None:
    sel, spec = ctx.sel, ctx.spec
    st.subheader(f"Ontwikkeling per halfjaar in {sel.region_name}")
    hj = half_years()["code"].tolist()
    cells = ctx.cells(spec, [sel.region], hj)
    if "absent" in cells.columns:
        cells = cells[~cells["absent"].astype(bool)]  # before/after the region existed: no points, no "geheim"
    if cells.empty:
        st.info("Geen halfjaarcijfers voor deze regio.")
        return
    measure = _within_region_measure(ctx)
    parts = _drawn(cells, spec, measure)
    keys = list(dict.fromkeys(parts["category"]))
    note = ""
    if len(keys) > 8:
        latest = parts[parts["period"] == parts["period"].max()]
        top = latest.sort_values("value", ascending=False)["category"].head(6).tolist()
        parts = parts[parts["category"].isin(top)]
        note = " Getoond: de zes grootste categorieën in het laatste halfjaar; kies er meer op het tabblad 'Categorieën vergelijken'."
    desc = f"Lijndiagram: ontwikkeling per halfjaar in {sel.region_name}, per categorie ({common.MEASURE_WORDS[measure]})."
    common.show_chart(
        ctx, ("trend", spec, sel.region, measure),
        lambda: charts.trend_chart(parts, measure=measure, description=desc, unit_title=ctx.unit_title, with_share=spec.has_shares),
        desc,
        key=f"trend-{ctx.scope}",
    )
    common.explain(ctx, "Gestippelde lijn en open punten: voorlopige cijfers (*). Grijs kruisje bovenaan: geheim; de lijn is daar onderbroken." + note)
    common.table(ctx, parts, spec, key=f"trend-{ctx.scope}", filename=ctx.filename(sel.region_name, "per-halfjaar"), with_share=spec.has_shares)


def region_comparison(ctx: ViewContext) -> None:
    """The region against its Veilig Thuis-regio and Nederland, per 1.000 inwoners or as shares, never in counts."""
    sel, spec = ctx.sel, ctx.spec
    if sel.level == "NL" or ctx.nl is None:
        return
    codes = tuple(c.code for c in compared_regions(sel.region, sel.year))
    frames = [ctx.region_cells(code, [sel.period]) for code in codes]
    cells = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    if cells.empty or cells["region"].nunique() < 2:
        return
    measure = ctx.region_measure
    if measure == charts.MEASURE_COUNT:
        common.explain(ctx, "Vergelijking met de Veilig Thuis-regio en Nederland: kies 'per 1.000 inwoners' of 'aandeel'; aantallen tonen vooral de grootte van een regio.")
        return
    shown = _drawn(cells, spec, measure)
    order = list(dict.fromkeys(shown["region_title"]))
    st.subheader("Vergelijking met " + " en ".join(order[1:]))
    unit_title = common.MEASURE_WORDS[measure]
    if measure == charts.MEASURE_RATE and "rate_basis" in shown and shown["rate_basis"].astype(str).str.contains("minderjarigen").any():
        unit_title = "per 1.000 inwoners of minderjarigen (zie tabel)"
    desc = f"Staafdiagram: {unit_title} per categorie voor {', '.join(order)}, {sel.period_label}."
    common.show_chart(
        ctx, ("cmp", spec, codes, sel.period, measure),
        lambda: charts.comparison_chart(shown, measure=measure, description=desc, region_order=order, unit_title=unit_title, with_share=spec.has_shares),
        desc,
        key=f"cmp-{ctx.scope}",
    )
    if measure == charts.MEASURE_RATE:
        common.explain(ctx, f"Per 1.000: {common.rate_basis_text(shown)}, zodat regio's van verschillende grootte vergelijkbaar zijn.")
    else:
        common.explain(ctx, "In aandelen van het eigen totaal, zodat regio's van verschillende grootte vergelijkbaar zijn. " + td.share_rule_text(spec))
    common.table(ctx, shown, spec, key=f"cmp-{ctx.scope}", filename=ctx.filename(sel.region_name, "vergelijking", sel.period_label), with_share=spec.has_shares)
