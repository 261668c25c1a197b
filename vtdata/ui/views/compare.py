"""Tab "Categorieën vergelijken": chosen categories over the half-years in the region."""

from __future__ import annotations

import streamlit as st

from vtdata.ui import charts, params
from vtdata.ui.context import ViewContext, half_years
from vtdata.ui.views import common
from vtdata.ui.views.choices import P_COMPARE, category_options


def render_compare(ctx: ViewContext):
    spec = ctx.spec
    options = category_options(spec)
    labels = {c.key: c.label for c in spec.categories}
    chosen = params.multi_choice("Categorieën", options, name=P_COMPARE, default=options[: min(3, len(options))], scope=ctx.scope, labels=labels)
    if not chosen:
        st.info("Kies een of meer categorieën.")
        return
    common.section(ctx, f"cmp-trend-{ctx.scope}", lambda: _compare(ctx, chosen), tuple(chosen))
    return _chosen_cells(ctx, chosen)


def _chosen_cells(ctx: ViewContext, chosen: list[str]):
    """The region's half-year cells of the chosen categories (built once per version and view)."""

    def build():
        cells = ctx.cells(ctx.spec, [ctx.sel.region], half_years()["code"].tolist())
        return cells[cells["category"].isin(chosen) & ~cells["absent"].astype(bool)]

    return ctx.built(build, "compare-cells", tuple(chosen))


def _compare(ctx: ViewContext, chosen: list[str]) -> common.Section | None:
    sel, spec = ctx.sel, ctx.spec
    cells = _chosen_cells(ctx, chosen)
    if cells.empty:
        st.info(f"Geen halfjaarcijfers voor {sel.region_name}.")
        return None
    # shares only where every chosen category is an exclusive part of the total
    shares_ok = ctx.measure == charts.MEASURE_SHARE and set(chosen) <= set(spec.share_keys)
    measure = charts.MEASURE_SHARE if shares_ok else (ctx.measure if ctx.measure == charts.MEASURE_RATE else charts.MEASURE_COUNT)
    st.subheader(f"Over de tijd in {sel.region_name}")
    desc = f"Lijndiagram: gekozen categorieën per halfjaar in {sel.region_name} ({common.MEASURE_WORDS[measure]})."
    chart, title = common.chart(
        ctx,
        lambda: charts.trend_chart(cells, measure=measure, description=desc, unit_title=common.axis_unit(ctx, measure, cells), with_share=spec.has_shares),
        desc,
        key=f"cmp-trend-{ctx.scope}",
    )
    common.explain(ctx, "Gestippeld en open punten: voorlopig (*). Grijs kruisje bovenaan: geheim.")
    return common.Section(
        chart=chart, title=title, table=cells, table_spec=spec, with_share=spec.has_shares,
        filename=ctx.filename(sel.region_name, "categorieen", "per-halfjaar"),
    )
