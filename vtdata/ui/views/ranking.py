"""Tab "Ranglijst": every region of a level ranked on one category, all bars named."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from vtdata.figures import ranking as rk
from vtdata.figures import significance as sg
from vtdata.model.view_spec import ViewSpec, share_rule_text
from vtdata.ui import charts, data, params
from vtdata.ui.context import LEVEL_PLURAL, ViewContext
from vtdata.ui.views import common, verdicts
from vtdata.ui.views.choices import P_EXTRA, category_and_level


def national_value(ctx: ViewContext, key: str, field: str, periods) -> float | None:
    """Nederland's rate or share of the category: the reference line (never the national count)."""
    if ctx.nl is None or field == "value":
        return None
    cells = ctx.region_cells(ctx.nl, periods)
    row = cells[(cells["category"] == key)] if not cells.empty else cells
    if row.empty or pd.isna(row[field].iloc[0]):
        return None
    return float(row[field].iloc[0])


def render_ranking(ctx: ViewContext) -> tuple[str, str, pd.DataFrame | None]:
    """The ranking; returns the (level, category, rows) shown, for 'wat valt op' and notes."""
    category, level = category_and_level(ctx, "-rank")
    added = []
    if level == "GM" and not ctx.presenting:
        names = ctx.built(lambda: _names(ctx, level, category), "rank-names", level, category)
        if len(names) > rk.SHOW_ALL_UP_TO:
            added = params.multi_choice(
                "Gemeenten toevoegen", sorted(names, key=lambda c: names[c]), name=P_EXTRA, default=[], scope=ctx.scope,
                labels=names, placeholder="Zoek een gemeente…",
            )
    drawn = common.section(ctx, f"rank-{ctx.scope}", lambda: _ranking(ctx, level, category, added), level, category, tuple(added))
    if not ctx.presenting:
        common.section(ctx, f"funnel-{ctx.scope}", lambda: _funnel(ctx, level, category), level, category)
    return level, category, (drawn.shown if drawn else None)


@dataclass(frozen=True)
class _FunnelView:
    """The funnel of a level and category, shaped and its chart built (nothing drawn)."""

    heading: str
    description: str
    spec: dict


def _funnel(ctx: ViewContext, level: str, category: str) -> common.Section | None:
    """Every region's value against its base, inside the funnel of what chance allows around Nederland."""
    found = _funnel_view_of(ctx, level, category)
    if found is None:
        return None
    st.subheader(found.heading)
    chart, chart_title = common.draw_chart(ctx, found.spec, found.description, key=f"funnel-{ctx.scope}")
    common.explain(ctx, "Hoe kleiner de basis, hoe wijder de trechter: een klein aantal gevallen geeft toevallig grote "
                        "uitschieters. " + sg.METHOD_TEXT.format(reference="Nederland"))
    return common.Section(chart=chart, title=chart_title)


def _funnel_view(ctx: ViewContext, level: str, category: str) -> _FunnelView | None:
    measure = ctx.measure_for(category)
    if measure == charts.MEASURE_COUNT:
        return None  # counts mostly show size: the funnel compares shares and rates
    nederland, found = verdicts.verdict_rows(ctx, level, category, measure)
    points = found[found["value"].notna() & found["base"].notna()] if not found.empty else found
    if points.empty or nederland.get("value") is None:
        return None
    plural = LEVEL_PLURAL.get(level, level)
    title = ctx.spec.title_of(category)
    scale = 100.0 if measure == charts.MEASURE_SHARE else 1.0
    reference = nederland["value_exact"] if "value_exact" in nederland else nederland["value"]
    reference = float(reference) / scale
    kind = sg.KIND_SHARE if measure == charts.MEASURE_SHARE else sg.KIND_RATE
    lines = pd.DataFrame(sg.funnel(kind, reference, sg.funnel_bases(points["base"].min(), points["base"].max())))
    shown = points.assign(value=points["value"] / scale)
    shown["value_label"] = [f"{common.format_measure(v, measure)}" for v in shown["value"]]
    basis = ctx.spec.basis_of(category)
    base_title = "Totaal (n)" if measure == charts.MEASURE_SHARE else f"Aantal {basis}"
    desc = (f"Trechterdiagram: {title} van de {plural} ({common.words(measure, basis)}) tegen hun basis, met Nederland als "
            "lijn en de 95%- en 99,8%-grenzen van toeval; een punt buiten de binnenste trechter is significant hoger of lager.")
    spec = common.chart_spec(charts.funnel_chart(shown, lines, measure=measure, reference=reference, description=desc,
                                                 selected=ctx.sel.region, base_title=base_title))
    heading = f"Trechter: {title}, {plural} ({common.words(measure, basis)}), {ctx.sel.period_label}"
    return _FunnelView(heading, desc, spec)


def prefetch(ctx: ViewContext, level: str, category: str) -> None:
    """Build, without drawing, the views of the Ranglijst tab as it opens (no gemeenten added)."""
    _ranking_view_of(ctx, level, category, ())
    _funnel_view_of(ctx, level, category)


def _ranking_view_of(ctx: ViewContext, level: str, category: str, added: tuple[str, ...]) -> _RankingView | None:
    """The ranking view, built once per version and view: the tab and the prefetch read it here."""
    return ctx.built(lambda: _ranking_view(ctx, level, category, added), "ranking-view", level, category, added)


def _funnel_view_of(ctx: ViewContext, level: str, category: str) -> _FunnelView | None:
    """The funnel view, built once per version and view: the tab and the prefetch read it here."""
    return ctx.built(lambda: _funnel_view(ctx, level, category), "funnel-view", level, category)


def _names(ctx: ViewContext, level: str, category: str) -> dict[str, str]:
    one, _, _ = ctx.level_cells(level, category, [ctx.sel.period])
    return dict(zip(one["region"], one["region_title"])) if not one.empty else {}


@dataclass(frozen=True)
class _RankingView:
    """The ranking of a level and category, shaped and its chart built (nothing drawn)."""

    heading: str
    description: str
    spec: dict
    notes: str
    rows: pd.DataFrame
    table: pd.DataFrame
    table_spec: ViewSpec
    filename: str


def _ranking(ctx: ViewContext, level: str, category: str, added: list[str]) -> common.Section | None:
    found = _ranking_view_of(ctx, level, category, tuple(added))
    if found is None:
        st.info(f"Geen cijfers voor de {LEVEL_PLURAL.get(level, level)} in deze tabel.")
        return None
    if not ctx.presenting:
        st.subheader(found.heading)
    chart, chart_title = common.draw_chart(ctx, found.spec, found.description, key=f"rank-{ctx.scope}")
    common.explain(ctx, found.notes)
    return common.Section(
        chart=chart, title=chart_title, table=found.table, table_spec=found.table_spec, shown=found.rows,
        with_share=found.table_spec.has_shares, filename=found.filename,
    )


def _ranking_view(ctx: ViewContext, level: str, category: str, added: tuple[str, ...]) -> _RankingView | None:
    sel, spec = ctx.sel, ctx.spec
    one, lspec, key = ctx.level_cells(level, category, [sel.period])
    plural = LEVEL_PLURAL.get(level, level)
    if lspec is None or key is None or one.empty:
        return None
    measure = ctx.measure_for(category)
    field, _ = common.value_columns(measure)
    title = spec.title_of(category)
    own_vt = data.vt_region_of(sel.region, sel.year) if level == "GM" and sel.level == "GM" else None
    neighbours = data.gemeenten_of(own_vt, sel.year) if own_vt else []
    # on a projector the ranking fits one screen: the five highest and lowest and the region itself
    rows = rk.ranking_rows(one, field, selected=sel.region, neighbours=[] if ctx.presenting else neighbours, added=list(added),
                           top=5 if ctx.presenting else rk.TOP_N)
    _, found = verdicts.verdict_rows(ctx, level, category, measure)
    rows = verdicts.with_intervals(rows, found, measure, ctx.spec.basis_of(category))
    ref = national_value(ctx, category, field, [sel.period])
    words = common.words(measure, ctx.spec.basis_of(category))
    desc = (
        f"Staafdiagram: {plural} gerangschikt naar {title} ({words}), {sel.period_label}; "
        f"{sel.region_name} gemarkeerd" + (", Nederland als stippellijn." if ref is not None else ".")
    )
    chart = charts.ranking_chart(rows, measure=measure, description=desc, selected=sel.region, reference=ref,
                                 unit_title=words.capitalize(), with_share=lspec.has_shares)
    notes = [rk.ranking_note(rows, plural)]
    if not found.empty:
        notes.append("▲ / ▼: " + sg.METHOD_TEXT.format(reference="Nederland") + " De lijn door een staaf is dat interval.")
    if measure == charts.MEASURE_RATE:
        notes.append(f"Per 1.000: {common.rate_basis_text(one)}.")
    elif measure == charts.MEASURE_SHARE:
        notes.append(share_rule_text(lspec))
    else:
        notes.append("Aantallen tonen vooral de grootte van een regio; kies 'per 1.000 inwoners' om te vergelijken.")
    return _RankingView(
        heading=f"{title}: {plural}, {words}, {sel.period_label}", description=desc, spec=common.chart_spec(chart),
        notes=" ".join(n for n in notes if n), rows=rows, table=rk.rank_regions(one, field), table_spec=lspec,
        filename=ctx.filename(title, plural, sel.period_label),
    )
