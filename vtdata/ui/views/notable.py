""""Wat valt op": the highest and lowest regions and the strongest multi-year rises, on rates.

Rules (stated on the page): regions are compared per 1.000 inwoners (or as
shares when no population is known), only where the category's count is at
least `MIN_COUNT`; rises compare the latest half-year with the same half-year
three years earlier (`vtdata.change`).
"""

from __future__ import annotations

import streamlit as st

from vtdata import change as ch
from vtdata.format import format_number, format_percent
from vtdata.periods import period_label
from vtdata.rates import rate_decimals
from vtdata.ui import charts
from vtdata.ui.context import LEVEL_PLURAL, ViewContext, half_years
from vtdata.ui.views import common

MIN_COUNT = 50  # smaller counts swing with CBS's rounding to fives
SHOWN = 3


def _fmt(value: float, measure: str) -> str:
    if measure == charts.MEASURE_SHARE:
        return format_percent(value * 100, 1)
    if measure == charts.MEASURE_RATE:
        return format_number(value, rate_decimals(value)) + " per 1.000"
    return format_number(value)


def render_notable(ctx: ViewContext, level: str, category: str) -> None:
    ctx.segment(lambda: _notable(ctx, level, category), "notable", level, category)


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
        known = one[one[field].notna() & (one["value"] >= MIN_COUNT) & ~one["absent"].astype(bool)].sort_values(field, ascending=False)
        nat = national_value(ctx, category, field, [sel.period])
        nat_txt = f" (Nederland: {_fmt(nat, measure)})" if nat is not None else ""
        if len(known) >= 2 * SHOWN:
            top = "; ".join(f"{r.region_title} {_fmt(getattr(r, field), measure)}" for r in known.head(SHOWN).itertuples())
            low = "; ".join(f"{r.region_title} {_fmt(getattr(r, field), measure)}" for r in known.tail(SHOWN)[::-1].itertuples())
            lines.append(f"- **Hoogst** ({title}, {common.words(measure, title)}): {top}{nat_txt}.")
            lines.append(f"- **Laagst**: {low}.")
    hj = half_years()["code"].astype(str).tolist()
    before, after = ch.default_periods(hj, sel.period if sel.period in hj else None)
    if before and after:
        rows, _ = change_frame(ctx, level, category, before, after, field)
        rises = rows[rows["change_pct"].notna() & (rows["change_pct"] > 0)].sort_values("change_pct", ascending=False) if not rows.empty else rows
        if len(rises):
            items = "; ".join(f"{r.region_title} +{format_percent(r.change_pct, 0)}" for r in rises.head(SHOWN).itertuples())
            lines.append(f"- **Sterkste stijging** {period_label(before)} → {period_label(after)}: {items}.")
    if not lines:
        st.markdown("Er valt met deze regels niets op (te weinig bekende cijfers).")
    else:
        st.markdown("\n".join(lines))
    common.explain(ctx,
        f"Regels: {plural} vergeleken {common.words(measure, title)}, alleen waar het aantal minstens {MIN_COUNT} is; "
        f"stijging = procentuele verandering over drie jaar (zelfde halfjaar), alleen bij een eerder aantal van minstens {ch.MIN_BASE}. "
        "Geheime cellen en regio's die toen niet bestonden doen niet mee."
    )
