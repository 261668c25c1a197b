"""The one generic theme renderer: `render_theme(slug)`.

Driven by the catalog (`vtdata.model.catalog.THEMES`) and each table's own metadata;
no measure or category key is named here. Region and period come from the
global selection (`vtdata.ui.state`); the view's own choices live in the URL
(see `vtdata.ui.views.choices`) so a copied link reproduces the view.

A page opens with its figures (headline: the region, its Veilig Thuis-regio
and Nederland), then the views, one tab each. This module only composes them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from vtdata.model.view_spec import ViewSpec, group_label, measure_groups

from vtdata.format import slugify
from vtdata.model.catalog import THEMES_BY_SLUG, Theme
from vtdata.ui import data, params, presentation, url, warmup
from vtdata.ui.context import SHOW_COUNT, SHOW_RATE, SHOW_SHARE  # noqa: F401  (re-exported)
from vtdata.ui.context import ViewContext, show_options, table_for, view_spec
from vtdata.ui.layout import source_label
from vtdata.ui.memo import built
from vtdata.ui.state import current_selection, select_region
from vtdata.ui.views import common
from vtdata.ui.views.change import render_change
from vtdata.ui.views.choices import (  # noqa: F401  (re-exported: the URL contract)
    P_CATEGORY, P_COMPARE, P_DIMENSION, P_EXTRA, P_FROM, P_LEVEL, P_MEASURE, P_SHOW, P_TAB, P_TO,
    current_category, current_level, show_choice,
)
from vtdata.ui.views.compare import render_compare
from vtdata.ui.views.headline import let_headline_show, render_headline
from vtdata.ui.views.notable import render_notable
from vtdata.ui.views.overview import overview_map, render_overview, trend
from vtdata.ui.views.prompts import render_prompts
from vtdata.ui.views.ranking import render_ranking

log = logging.getLogger(__name__)

TAB_OVERVIEW = "Overzicht per categorie"
TAB_MAP = "Kaart"
TAB_RANKING = "Ranglijst"
TAB_CHANGE = "Verandering"
TAB_COMPARE = "Categorieën vergelijken"
TABS = (TAB_OVERVIEW, TAB_MAP, TAB_RANKING, TAB_CHANGE, TAB_COMPARE)

_DRAWN_TABS = "_vt_drawn_tabs"  # (view key, labels of the tabs drawn for that view)

ERROR_MESSAGE = (
    "Er ging iets mis bij het tonen van dit thema. Kies een andere regio of periode, "
    "of herlaad de pagina. Blijft het misgaan, meld het dan aan de beheerder."
)


def render_theme(slug: str) -> None:
    """Render the page of one theme of the catalog."""
    theme = THEMES_BY_SLUG.get(slug)
    if theme is None:
        st.error("Dit thema bestaat niet.")
        return
    params.reset_notes()
    try:
        _render(theme)
    except Exception:  # st.stop()/rerun are BaseExceptions and pass through
        log.exception("theme page %s failed", slug)
        st.error(ERROR_MESSAGE, icon=":material/error:")


def _render(theme: Theme) -> None:
    data.get_db()
    sel = current_selection()
    presenting = presentation.is_on()
    if not presenting:  # on a projector the title sits beside the step buttons
        st.title(theme.title)
        st.caption(theme.intro)
    table_id = table_for(theme, sel.region)
    if table_id is None:
        st.info(
            f"Voor {sel.region_name} zijn er geen cijfers over dit thema. "
            "Kies een andere regio (bijvoorbeeld Nederland of een Veilig Thuis-regio)."
        )
        _offer_own_vt_region(theme, sel)
        return
    spec, toon_area = _choose_view(theme, table_id, quiet=presenting)
    if not spec.categories:
        st.info(spec.empty_reason or "Deze tabel heeft geen categorieën voor dit thema.")
        return
    ctx = ViewContext(theme, sel, spec, presenting=presenting, view=url.current_view(theme.slug))
    options = show_options(spec, theme)
    if presenting:
        ctx.show = params.param(P_SHOW, options, options[0])
    else:
        with toon_area:
            ctx.show = show_choice(theme.slug, options)
    category = current_category(ctx)
    if presenting:
        _present(ctx, category)
        return
    render_headline(ctx, category)
    let_headline_show(ctx, category)
    tabs = st.tabs(list(TABS), key=P_TAB, bind="query-params")
    views = (render_overview, overview_map, _ranking_and_notable, render_change, render_compare)
    for label, tab, view, run in zip(TABS, tabs, views, _tabs_to_draw(ctx, tabs)):
        if run:
            with tab:
                shown = view(ctx)
                common.notes(ctx, label, shown)
    warmup.prefetch(ctx, current_level(ctx), category)  # for a click on Kaart or Ranglijst
    for note in dict.fromkeys(params.notes()):
        st.caption(f":material/info: {note}")
    st.caption(
        f"{source_label(table_id)}. Aantallen zijn door CBS afgerond op vijftallen; "
        "'geheim' = niet gepubliceerd (te klein of onbekend); 'bestond niet' = de regio bestond in die periode niet; * = voorlopig cijfer."
    )


def _tabs_to_draw(ctx: ViewContext, tabs) -> list[bool]:
    """Which tabs run: the open one, and those drawn before for this same view in this session.

    Bound tabs track which one is open (None = unknown: run all). A tab drawn again (its
    segments replayed: milliseconds) stays in the browser, hidden, so going back to it shows
    at once: a tab left out of a run is removed from the page, and drawing its charts and map
    anew cost the browser far more than the replay costs the server. Another view (region,
    period, any choice in the link) starts again from the open tab, so a change never builds
    tabs nobody is looking at.
    """
    seen = st.session_state.get(_DRAWN_TABS)
    drawn = set(seen[1]) if seen and seen[0] == ctx.view_key else set()
    opened = {label for label, tab in zip(TABS, tabs) if tab.open}
    st.session_state[_DRAWN_TABS] = (ctx.view_key, frozenset(drawn | opened))
    return [tab.open is not False or label in drawn for label, tab in zip(TABS, tabs)]


def _present(ctx: ViewContext, category: str | None) -> None:
    """One view per screen, stepped; explanations folded into "Uitleg"."""
    steps = [
        ("Hoofdcijfers", lambda: render_headline(ctx, category)),
        ("Kaart", lambda: overview_map(ctx)),
        ("Ranglijst", lambda: render_ranking(ctx)),
        ("Ontwikkeling", lambda: trend(ctx)),
        ("Verandering", lambda: render_change(ctx)),
        ("Gespreksvragen", lambda: render_prompts(ctx, heading=False)),
    ]
    title = f"{ctx.theme.title}: {ctx.sel.region_name}, {ctx.sel.period_label}"
    current = presentation.step(len(steps), [label for label, _ in steps], ctx.scope, title)
    label, view = steps[current]
    shown = view()
    warmup.prefetch(ctx, current_level(ctx), category)  # for the Kaart and Ranglijst steps
    common.notes(ctx, label, shown if isinstance(shown, pd.DataFrame) else None)
    with st.expander("Uitleg"):
        for text in dict.fromkeys(ctx.explanations + params.notes()):
            st.caption(text)
        st.caption(source_label(ctx.spec.table_id) + ". Aantallen zijn door CBS afgerond op vijftallen.")


def _ranking_and_notable(ctx: ViewContext):
    level, category, rows = render_ranking(ctx)
    render_notable(ctx, level, category)
    render_prompts(ctx)
    return rows


@dataclass(frozen=True)
class _Choices:
    """The options of a table's choices, in StatLine order, with their labels (once per version)."""

    measures: list[str]  # measure keys, or topic-group slugs for a table without other dimensions
    measure_labels: dict[str, str]
    dimensions: list[str]
    dimension_labels: dict[str, str]
    grouped: bool  # no other dimensions: the measures are chosen by topic group


def _choices(table_id: str) -> _Choices:
    return built(data.get_db().version, ("choices", table_id), lambda: _table_choices(table_id))


def _table_choices(table_id: str) -> _Choices:
    measures = data.measures(table_id)
    dims = data.dimensions(table_id)
    if dims.empty:
        groups = measure_groups(measures)
        slugs = [slugify(g) for g in groups]
        return _Choices(slugs, {slugify(g): group_label(g) for g in groups}, [], {}, grouped=True)
    mkeys = measures.sort_values("position")["key"].astype(str).tolist()
    dkeys = dims.sort_values("position")["key"].astype(str).tolist()
    return _Choices(
        mkeys, dict(zip(measures["key"].astype(str), measures["title"].astype(str))),
        dkeys, dict(zip(dims["key"].astype(str), dims["title"].astype(str))), grouped=False,
    )


def _choose_view(theme: Theme, table_id: str, *, quiet: bool = False):
    """The choices above the figures, in one row: onderwerp (measure or topic group),
    indeling (dimension), and a place for "toon". Returns (spec, toon container).

    `quiet` (presentation mode): the choices in the link, without widgets.
    """
    version = data.get_db().version
    if quiet:
        return _view_from_link(theme, table_id, version), None
    choices = _choices(table_id)
    mkeys, dkeys = choices.measures, choices.dimensions
    if choices.grouped:
        group = mkeys[0] if mkeys else None
        cols = st.columns([1, 1.4] if len(mkeys) > 1 else [1], vertical_alignment="bottom")
        if len(mkeys) > 1:
            with cols[0]:
                group = params.choice(st.selectbox, "Onderwerp", mkeys, name=P_MEASURE, default=mkeys[0], scope=theme.slug, labels=choices.measure_labels)
        return view_spec(version, theme.slug, table_id, None, None, group), cols[-1]
    widths = ([1] if len(mkeys) > 1 else []) + ([1.3] if len(dkeys) > 1 else []) + [1.4]
    cols = list(st.columns(widths, vertical_alignment="bottom"))
    measure, dimension = mkeys[0], dkeys[0]
    if len(mkeys) > 1:
        with cols.pop(0):
            measure = params.choice(st.selectbox, "Onderwerp", mkeys, name=P_MEASURE, default=mkeys[0], scope=theme.slug, labels=choices.measure_labels)
    if len(dkeys) > 1:
        with cols.pop(0):
            dimension = params.choice(
                st.radio, "Uitsplitsen naar", dkeys, name=P_DIMENSION, default=dkeys[0], scope=theme.slug, labels=choices.dimension_labels,
                horizontal=True,
            )  # no help= (English "Help for ..."): the caption under the choices names the fixed total
    spec = view_spec(version, theme.slug, table_id, measure, dimension, None)
    if spec.fixed:
        st.caption(built(version, ("fixed", spec), lambda: _fixed_text(spec, choices.dimension_labels)))
    return spec, cols[-1]


def _fixed_text(spec: ViewSpec, dimension_labels: dict[str, str]) -> str:
    fixed = []
    for dim, key in spec.fixed:
        title = data.categories(spec.table_id, dim).set_index("key")["title"].get(key, key)
        fixed.append(f"{dimension_labels.get(dim, dim)}: {title}")
    return "Vast op het totaal: " + "; ".join(fixed) + "."


def _view_from_link(theme: Theme, table_id: str, version: str) -> ViewSpec:
    choices = _choices(table_id)
    mkeys, dkeys = choices.measures, choices.dimensions
    if choices.grouped:
        return view_spec(version, theme.slug, table_id, None, None, params.param(P_MEASURE, mkeys, mkeys[0]) if mkeys else None)
    return view_spec(version, theme.slug, table_id, params.param(P_MEASURE, mkeys, mkeys[0]), params.param(P_DIMENSION, dkeys, dkeys[0]), None)


def _offer_own_vt_region(theme: Theme, sel) -> None:
    """A gemeente on a theme published per Veilig Thuis-regio only: one click to its own region."""
    if sel.level != "GM":
        return
    vt = data.vt_region_of(sel.region, sel.year)
    if vt and table_for(theme, vt):
        name = data.regions(["VT"]).set_index("code")["name"].get(vt, vt)
        if st.button(f"Toon {name} (Veilig Thuis-regio van {sel.region_name})", key=f"own-vt-{theme.slug}"):
            select_region(vt)
