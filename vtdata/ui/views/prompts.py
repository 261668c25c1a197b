"""Gespreksvragen: 2-4 neutral questions from the figures of the view (`vtdata.figures.prompts`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vtdata.figures import headline as hl
from vtdata.figures import prompts as pr
from vtdata.model.periods import same_period_year_before
from vtdata.model.periods import period_label
from vtdata.ui.context import ViewContext, compared_regions
from vtdata.ui.memo import built
from vtdata.ui.views import common


def view_prompts(ctx: ViewContext) -> list[pr.Prompt]:
    """The prompts of the page's view for the region (built once per version and view)."""
    key = ("prompts", ctx.spec, ctx.sel.region, ctx.sel.period, ctx.show)
    return built(ctx.version, key, lambda: _prompts(ctx))


def _prompts(ctx: ViewContext) -> list[pr.Prompt]:
    sel, spec = ctx.sel, ctx.spec
    compared = compared_regions(sel.region, sel.year)
    codes = [c.code for c in compared]
    by_role = {c.role: c for c in compared}
    vt = by_role[hl.ROLE_VT].code if hl.ROLE_VT in by_role else None
    nl = by_role[hl.ROLE_NL].code if hl.ROLE_NL in by_role else None
    cells = pd.concat([ctx.region_cells(c, [sel.period]) for c in codes], ignore_index=True)
    if cells.empty:
        return []
    before_code = same_period_year_before(sel.period)
    before = ctx.region_cells(sel.region, [before_code])
    column = "share" if spec.has_shares else ("rate" if "rate" in cells.columns and cells["rate"].notna().any() else "value")
    keep = set(spec.share_keys) | {spec.total_key} if column == "share" else {c.key for c in spec.parts} | {spec.total_key}
    cells = cells[cells["category"].isin(keep)] if keep - {None} else cells
    figures = pr.figures_from_cells(
        cells, region=sel.region, nederland=nl, vt_region=vt,
        total_key=spec.total_key, before=before, column=column,
    )
    return pr.discussion_prompts(
        figures, region_name=sel.region_name, period_label=sel.period_label,
        vt_region_name=by_role[hl.ROLE_VT].name if vt else None, before_label=period_label(before_code),
    )


def render_prompts(ctx: ViewContext, *, heading: bool = True) -> None:
    ctx.segment(lambda: _draw_prompts(ctx, heading), "prompts", heading)


def _draw_prompts(ctx: ViewContext, heading: bool) -> None:
    found = view_prompts(ctx)
    if heading:
        st.markdown("**Gespreksvragen**")
    if not found:
        st.markdown("Met deze regels komen er voor deze regio geen vragen uit de cijfers.")
        return
    st.markdown("\n".join(f"- {p.text}" for p in found))
    common.explain(ctx, "Hoe de vragen ontstaan: " + " ".join(dict.fromkeys(p.rule_text for p in found)))
