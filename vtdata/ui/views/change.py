"""Tab "Verandering": the change of one category between two periods, as a map and a named ranking.

Answers "welke gemeenten zagen de overdrachten aan de ggz fors stijgen sinds
2021": open the tab, pick the category (two clicks from the theme page).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from vtdata.figures import change as ch
from vtdata.figures import ranking as rk
from vtdata.figures import significance as sg
from vtdata.model.periods import period_label, period_year
from vtdata.ui import charts, data, params
from vtdata.ui.memo import built
from vtdata.ui.tables import folded
from vtdata.model.view_spec import same_category
from vtdata.ui.context import LEVEL_PLURAL, ViewContext, half_years, level_codes, table_for_level
from vtdata.ui.views import common
from vtdata.ui.views.choices import P_FROM, P_TO, category_and_level


def _default_periods(ctx: ViewContext) -> tuple[list[str], str | None, str | None]:
    """The half-years, and the periods the tab compares unless the link names others."""
    codes = half_years()["code"].astype(str).tolist()
    return codes, *ch.default_periods(codes, ch.latest_half_year(ctx.sel.period, codes))


def _period_choices(ctx: ViewContext) -> tuple[str | None, str | None]:
    hj = half_years()
    codes, default_before, default_after = _default_periods(ctx)
    if default_after is None:
        return None, None
    if ctx.presenting:  # on a projector: the periods of the link, no extra row of choices
        return params.param(P_FROM, codes, default_before or codes[0]), params.param(P_TO, codes, default_after)
    labels = {c: period_label(c, s if isinstance(s, str) else None) for c, s in zip(hj["code"], hj["status"])}
    c1, c2 = st.columns(2)
    with c1:
        before = params.choice(st.selectbox, "Van", codes, name=P_FROM, default=default_before or codes[0], scope=ctx.scope, labels=labels)
    with c2:
        after = params.choice(st.selectbox, "Tot en met", codes, name=P_TO, default=default_after, scope=ctx.scope, labels=labels)
    return before, after


def _membership(codes: list[str], year: int) -> dict[str, str]:
    return {c: data.vt_region_of(c, year) for c in codes if c.startswith("GM")}


def change_frame(ctx: ViewContext, level: str, category: str, before: str, after: str, field: str):
    """The change of the category for the regions of the later period (built once per version and view)."""
    key = ("change-rows", ctx.theme.slug, ctx.spec, level, category, before, after, field)
    return built(ctx.version, key, lambda: _change_frame(ctx, level, category, before, after, field))


def _change_frame(ctx: ViewContext, level: str, category: str, before: str, after: str, field: str):
    table, codes_after = table_for_level(ctx.theme, level, period_year(after))
    if table is None:
        return pd.DataFrame(), None
    spec = ctx.spec_for(table)
    key = same_category(spec, category, ctx.spec.title_of(category))
    if key is None:
        return pd.DataFrame(), spec
    codes_before = level_codes(level, period_year(before))
    cells = ctx.cells(spec, sorted(set(codes_after) | set(codes_before)), [before, after])
    cells = cells[cells["category"] == key]
    b = cells[cells["period"] == before]
    a = cells[(cells["period"] == after) & cells["region"].isin(codes_after)]
    names = dict(zip(data.regions(["VT"])["code"], data.regions(["VT"])["name"]))
    rows = ch.change_rows(
        b, a, field,
        vt_before=_membership(codes_after, period_year(before)) if level == "GM" else None,
        vt_after=_membership(codes_after, period_year(after)) if level == "GM" else None,
        vt_names=names,
    )
    return rows, spec


def render_change(ctx: ViewContext):
    """The change view; returns the changes shown as cells (for the notes of this view)."""
    category, level = category_and_level(ctx, "-chg")
    before, after = _period_choices(ctx)
    if before is None or after is None or before >= after:
        st.info("Kies een eerdere periode bij 'Van' dan bij 'Tot en met'.")
        return
    found = _change_view_of(ctx, level, category, before, after)
    if found is None:
        st.info(f"Geen cijfers voor de {LEVEL_PLURAL.get(level, level)} in deze tabel.")
        return
    ctx.segment(lambda: _heading(ctx, found), "change-heading", found.view_key)
    left, right = st.columns(2, gap="large")
    with left:
        common.draw_map(
            ctx, level, found.map_values, **_map_args(found), key=f"chgmap-{ctx.scope}-{level}",
            alt_text=f"Kaart van de {found.plural}: verandering van {found.title} ({found.what}) van {period_label(before)} tot {period_label(after)}.",
        )
    with right:
        common.section(ctx, f"chgrank-{ctx.scope}", lambda: _change_ranking(ctx, found), found.view_key)
    ctx.segment(lambda: _change_notes(ctx, found), "change-notes", found.view_key)
    _flagged(ctx, found)  # an expander tracks its state: outside the replayed segment
    return ctx.built(found.shown, "change-shown", found.view_key)


def prefetch(ctx: ViewContext, level: str, category: str) -> None:
    """Build, without drawing, the Verandering tab as it opens (the default periods): its rows,
    its map and its ranking chart."""
    _, before, after = _default_periods(ctx)
    if before is None or after is None or before >= after:
        return
    found = _change_view_of(ctx, level, category, before, after)
    if found is None:
        return
    common.map_chart(ctx, level, found.map_values, **_map_args(found))
    _change_ranking_of(ctx, found)


def _change_view_of(ctx: ViewContext, level: str, category: str, before: str, after: str) -> _ChangeView | None:
    """The change view, built once per version and view: the tab and the prefetch read it here."""
    return ctx.built(lambda: _change_view(ctx, level, category, before, after), "change-view", level, category, before, after)


def _change_ranking_of(ctx: ViewContext, found: _ChangeView) -> _ChangeRanking | None:
    """The ranking of the changes, built once per version and view: the tab and the prefetch read it here."""
    return ctx.built(lambda: _change_ranking_view(ctx, found), "change-ranking", found.view_key)


def _map_args(found: _ChangeView) -> dict:
    """What the change map is drawn with (the tab and the prefetch build the same map)."""
    return dict(year=period_year(found.after), value_label=f"Verandering {found.title} ({found.what}, %)", unit="%",
                decimals=0, diverging=True, view_key=found.view_key, projector_height=common.PROJECTOR_HALF_MAP_HEIGHT)


@dataclass(frozen=True)
class _ChangeView:
    rows: pd.DataFrame  # ch.change_rows with a change_label
    view_key: tuple
    title: str
    what: str
    plural: str
    measure: str
    field: str
    decimals: int
    scale: int
    before: str
    after: str

    def map_values(self) -> pd.DataFrame:
        rows = self.rows
        return pd.DataFrame({
            # the same measure as the ranking beside it: the change in percent
            "code": rows["region"], "value": rows["change_pct"],
            "suppressed": rows["status"] == ch.STATUS_SECRET, "absent": rows["status"] == ch.STATUS_ABSENT,
        })

    def shown(self) -> pd.DataFrame:
        """The changes as cells, for the notes of this view."""
        rows = self.rows
        return pd.DataFrame({
            "region_title": rows["region_title"], "period_label": f"{period_label(self.before)} → {period_label(self.after)}",
            "category_title": self.title, "value_label": rows["change_label"].where(rows["change_label"] != "", rows["status"]),
        })


def _change_view(ctx: ViewContext, level: str, category: str, before: str, after: str) -> _ChangeView | None:
    measure = ctx.measure_for(category)
    field, _ = common.value_columns(measure)
    rows, lspec = change_frame(ctx, level, category, before, after, field)
    if lspec is None or rows.empty:
        return None
    rows = rows.copy()  # shared between sessions: labels are added to a copy
    title = ctx.spec.title_of(category)
    decimals = 1 if measure != charts.MEASURE_COUNT else lspec.decimals
    scale = 100 if field == "share" else 1
    rows["change_label"] = [ch.change_label(c * scale if c is not None and pd.notna(c) else None, p, decimals) for c, p in zip(rows["change"], rows["change_pct"])]
    return _ChangeView(
        rows=rows, view_key=("change", ctx.spec, level, category, before, after, measure), title=title,
        what=common.words(measure, ctx.spec.basis_of(category)), plural=LEVEL_PLURAL.get(level, level), measure=measure, field=field,
        decimals=decimals, scale=scale, before=before, after=after,
    )


def _heading(ctx: ViewContext, found: _ChangeView) -> None:
    heading = f"{found.title}: verandering {found.what}, {period_label(found.before)} → {period_label(found.after)}"
    if ctx.presenting:  # the step's title is already there: one line, no heading block
        st.markdown(f"**{heading}**")
    else:
        st.subheader(heading)


def _change_notes(ctx: ViewContext, found: _ChangeView) -> None:
    notes = [ch.change_rule(found.before, found.after, found.what)]
    if found.measure == charts.MEASURE_RATE:
        notes.append("Per 1.000 inwoners op 1 januari van het jaar van elke periode.")
    common.explain(ctx, " ".join(notes))


def _flagged(ctx: ViewContext, found: _ChangeView) -> None:
    """The regions without a comparable change, listed once their expander is opened."""
    # built once per view: the rows are filtered only when the view changes, not on every rerun
    flagged = ctx.built(lambda: found.rows[found.rows["reason"] != ""], "change-flagged", found.view_key)
    if flagged.empty:
        return
    box = folded(f"{len(flagged)} {found.plural} zonder vergelijkbare verandering of met een andere Veilig Thuis-regio",
                 key=f"chgflag-{ctx.scope}")
    if box is not None:
        with box:
            st.dataframe(
                pd.DataFrame({"Regio": flagged["region_title"], "Reden": flagged["reason"]}),
                hide_index=True, width="stretch",
            )


@dataclass(frozen=True)
class _ChangeRanking:
    """The ranking of the changes, shaped and its chart built (nothing drawn)."""

    rows: pd.DataFrame
    description: str
    spec: dict


def _change_ranking(ctx: ViewContext, found: _ChangeView) -> common.Section | None:
    ranking = _change_ranking_of(ctx, found)
    if ranking is None:
        st.info("Geen regio met een vergelijkbare verandering.")
        return None
    chart, chart_title = common.draw_chart(ctx, ranking.spec, ranking.description, key=f"chgrank-{ctx.scope}")
    common.explain(ctx, rk.ranking_note(ranking.rows, found.plural).replace("van hoog naar laag", "van sterkste stijging naar sterkste daling"))
    common.explain(ctx, "▲▲ / ▼▼: fors gestegen / gedaald; ▲ / ▼: gestegen / gedaald. " + sg.CHANGE_METHOD_TEXT)
    return common.Section(chart=chart, title=chart_title)


def _change_ranking_view(ctx: ViewContext, found: _ChangeView) -> _ChangeRanking | None:
    before, after, title, plural = found.before, found.after, found.title, found.plural
    ranked = found.rows[found.rows["change_pct"].notna()].copy()
    if ranked.empty:
        return None
    ranked["value"] = ranked["change_pct"]
    ranked["change"] = ranked["change_pct"]
    ranked["suppressed"] = False
    ranked["provisional"] = False
    ranked["period"] = after
    ranked["period_label"] = period_label(after)
    ranked["category"] = ""
    ranked["category_title"] = title
    ranked["value_label"] = ranked["change_label"]
    shown = rk.ranking_rows(ranked, "change", selected=ctx.sel.region, show_all_up_to=rk.SHOW_ALL_UP_TO, top=5 if ctx.presenting else 10)
    # both ends beside the percentage ("+100% (20 → 40)"), and ▲/▼ where the change is more than chance
    shown["change_label"] = [f"{_pct(v)} ({_end(b, found)} → {_end(a, found)})"
                             for v, b, a in zip(shown["change"], shown["before"], shown["after"])]
    shown["rank_label"] = [f"{CHANGE_MARKS[v]} {label}" if v in CHANGE_MARKS else label
                           for label, v in zip(shown["rank_label"], shown["verdict"])]
    desc = f"Staafdiagram: {plural} gerangschikt naar procentuele verandering van {title}, {period_label(before)} → {period_label(after)}."
    spec = common.chart_spec(charts.ranking_chart(shown, measure=charts.MEASURE_CHANGE, description=desc, selected=ctx.sel.region,
                                                  unit_title="Verandering (%)"))
    return _ChangeRanking(rows=shown, description=desc, spec=spec)


CHANGE_MARKS = {sg.ROSE_LARGE: "▲▲", sg.ROSE: "▲", sg.FELL: "▼", sg.FELL_LARGE: "▼▼"}


def _end(value, found: _ChangeView) -> str:
    """One end of a change in the unit shown: a count, a rate or a share in percent."""
    from vtdata.format import format_number, format_percent
    from vtdata.figures.rates import rate_decimals

    if value is None or pd.isna(value):
        return "?"
    if found.field == "share":
        return format_percent(value * 100, 1)
    if found.field == "rate":
        return format_number(value, rate_decimals(value))
    return format_number(value, found.decimals)


def _pct(value: float) -> str:
    from vtdata.format import format_percent

    text = format_percent(abs(value), 0)
    if text == format_percent(0, 0):  # no sign on a change that rounds to 0 %
        return text
    return ("+" if value > 0 else "−") + text
