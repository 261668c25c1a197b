"""The figures a theme page opens with: the region, its Veilig Thuis-regio and Nederland."""

from __future__ import annotations

import html
import time

import pandas as pd
import streamlit as st

from vtdata.figures import headline as hl
from vtdata.figures import significance as sg
from vtdata.model.view_spec import Category, MODE_DIMENSION, ViewSpec, share_rule_text
from vtdata.ui import data
from vtdata.figures import view_figures
from vtdata.ui.context import SHOW_RATE, SHOW_SHARE, ViewContext, population_missing_reason
from vtdata.ui.views import common

ROLE_LABELS = {hl.ROLE_REGION: "", hl.ROLE_VT: "Veilig Thuis-regio", hl.ROLE_NL: ""}

_CSS = """
<style>
.vt-head { width: 100%; border-collapse: collapse; margin: 0; table-layout: fixed; }
.vt-head th { text-align: right; font-weight: 600; font-size: 0.95rem; padding: 0.2rem 0.5rem;
  border-bottom: 2px solid #8a1a4b; vertical-align: bottom; line-height: 1.1; }
.vt-head th:first-child, .vt-head td:first-child { text-align: left; width: 30%; }
.vt-head th small { display: block; font-weight: 400; color: #6b5160; font-size: 0.75rem; }
.vt-head td { text-align: right; padding: 0.12rem 0.5rem; border-bottom: 1px solid #eee; vertical-align: top; line-height: 1.1; }
.vt-head td:first-child { font-size: 0.95rem; }
.vt-head .vt-n { font-size: 1.2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.vt-head .vt-sub { display: block; font-size: 0.78rem; color: #333; }
/* the change beside the number: one line less per row */
.vt-head .vt-top { display: flex; justify-content: space-between; align-items: baseline; gap: 0.3rem; }
.vt-head .vt-chg { font-size: 0.76rem; color: #555; }
.vt-head .vt-secret { color: #777; font-style: italic; font-weight: 400; font-size: 1rem; }
.vt-head td.vt-self { background: #f8eef3; }
.vt-head .vt-mark { font-weight: 600; }
.vt-head .vt-chosen { font-weight: 700; color: #2b0a18; }
.vt-head-more summary { cursor: pointer; font-size: 0.9rem; color: #8a1a4b; padding: 0.15rem 0.5rem; }
.vt-head-more summary:focus-visible { outline: 3px solid #8a1a4b; }
</style>
"""


def headline_items(ctx: ViewContext, category: str | None) -> tuple[ViewSpec, list[Category]]:
    return view_figures.headline_items(data.database(), ctx.spec, category)


def headline_frame(ctx: ViewContext, category: str | None) -> pd.DataFrame:
    """The page's headline rows, by the core's `headline` (what `python -m vtdata figures` prints)."""
    return view_figures.headline(data.database(), ctx.theme, ctx.spec, category, ctx.sel.region, ctx.sel.period,
                                 ctx.cells_around, ctx.spec_for)


def _item_title(title: str, group: str | None) -> str:
    if title.strip().lower() == "totaal" and group:
        return f"{group.split(' › ')[-1]}: totaal"
    return title


def verdict_of(row, national, use_share: bool) -> tuple[str, str] | None:
    """(verdict, what was tested): is the region's share, else its rate, significantly higher or lower than
    Nederland's? (`vtdata.figures.significance`, the test of the ranking). None for Nederland itself or an unknown value."""
    if national is None or row.role == hl.ROLE_NL or row.value is None or pd.isna(row.value):
        return None
    if use_share and pd.notna(row.share) and row.share > 0 and pd.notna(national.share):
        return sg.compare_figure(row.value, row.share, national.share, sg.KIND_SHARE).verdict, "aandeel"
    if pd.notna(row.rate) and row.rate > 0 and pd.notna(national.rate):
        return sg.compare_figure(row.value, row.rate, national.rate, sg.KIND_RATE).verdict, "per 1.000"
    return None


def _cell_html(row, show_share: bool, verdict: tuple[str, str] | None = None, chosen: str | None = None) -> str:
    main = html.escape(str(row.value_label))
    cls = "vt-n" if row.value is not None and not pd.isna(row.value) else "vt-n vt-secret"
    change = f'<span class="vt-chg">{html.escape(row.change_label)}</span>' if row.change_label else "<span></span>"
    parts = [f'<span class="vt-top">{change}<span class="{cls}">{main}</span></span>']
    # ▲/▼ at the end of the line of the figure that was tested (no extra line: the table fits a projector)
    mark = _mark(verdict)
    if show_share and isinstance(row.share_label, str) and row.share_label:
        tested = mark if verdict and verdict[1] == "aandeel" else ""
        cls = "vt-sub vt-chosen" if chosen == "aandeel" else "vt-sub"  # the unit chosen under "Toon" stands out
        parts.append(f'<span class="{cls}">{html.escape(row.share_label)} van het totaal{tested}</span>')
    if isinstance(row.rate_label, str) and row.rate_label:
        who = "minderj." if "minderjarigen" in str(row.rate_basis) else "inw."
        tested = mark if verdict and verdict[1] == "per 1.000" else ""
        cls = "vt-sub vt-chosen" if chosen == "per 1.000" else "vt-sub"
        parts.append(f'<span class="{cls}">{html.escape(row.rate_label)} per 1.000 {who}{tested}</span>')
    return "".join(parts)


MARKS = {sg.HIGHER: "▲", sg.LOWER: "▼"}


def _mark(verdict: tuple[str, str] | None) -> str:
    """' ▲' with its meaning for screen readers and as a tooltip, or '' when not significant."""
    if verdict is None or verdict[0] not in MARKS:
        return ""
    text = html.escape(sg.verdict_text(verdict[0]))
    return f' <span class="vt-mark" title="{text}" aria-label="{text}" role="img">{MARKS[verdict[0]]}</span>'



def headline_html(rows: pd.DataFrame, items: list[Category], *, show_share: bool, chosen: str | None = None) -> str:
    """A compact table: one row per item, one column per compared region. `chosen` ("aandeel" or
    "per 1.000") is the unit of "Toon": it stands out, and it is what ▲/▼ test."""
    roles = list(dict.fromkeys(zip(rows["role"], rows["region_name"])))
    head = "".join(
        f"<th>{html.escape(name)}<small>{html.escape(ROLE_LABELS.get(role, ''))}</small></th>" for role, name in roles
    )
    body = []
    for item in items:
        sub = rows[rows["item"] == item.key]
        national = next((r for r in sub.itertuples(index=False) if r.role == hl.ROLE_NL), None)
        cells = "".join(
            f'<td class="{"vt-self" if r.role == hl.ROLE_REGION else ""}">'
            f'{_cell_html(r, show_share, verdict_of(r, national, show_share and chosen != "per 1.000"), chosen)}</td>'
            for r in sub.itertuples(index=False)
        )
        body.append(f"<tr><td>{html.escape(_item_title(item.title, item.group))}</td>{cells}</tr>")
    thead = f"<thead><tr><th></th>{head}</tr></thead>"
    shown, more = body[:OPEN_ROWS], body[OPEN_ROWS:]
    out = f'{_CSS}<table class="vt-head">{thead}<tbody>{"".join(shown)}</tbody></table>'
    if more:  # a long table would push the views below the fold at 1280x720
        out += (f'<details class="vt-head-more"><summary>Nog {len(more)} hoofdcijfers</summary>'
                f'<table class="vt-head">{thead}<tbody>{"".join(more)}</tbody></table></details>')
    return out


OPEN_ROWS = 3  # rows shown open; the rest fold away


def headline_parts(ctx: ViewContext, category: str | None) -> tuple[pd.DataFrame, str, str]:
    """The headline rows, their HTML and the caption saying how derived figures were made."""
    rows = headline_frame(ctx, category)
    if rows.empty:
        return rows, "", ""
    _, items = headline_items(ctx, category)
    show_share = ctx.spec.mode == MODE_DIMENSION and ctx.spec.has_shares
    notes = [f"{ctx.sel.period_label}."]
    before = rows["before_period"].dropna()
    if len(before):
        notes.append(hl.change_rule(str(before.iloc[0]), ctx.sel.period))
    if show_share:
        notes.append(share_rule_text(ctx.spec))
    if (rows["role"] != hl.ROLE_NL).any():
        notes.append("▲ / ▼ achter een aandeel of cijfer per 1.000: significant hoger / lager dan Nederland, het 95%-interval "
                     "van de regio ligt geheel boven / onder Nederland (toeval en afronding op vijftallen meegerekend).")
    bases = list(dict.fromkeys(b for b in rows["rate_basis"].dropna().astype(str) if b))
    if bases:
        notes.append("Per 1.000: " + "; ".join(bases) + " (inw. = inwoners, minderj. = minderjarigen, 0 t/m 17 jaar).")
    elif not ctx.spec.is_percent:
        reason = population_missing_reason()
        if reason:
            notes.append(f"Geen cijfers per 1.000 inwoners: {reason}")
    chosen = {SHOW_SHARE: "aandeel" if show_share else None, SHOW_RATE: "per 1.000"}.get(ctx.show)
    return rows, headline_html(rows, items, show_share=show_share, chosen=chosen), " ".join(n for n in notes if n)


def render_headline(ctx: ViewContext, category: str | None) -> pd.DataFrame:
    """The headline table and how its figures were made (drawn once per version and view)."""
    return ctx.segment(lambda: _draw_headline(ctx, category), "headline", category)


# Long enough for the browser to draw the headline before the views under it arrive: a frame
# (16.7 ms at 60 Hz) and the headline's render. Messages that arrive close together are drawn
# in one go, so a changed headline would wait for the charts under it (measured: region and
# period changes showed their headline 40-90 ms sooner with 30-40 ms; 15 ms was too short).
HEADLINE_PAUSE_S = 0.035
_SHOWN = "_vt_headline_shown"  # session: the headline the browser shows (version, view, category)


def let_headline_show(ctx: ViewContext, category: str | None) -> None:
    """After a headline that changed, pause briefly so the browser draws it before the rest.

    The views under it are often ready at once (replayed, or cheap to make from a cached
    history and chart template) and would reach the browser in the same burst. A tab click or
    any other rerun of the same view does not change the headline and is not held up.
    """
    shown = (ctx.version, ctx.view_key, category)
    before = st.session_state.get(_SHOWN)
    st.session_state[_SHOWN] = shown
    if before is not None and before != shown:
        time.sleep(HEADLINE_PAUSE_S)


def _draw_headline(ctx: ViewContext, category: str | None) -> pd.DataFrame:
    rows, table, caption = headline_parts(ctx, category)
    if table:
        st.html(table)
        if ctx.presenting:
            common.explain(ctx, caption)
        else:  # folded: the long note would push the views below the fold
            with st.expander(HOW_MADE):
                common.explain(ctx, caption)
    return rows


HOW_MADE = "Hoe zijn deze cijfers berekend?"
