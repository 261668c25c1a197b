""""Wat valt op": only what is significant, by the same verdicts as the ranking beside it.

Rules (stated on the page): a region is named when Nederland's value lies
outside its 95 % interval (`vtdata.figures.significance`, the rows of `vtdata ranking`),
the highest such values first; a rise is named when it is "fors gestegen":
larger than chance and CBS's rounding allow, and at least +25 % (a share: +5
procentpunt), between the period shown and the same half-year three years
earlier (`vtdata.figures.change`).
"""

from __future__ import annotations

import streamlit as st

from vtdata.figures import change as ch
from vtdata.figures import significance as sg
from vtdata.format import format_percent
from vtdata.model.periods import period_label
from vtdata.ui import charts
from vtdata.ui.context import LEVEL_PLURAL, ViewContext, half_years
from vtdata.ui.views import common, verdicts

SHOWN = 3


def render_notable(ctx: ViewContext, level: str, category: str) -> None:
    ctx.segment(lambda: _notable(ctx, level, category), "notable", level, category)


def _change_periods(ctx: ViewContext) -> tuple[str | None, str | None]:
    """The periods of "fors gestegen": the half-year shown (or the latest before it) and three years earlier."""
    hj = half_years()["code"].astype(str).tolist()
    return ch.default_periods(hj, ch.latest_half_year(ctx.sel.period, hj))


def build_data(ctx: ViewContext, level: str, category: str) -> None:
    """Build the data "wat valt op" and the ranking read (verdicts, change rows), nothing drawn:
    the warm-up does so for the default link's view (`vtdata.ui.warmup`)."""
    from vtdata.ui.views.change import change_frame

    measure = ctx.measure_for(category)
    verdicts.verdict_rows(ctx, level, category, measure)
    before, after = _change_periods(ctx)
    if before and after:
        change_frame(ctx, level, category, before, after, common.value_columns(measure)[0])


def _notable(ctx: ViewContext, level: str, category: str) -> None:
    from vtdata.ui.views.change import change_frame
    from vtdata.ui.views.ranking import national_value

    sel = ctx.sel
    plural = LEVEL_PLURAL.get(level, level)
    title = ctx.spec.title_of(category)
    measure = ctx.measure_for(category)
    field, _ = common.value_columns(measure)
    st.subheader("Wat valt op")
    one, lspec, key = ctx.level_cells(level, category, [sel.period])
    lines = []
    if not one.empty:
        nederland, found = verdicts.verdict_rows(ctx, level, category, measure)
        nat = national_value(ctx, category, field, [sel.period])
        nat_txt = f" (Nederland: {common.format_measure(nat, measure)})" if nat is not None else ""
        scale = 100.0 if measure == charts.MEASURE_SHARE else 1.0
        words = common.words(measure, ctx.spec.basis_of(category))
        for verdict, ascending, label in ((sg.HIGHER, False, "Significant hoger"), (sg.LOWER, True, "Significant lager")):
            hits = found[found["verdict"] == verdict].sort_values("value", ascending=ascending)
            if len(hits):
                named = "; ".join(
                    f"{r.region_title} {common.format_measure(r.value / scale, measure)} ({verdicts.base_text(r.base, measure, ctx.spec.basis_of(category))})"
                    for r in hits.head(SHOWN).itertuples())
                more = f" en {len(hits) - SHOWN} andere" if len(hits) > SHOWN else ""
                lines.append(f"- **{label} dan Nederland** ({title}, {words}): {named}{more}{nat_txt}.")
        if not found.empty and not lines:
            lines.append(f"- Geen van de {plural} wijkt significant af van Nederland ({title}, {words}).")
    before, after = _change_periods(ctx)
    if before and after:
        rows, _ = change_frame(ctx, level, category, before, after, field)
        rises = rows[rows["verdict"] == sg.ROSE_LARGE].sort_values("change_pct", ascending=False) if not rows.empty else rows
        if len(rises):
            items = "; ".join(f"{r.region_title} +{format_percent(r.change_pct, 0)} ({common.format_measure(r.before, measure)} → {common.format_measure(r.after, measure)})"
                              for r in rises.head(SHOWN).itertuples())
            lines.append(f"- **Fors gestegen** {period_label(before)} → {period_label(after)}: {items}.")
    if not lines:
        st.markdown("Er valt met deze regels niets op (te weinig bekende cijfers).")
    else:
        st.markdown("\n".join(lines))
    common.explain(
        ctx,
        f"Regels: {plural} vergeleken {common.words(measure, ctx.spec.basis_of(category))}, dezelfde oordelen als de ranglijst "
        f"(▲ / ▼). {sg.METHOD_TEXT.format(reference='Nederland')} {sg.CHANGE_METHOD_TEXT} "
        "Geheime cellen en regio's die toen niet bestonden doen niet mee.",
    )
