"""The view choices of a theme page, each kept in the URL (see `vtdata.ui.params`).

    onderwerp  measure key (or, for a table without other dimensions, topic-group slug)
    indeling   dimension key to break down (tables with two other dimensions)
    categorie  the category on the headline, the map, the ranking and the change view
    vergelijk  category keys compared over time (repeated parameter)
    niveau     GM | VT: the level of the map, the ranking and the change view
    toon       per1000 | aandeel | aantal
    van, tot   the two periods of the change view
    extra      gemeenten added to the ranking (repeated parameter)
    weergave   the tab (bound to st.tabs)
"""

from __future__ import annotations


import streamlit as st

from vtdata.ui import params
from vtdata.ui.memo import built
from vtdata.figures.view_figures import category_options, page_category
from vtdata.ui.context import LEVEL_LABELS, LEVEL_PLURAL, SHOW_LABELS, ViewContext, table_for_level

P_MEASURE = "onderwerp"
P_DIMENSION = "indeling"
P_CATEGORY = "categorie"
P_COMPARE = "vergelijk"
P_LEVEL = "niveau"
P_SHOW = "toon"
P_FROM = "van"
P_TO = "tot"
P_EXTRA = "extra"
P_TAB = "weergave"

MAP_LEVELS = ("GM", "VT")


def show_choice(scope: str, options: list[str]) -> str:
    if len(options) == 1:
        params.param(P_SHOW, options, options[0])
        return options[0]
    # No help= (Streamlit 1.67 labels its icon "Help for Toon", in English): the charts' captions
    # say why per 1.000 and shares ("zodat regio's van verschillende grootte vergelijkbaar zijn").
    return params.choice(
        st.segmented_control, "Toon", options, name=P_SHOW, default=options[0], scope=scope, labels=SHOW_LABELS,
    ) or options[0]


def category_default(ctx: ViewContext) -> str:
    """The category the page opens on (`vtdata.figures.view_figures.page_category`, as the CLI)."""
    def national_cells():
        return ctx.region_cells(ctx.nl, [ctx.sel.period])

    return built(ctx.version, ("default-category", ctx.theme.slug, ctx.spec, ctx.nl, ctx.sel.period),
                 lambda: page_category(ctx.theme, ctx.spec, national_cells if ctx.nl else None))


def category_choice(ctx: ViewContext, label: str, where: str) -> str:
    spec = ctx.spec
    options = category_options(spec)
    labels = {c.key: c.label for c in spec.categories}
    return params.choice(st.selectbox, label, options, name=P_CATEGORY, default=category_default(ctx), scope=ctx.scope, labels=labels, where=where)


def category_and_level(ctx: ViewContext, where: str) -> tuple[str, str]:
    """The category and level choices of a view, side by side."""
    c1, c2 = st.columns([3, 2])
    with c1:
        category = category_choice(ctx, "Categorie", where)
    with c2:
        level = level_choice(ctx, where)
    return category, level


def current_category(ctx: ViewContext) -> str:
    """The category in the URL (or the default) without drawing a widget."""
    options = category_options(ctx.spec)
    return params.param(P_CATEGORY, options, category_default(ctx)) if options else None


def current_level(ctx: ViewContext) -> str:
    """The level in the link (or the default) without drawing a widget."""
    levels, default = _levels(ctx)
    chosen = ctx.view.get(P_LEVEL)
    return chosen if chosen in levels else default


def _levels(ctx: ViewContext) -> tuple[list[str], str]:
    """The levels the theme's tables have for the year, and the default one."""
    levels = [lv for lv in MAP_LEVELS if table_for_level(ctx.theme, lv, ctx.sel.year)[0] is not None] or list(MAP_LEVELS)
    return levels, "VT" if ctx.sel.level == "VT" and "VT" in levels else levels[0]


def level_choice(ctx: ViewContext, where: str) -> str:
    levels, default = _levels(ctx)
    if len(levels) == 1:
        params.param(P_LEVEL, levels, default)
        st.caption(f"Niveau: {LEVEL_PLURAL[levels[0]]} (de tabel van dit thema heeft geen ander niveau).")
        return levels[0]
    return params.choice(st.radio, "Niveau", levels, name=P_LEVEL, default=default, scope=ctx.scope, labels=LEVEL_LABELS, horizontal=True, where=where)
