"""The one generic theme renderer: `render_theme(slug)`.

Driven by the catalog (`vtdata.catalog.THEMES`) and each table's own metadata;
no measure or category key is named here. Region and period come from the
global selection (`vtdata.ui.state`); the view's own choices live in the URL
(`st.query_params`) so a copied link reproduces the view:

    onderwerp  measure key (or, for a table without other dimensions, topic-group slug)
    indeling   dimension key to break down (tables with two other dimensions)
    categorie  the category key shown on the map and in the ranking
    vergelijk  category keys compared over time (repeated parameter)
    niveau     GM | VT: the level of the map and the ranking
    toon       aandeel | aantal
    weergave   the tab (bound to st.tabs)

Invalid values fall back to the defaults with a short Dutch note.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from vtdata import themes_data as td
from vtdata.catalog import REGION_LEVELS, THEMES_BY_SLUG, Theme
from vtdata.periods import period_label, period_year
from vtdata.ui import charts, data
from vtdata.format import format_number, format_percent
from vtdata.ui.tables import chart_table
from vtdata.ui.layout import source_label

log = logging.getLogger(__name__)

TAB_OVERVIEW = "Overzicht per categorie"
TAB_COMPARE = "Categorieën vergelijken"

P_MEASURE = "onderwerp"
P_DIMENSION = "indeling"
P_CATEGORY = "categorie"
P_COMPARE = "vergelijk"
P_LEVEL = "niveau"
P_SHOW = "toon"
P_TAB = "weergave"

SHOW_SHARE = "aandeel"
SHOW_COUNT = "aantal"

MAP_LEVELS = ("GM", "VT")
LEVEL_PLURAL = {"GM": "gemeenten", "VT": "Veilig Thuis-regio's", "PV": "provincies"}

ERROR_MESSAGE = (
    "Er ging iets mis bij het tonen van dit thema. Kies een andere regio of periode, "
    "of herlaad de pagina. Blijft het misgaan, meld het dan aan de beheerder."
)


# ---------------------------------------------------------------------------
# Global selection and map layer (other modules; tolerate their absence)


@dataclass(frozen=True)
class _Selection:
    region: str
    region_name: str
    level: str | None
    period: str
    period_label: str
    period_status: str | None
    year: int


def _selection():
    try:
        from vtdata.ui.state import current_selection
    except ImportError:
        return _fallback_selection()
    return current_selection()


def _fallback_selection() -> _Selection:
    """Used only until vtdata.ui.state exists: region/period from the URL or defaults."""
    regions = data.regions()
    periods = data.periods()
    region = st.query_params.get("region", "NL01")
    if region not in set(regions["code"]):
        region = str(regions["code"].iloc[0])
    period = st.query_params.get("period")
    if period not in set(periods["code"]):
        period = str(periods["code"].iloc[-1])
    rrow = regions[regions["code"] == region].iloc[0]
    prow = periods[periods["code"] == period].iloc[0]
    status = None if pd.isna(prow["status"]) else str(prow["status"])
    return _Selection(region, str(rrow["name"]), str(rrow["level"]), period, period_label(period, status), status, period_year(period))


def _select_region(code: str) -> None:
    try:
        from vtdata.ui.state import select_region
    except ImportError:
        st.query_params["region"] = code
        return
    select_region(code)


def _maps():
    try:
        from vtdata.ui import maps
    except ImportError:
        return None
    if not hasattr(maps, "build_choropleth") or not hasattr(maps, "show_choropleth"):
        return None
    return maps


# ---------------------------------------------------------------------------
# URL-backed choices


def _notes() -> list[str]:
    return st.session_state.setdefault("_vt_theme_notes", [])


def _param(name: str, options: list[str], default: str) -> str:
    """The value of query param `name` if valid, else `default` (and the param is dropped)."""
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw in options:
        return raw
    _notes().append(f"De keuze '{name}' in de link bestaat hier niet; de standaardkeuze wordt getoond.")
    try:
        del st.query_params[name]
    except KeyError:
        pass
    return default


def _set_param(name: str, value, default) -> None:
    if value is None or value == default or value == []:
        if name in st.query_params:
            del st.query_params[name]
    elif isinstance(value, (list, tuple)):
        st.query_params[name] = list(value)
    else:
        st.query_params[name] = value


def _choice(widget, label: str, options: list[str], *, param: str, default: str, slug: str, labels: dict[str, str], where: str = "", **kw) -> str:
    """A selectbox / radio whose value is kept in query param `param`."""
    if not options:
        return default
    if default not in options:
        default = options[0]
    value = _param(param, options, default)
    wkey = f"vt-{slug}-{param}{where}"
    if wkey in st.session_state and st.session_state[wkey] not in options:
        del st.session_state[wkey]

    def sync():
        _set_param(param, st.session_state[wkey], default)

    if wkey not in st.session_state:
        st.session_state[wkey] = value
    return widget(label, options, format_func=lambda k: labels.get(k, k), key=wkey, on_change=sync, **kw)


# ---------------------------------------------------------------------------
# Building the view


@st.cache_data(show_spinner=False, max_entries=512)
def _spec(version: str, slug: str, table_id: str, measure: str | None, dimension: str | None, group: str | None) -> td.ViewSpec:
    theme = THEMES_BY_SLUG[slug]
    measures = data.measures(table_id)
    dims = data.dimensions(table_id)
    if dims.empty:
        groups = td.measure_groups(measures)
        by_slug = {td.slugify(g): g for g in groups}
        return td.measures_view(table_id, measures, group=by_slug.get(group or ""))
    return td.dimension_view(
        theme, table_id, measures, dims, lambda d: data.categories(table_id, d), measure=measure, dimension=dimension
    )


@st.cache_data(show_spinner=False, max_entries=512)
def _cells(version: str, spec: td.ViewSpec, regions: tuple[str, ...] | None, periods: tuple[str, ...]) -> pd.DataFrame:
    args = spec.query_args()
    obs = data.observations(spec.table_id, regions=regions, periods=periods, measures=args["measures"], categories=args["categories"])
    return td.add_shares(td.to_cells(obs, spec), spec)


def _choose_view(theme: Theme, table_id: str) -> td.ViewSpec:
    """The selectors above the tabs: onderwerp (measure or topic group), indeling (dimension)."""
    version = data.get_db().version
    measures = data.measures(table_id)
    dims = data.dimensions(table_id)
    cols = st.columns(2)
    if dims.empty:
        groups = td.measure_groups(measures)
        slugs = [td.slugify(g) for g in groups]
        labels = {td.slugify(g): td.group_label(g) for g in groups}
        group = slugs[0] if slugs else None
        if len(slugs) > 1:
            with cols[0]:
                group = _choice(st.selectbox, "Onderwerp", slugs, param=P_MEASURE, default=slugs[0], slug=theme.slug, labels=labels)
        return _spec(version, theme.slug, table_id, None, None, group)
    mkeys = measures.sort_values("position")["key"].astype(str).tolist()
    mlabels = dict(zip(measures["key"].astype(str), measures["title"].astype(str)))
    measure = mkeys[0]
    if len(mkeys) > 1:
        with cols[0]:
            measure = _choice(st.selectbox, "Onderwerp", mkeys, param=P_MEASURE, default=mkeys[0], slug=theme.slug, labels=mlabels)
    dkeys = dims.sort_values("position")["key"].astype(str).tolist()
    dlabels = dict(zip(dims["key"].astype(str), dims["title"].astype(str)))
    dimension = dkeys[0]
    if len(dkeys) > 1:
        with cols[1 if len(mkeys) > 1 else 0]:
            dimension = _choice(
                st.radio, "Uitsplitsen naar", dkeys, param=P_DIMENSION, default=dkeys[0], slug=theme.slug, labels=dlabels,
                horizontal=True, help="De andere indeling staat daarbij op haar totaal.",
            )
    spec = _spec(version, theme.slug, table_id, measure, dimension, None)
    if spec.fixed:
        fixed = []
        for dim, key in spec.fixed:
            title = data.categories(table_id, dim).set_index("key")["title"].get(key, key)
            fixed.append(f"{dlabels.get(dim, dim)}: {title}")
        st.caption("Vast op het totaal: " + "; ".join(fixed) + ".")
    return spec


def _spec_like(theme: Theme, spec: td.ViewSpec, table_id: str) -> td.ViewSpec:
    """The same choices applied to another table of the theme (e.g. the VT-regio variant)."""
    if table_id == spec.table_id:
        return spec
    version = data.get_db().version
    group = td.slugify(spec.group) if spec.group is not None else None
    return _spec(version, theme.slug, table_id, spec.measure, spec.dimension, group)


def _match_category(spec: td.ViewSpec, key: str, title: str) -> str | None:
    if key in spec.category_keys:
        return key
    for c in spec.categories:
        if c.title == title:
            return c.key
    return None


def _table_for(theme: Theme, region: str) -> str | None:
    return td.pick_table(theme, data.tables_holding(region))


def _table_for_level(theme: Theme, level: str, year: int) -> tuple[str | None, list[str]]:
    """The theme's table for all regions of a level, and those region codes (that year's shapes)."""
    codes = _level_codes(level, year)
    for code in codes[:5]:
        table = _table_for(theme, code)
        if table:
            return table, codes
    return None, codes


def _level_codes(level: str, year: int) -> list[str]:
    shapes = data.shapes(level, year)
    if shapes is not None and not shapes.empty:
        return shapes["code"].astype(str).tolist()
    regions = data.regions([level])
    return regions["code"].astype(str).tolist()


def _national_code() -> str | None:
    nl = data.regions(["NL"])
    return None if nl.empty else str(nl["code"].iloc[0])


# ---------------------------------------------------------------------------
# Entry point


def render_theme(slug: str) -> None:
    """Render the page of one theme of the catalog."""
    theme = THEMES_BY_SLUG.get(slug)
    if theme is None:
        st.error("Dit thema bestaat niet.")
        return
    st.session_state["_vt_theme_notes"] = []
    try:
        _render(theme)
    except Exception:  # st.stop()/rerun are BaseExceptions and pass through
        log.exception("theme page %s failed", slug)
        st.error(ERROR_MESSAGE, icon=":material/error:")


def _render(theme: Theme) -> None:
    data.get_db()
    sel = _selection()
    st.title(theme.title)
    st.markdown(theme.intro)
    table_id = _table_for(theme, sel.region)
    if table_id is None:
        st.info(
            f"Voor {sel.region_name} zijn er geen cijfers over dit thema. "
            "Kies een andere regio (bijvoorbeeld Nederland of een Veilig Thuis-regio)."
        )
        _offer_own_vt_region(theme, sel)
        return
    spec = _choose_view(theme, table_id)
    if not spec.categories:
        st.info("Deze tabel heeft geen categorieën voor dit thema.")
        return
    show_opts = [SHOW_SHARE, SHOW_COUNT] if spec.has_shares else [SHOW_COUNT]
    ctx = _Context(theme, sel, spec)
    ctx.show = _show_toggle(theme, show_opts)
    tabs = st.tabs([TAB_OVERVIEW, TAB_COMPARE], key=P_TAB, bind="query-params")
    # bound tabs track which one is open: run only that one (None = unknown: run both)
    if tabs[0].open is not False:
        with tabs[0]:
            _overview(ctx)
    if tabs[1].open is not False:
        with tabs[1]:
            _compare(ctx)
    for note in dict.fromkeys(_notes()):
        st.caption(f":material/info: {note}")
    st.caption(
        f"{source_label(table_id)}. Aantallen zijn door CBS afgerond op vijftallen; "
        "'geheim' = niet gepubliceerd (te klein of onbekend); * = voorlopig cijfer."
    )


def _offer_own_vt_region(theme: Theme, sel) -> None:
    """A gemeente on a theme published per Veilig Thuis-regio only: one click to its own region."""
    if sel.level != "GM":
        return
    vt = data.vt_region_of(sel.region, sel.year)
    if vt and _table_for(theme, vt):
        name = data.regions(["VT"]).set_index("code")["name"].get(vt, vt)
        if st.button(f"Toon {name} (Veilig Thuis-regio van {sel.region_name})", key=f"own-vt-{theme.slug}"):
            _select_region(vt)
            st.rerun()


class _Context:
    def __init__(self, theme: Theme, sel, spec: td.ViewSpec):
        self.theme = theme
        self.sel = sel
        self.spec = spec
        self.version = data.get_db().version
        self.show = SHOW_SHARE if spec.has_shares else SHOW_COUNT
        self.nl = _national_code()

    @property
    def measure(self) -> str:
        return charts.MEASURE_SHARE if self.show == SHOW_SHARE and self.spec.has_shares else charts.MEASURE_COUNT

    @property
    def unit_title(self) -> str:
        if self.spec.mode == td.MODE_DIMENSION and self.spec.measure_title:
            return self.spec.measure_title
        return "Waarde" if self.spec.is_percent else "Aantal"

    def cells(self, spec: td.ViewSpec, regions, periods) -> pd.DataFrame:
        regions = None if regions is None else tuple(sorted(dict.fromkeys(regions)))
        return _cells(self.version, spec, regions, tuple(sorted(dict.fromkeys(periods))))

    def filename(self, *parts: str) -> str:
        return td.csv_filename(self.theme.slug, *parts)


def _show_toggle(theme: Theme, options: list[str]) -> str:
    if len(options) == 1:
        return options[0]
    labels = {SHOW_SHARE: "Aandeel van het totaal", SHOW_COUNT: "Aantal"}
    return _choice(st.radio, "Toon", options, param=P_SHOW, default=options[0], slug=theme.slug, labels=labels, horizontal=True)


def _default_category(spec: td.ViewSpec) -> str:
    parts = spec.parts
    return parts[0].key if parts else spec.categories[0].key


def _category_choice(ctx: _Context, label: str, where: str) -> str:
    spec = ctx.spec
    keys = [c.key for c in spec.parts] or spec.category_keys
    labels = {c.key: c.title for c in spec.categories}
    return _choice(st.selectbox, label, keys, param=P_CATEGORY, default=keys[0], slug=ctx.theme.slug, labels=labels, where=where)


def _level_choice(ctx: _Context, where: str) -> str:
    labels = {"GM": "Gemeenten", "VT": "Veilig Thuis-regio's"}
    levels = [lv for lv in MAP_LEVELS if _table_for_level(ctx.theme, lv, ctx.sel.year)[0] is not None] or list(MAP_LEVELS)
    default = "VT" if ctx.sel.level == "VT" and "VT" in levels else levels[0]
    if len(levels) == 1:
        _param(P_LEVEL, levels, default)
        st.caption(f"Niveau: {labels[levels[0]].lower()} (de tabel van dit thema heeft geen ander niveau).")
        return levels[0]
    return _choice(st.radio, "Niveau", levels, param=P_LEVEL, default=default, slug=ctx.theme.slug, labels=labels, horizontal=True, where=where)


def _chart(chart, description: str, key: str) -> None:
    # Our builders make valid specs; skipping Altair's JSON-schema validation
    # saves about a third of a theme page's rerun.
    st.vega_lite_chart(spec=chart.to_dict(validate=False), width="stretch", key=key)
    st.caption(description)


# ---------------------------------------------------------------------------
# Tab 1: Overzicht per categorie


def _overview(ctx: _Context) -> None:
    # distribution and map side by side: the map answers "where is it high?" at a glance
    left, right = st.columns(2, gap="large")
    with left:
        _distribution(ctx)
    with right:
        _map(ctx)
    _trend(ctx)
    _comparison(ctx)


def _distribution(ctx: _Context) -> None:
    sel, spec = ctx.sel, ctx.spec
    cells = ctx.cells(spec, [sel.region], [sel.period])
    shown = cells if ctx.measure == charts.MEASURE_COUNT else cells[cells["category"] != spec.total_key]
    st.subheader(f"Verdeling in {sel.region_name}, {sel.period_label}")
    if cells.empty:
        st.info(f"Geen cijfers voor {sel.region_name} in {sel.period_label}.")
    else:
        desc = (
            f"Staafdiagram: {ctx.unit_title.lower()} in {sel.region_name}, {sel.period_label}, "
            f"per categorie, als {'aandeel van het totaal' if ctx.measure == charts.MEASURE_SHARE else 'aantal'}."
        )
        _chart(
            charts.distribution_chart(shown, measure=ctx.measure, description=desc, unit_title=ctx.unit_title, with_share=spec.has_shares),
            desc,
            key=f"dist-{ctx.theme.slug}",
        )
        if ctx.measure == charts.MEASURE_SHARE:
            st.caption(td.share_rule_text(spec))
        if sel.period_status and str(sel.period_status).lower().startswith("voorlopig"):
            st.caption("* Voorlopige cijfers: CBS kan ze nog bijstellen.")
        chart_table(cells, spec, key=f"dist-{ctx.theme.slug}", filename=ctx.filename(sel.region_name, sel.period_label), with_share=spec.has_shares)


def _trend(ctx: _Context) -> None:
    sel, spec = ctx.sel, ctx.spec
    st.subheader(f"Ontwikkeling per halfjaar in {sel.region_name}")
    hj = td.half_year_periods(data.periods())["code"].tolist()
    cells = ctx.cells(spec, [sel.region], hj)
    if cells.empty:
        st.info("Geen halfjaarcijfers voor deze regio.")
        return
    parts = cells if ctx.measure == charts.MEASURE_COUNT and not spec.has_shares else cells[cells["category"] != spec.total_key]
    keys = list(dict.fromkeys(parts["category"]))
    note = ""
    if len(keys) > 8:
        latest = parts[parts["period"] == parts["period"].max()]
        top = latest.sort_values("value", ascending=False)["category"].head(6).tolist()
        parts = parts[parts["category"].isin(top)]
        note = " Getoond: de zes grootste categorieën in het laatste halfjaar; kies er meer op het tabblad 'Categorieën vergelijken'."
    desc = f"Lijndiagram: ontwikkeling per halfjaar in {sel.region_name}, per categorie ({'aandeel van het totaal' if ctx.measure == charts.MEASURE_SHARE else 'aantal'})."
    _chart(charts.trend_chart(parts, measure=ctx.measure, description=desc, unit_title=ctx.unit_title, with_share=spec.has_shares), desc, key=f"trend-{ctx.theme.slug}")
    st.caption("Gestippelde lijn en open punten: voorlopige cijfers (*). Grijs kruisje bovenaan: geheim; de lijn is daar onderbroken." + note)
    chart_table(parts, spec, key=f"trend-{ctx.theme.slug}", filename=ctx.filename(sel.region_name, "per-halfjaar"), with_share=spec.has_shares)


def _comparison(ctx: _Context) -> None:
    sel, spec, theme = ctx.sel, ctx.spec, ctx.theme
    if sel.level == "NL" or ctx.nl is None:
        return
    others: list[str] = []
    if sel.level == "GM":
        vt = data.vt_region_of(sel.region, sel.year)
        if vt:
            others.append(vt)
    others.append(ctx.nl)
    frames = [ctx.cells(spec, [sel.region], [sel.period])]
    for code in others:
        table = _table_for(theme, code)
        if table is None:
            continue
        other_spec = _spec_like(theme, spec, table)
        c = ctx.cells(other_spec, [code], [sel.period])
        if c.empty:
            continue
        # align categories with the page's table (by key, else by title)
        c["category"] = [_match_category(spec, k, t) for k, t in zip(c["category"], c["category_title"])]
        c = c[c["category"].notna()]
        frames.append(c)
    cells = pd.concat(frames, ignore_index=True)
    if cells.empty or cells["region"].nunique() < 2:
        return
    measure = charts.MEASURE_SHARE if spec.has_shares else charts.MEASURE_COUNT
    shown = cells[cells["category"] != spec.total_key] if spec.has_shares else cells
    order = list(dict.fromkeys(shown["region_title"]))
    names = ", ".join(order)
    st.subheader("Vergelijking met " + (" en ".join(order[1:])))
    desc = f"Staafdiagram: {'aandelen' if spec.has_shares else 'waarden'} per categorie voor {names}, {sel.period_label}."
    _chart(charts.comparison_chart(shown, measure=measure, description=desc, region_order=order, unit_title=ctx.unit_title, with_share=spec.has_shares), desc, key=f"cmp-{theme.slug}")
    if spec.has_shares:
        st.caption("In aandelen van het eigen totaal, zodat regio's van verschillende grootte vergelijkbaar zijn. " + td.share_rule_text(spec))
    chart_table(shown, spec, key=f"cmp-{theme.slug}", filename=ctx.filename(sel.region_name, "vergelijking", sel.period_label), with_share=spec.has_shares)


def _level_cells(ctx: _Context, level: str, category: str) -> tuple[pd.DataFrame, td.ViewSpec | None, str | None]:
    """Cells of one category for all regions of a level in the selected period."""
    table, codes = _table_for_level(ctx.theme, level, ctx.sel.year)
    if table is None or not codes:
        return pd.DataFrame(), None, None
    spec = _spec_like(ctx.theme, ctx.spec, table)
    title = ctx.spec.title_of(category)
    key = _match_category(spec, category, title)
    if key is None:
        return pd.DataFrame(), spec, None
    cells = ctx.cells(spec, codes, [ctx.sel.period])
    return cells, spec, key


def _map(ctx: _Context) -> None:
    sel, spec, theme = ctx.sel, ctx.spec, ctx.theme
    st.subheader(f"Kaart, {sel.period_label}")
    category = _category_choice(ctx, "Categorie op de kaart", "-ov")
    level = _level_choice(ctx, "-ov")
    cells, lspec, key = _level_cells(ctx, level, category)
    if lspec is None or key is None or cells.empty:
        st.info(f"Geen cijfers voor de {LEVEL_PLURAL.get(level, level)} in deze tabel.")
        return
    one = cells[cells["category"] == key]
    share = ctx.measure == charts.MEASURE_SHARE and lspec.has_shares
    title = spec.title_of(category)
    maps = _maps()
    if maps is None:
        st.caption("De kaart is (nog) niet beschikbaar.")
        return
    shapes = data.shapes(level, sel.year)
    if shapes is None or shapes.empty:
        st.info(f"Geen grenzen van {LEVEL_PLURAL.get(level, level)} voor {sel.year}.")
        return
    values = pd.DataFrame(
        {
            "code": one["region"].astype(str),
            "value": (one["share"] * 100) if share else one["value"],
            "suppressed": one["suppressed"].astype(bool),
            "label": one["share_label"] if share else one["value_label"],
        }
    )
    values.loc[values["suppressed"], "value"] = float("nan")
    value_label = f"{title}: aandeel van het totaal" if share else f"{title}: {ctx.unit_title.lower()}"
    try:
        chart = maps.build_choropleth(
            shapes,
            values,
            selected=sel.region,
            unit="%" if share else (lspec.unit or "aantal"),
            decimals=1 if share else lspec.decimals,
            value_label=value_label,
        )
        alt_text = f"Kaart van de {LEVEL_PLURAL.get(level, level)}: {value_label}, {sel.period_label}. Klik op een regio om die te kiezen."
        clicked = maps.show_choropleth(chart, key=f"map-{theme.slug}-{level}", alt_text=alt_text)
    except Exception:
        log.exception("map failed")
        st.caption("De kaart kon niet worden getekend.")
        return
    if share:
        st.caption(td.share_rule_text(lspec))
    if clicked and clicked != sel.region:
        _select_region(clicked)
        st.rerun()
    chart_table(one, lspec, key=f"map-{theme.slug}", filename=ctx.filename(title, LEVEL_PLURAL.get(level, level), sel.period_label), with_share=share)


# ---------------------------------------------------------------------------
# Tab 2: Categorieën vergelijken


def _compare(ctx: _Context) -> None:
    sel, spec, theme = ctx.sel, ctx.spec, ctx.theme
    parts = [c.key for c in spec.parts] or spec.category_keys
    labels = {c.key: c.title for c in spec.categories}
    raw = [v for v in st.query_params.get_all(P_COMPARE)]
    valid = [v for v in raw if v in parts]
    if len(valid) != len(raw):
        _notes().append("Een of meer categorieën in de link (vergelijk) bestaan hier niet en zijn weggelaten.")
    default = parts[: min(3, len(parts))]
    chosen_default = valid or default
    wkey = f"vt-{theme.slug}-{P_COMPARE}"
    if wkey in st.session_state and not set(st.session_state[wkey]) <= set(parts):
        del st.session_state[wkey]
    if wkey not in st.session_state:
        st.session_state[wkey] = chosen_default

    def sync():
        _set_param(P_COMPARE, st.session_state[wkey], default)

    chosen = st.multiselect("Categorieën", parts, format_func=lambda k: labels.get(k, k), key=wkey, on_change=sync)
    if not chosen:
        st.info("Kies een of meer categorieën.")
    else:
        hj = td.half_year_periods(data.periods())["code"].tolist()
        cells = ctx.cells(spec, [sel.region], hj)
        cells = cells[cells["category"].isin(chosen)]
        if not cells.empty:
            st.subheader(f"Over de tijd in {sel.region_name}")
            desc = f"Lijndiagram: gekozen categorieën per halfjaar in {sel.region_name} ({'aandeel van het totaal' if ctx.measure == charts.MEASURE_SHARE else 'aantal'})."
            _chart(charts.trend_chart(cells, measure=ctx.measure, description=desc, unit_title=ctx.unit_title, with_share=spec.has_shares), desc, key=f"cmp-trend-{theme.slug}")
            st.caption("Gestippeld en open punten: voorlopig (*). Grijs kruisje bovenaan: geheim.")
            chart_table(cells, spec, key=f"cmp-trend-{theme.slug}", filename=ctx.filename(sel.region_name, "categorieen", "per-halfjaar"), with_share=spec.has_shares)

    st.subheader(f"Alle regio's, {sel.period_label}")
    c1, c2 = st.columns([2, 1])
    with c1:
        category = _category_choice(ctx, "Categorie", "-cmp")
    with c2:
        level = _level_choice(ctx, "-cmp")
    cells, lspec, key = _level_cells(ctx, level, category)
    if lspec is None or key is None or cells.empty:
        st.info(f"Geen cijfers voor de {LEVEL_PLURAL.get(level, level)} in deze tabel.")
        return
    share = ctx.measure == charts.MEASURE_SHARE and lspec.has_shares
    measure = charts.MEASURE_SHARE if share else charts.MEASURE_COUNT
    one = cells[cells["category"] == key]
    title = spec.title_of(category)
    nat = _national(ctx, lspec, key)
    ref = None
    if nat is not None:
        ref = nat["share"] if share else nat["value"]
    plural = LEVEL_PLURAL.get(level, level)
    desc = f"Staafdiagram: {plural} gerangschikt naar {('aandeel ' + title) if share else title} ({sel.period_label}); {sel.region_name} gemarkeerd, Nederland als stippellijn."
    _chart(
        charts.ranking_chart(one, measure=measure, description=desc, selected=sel.region, reference=ref, unit_title=ctx.unit_title, with_share=lspec.has_shares),
        desc,
        key=f"rank-{theme.slug}",
    )
    n_secret = int(one["suppressed"].sum())
    st.caption(
        (td.share_rule_text(lspec) + " " if share else "")
        + (f"{n_secret} {plural} met een geheime waarde staan rechts, zonder staaf (grijs kruisje of 'geheim')." if n_secret else "")
    )
    chart_table(one, lspec, key=f"rank-{theme.slug}", filename=ctx.filename(title, plural, sel.period_label), with_share=share)
    _notable(ctx, lspec, key, title, one, cells, nat, level)


def _national(ctx: _Context, spec: td.ViewSpec, key: str):
    if ctx.nl is None:
        return None
    table = _table_for(ctx.theme, ctx.nl)
    if table is None:
        return None
    nspec = _spec_like(ctx.theme, spec, table)
    nkey = _match_category(nspec, key, spec.title_of(key))
    cells = ctx.cells(nspec, [ctx.nl], [ctx.sel.period])
    row = cells[cells["category"] == nkey]
    if row.empty or bool(row["suppressed"].iloc[0]):
        return None
    return row.iloc[0]


def _notable(ctx: _Context, spec: td.ViewSpec, key: str, title: str, one: pd.DataFrame, cells: pd.DataFrame, nat, level: str) -> None:
    sel = ctx.sel
    plural = LEVEL_PLURAL.get(level, level)
    st.subheader("Wat valt op")
    lines: list[str] = []
    if spec.has_shares and nat is not None and pd.notna(nat["share"]):
        totals = cells[cells["category"] == spec.total_key].set_index("region")["value"]
        above, below = td.notable_regions(one, float(nat["share"]), totals)
        nat_txt = format_percent(nat["share"] * 100, 1)
        st.markdown(f"**{title}: {plural} ver boven of onder het landelijke aandeel ({nat_txt})**")
        if above.empty and below.empty:
            st.markdown("Geen enkele regio wijkt zo sterk af.")
        for label, frame in (("Ver boven", above), ("Ver onder", below)):
            if not frame.empty:
                items = [
                    f"{r.region_title} ({format_percent(r.share * 100, 1)}; {format_number(r.ratio, 1)}×)"
                    for r in frame.head(8).itertuples(index=False)
                ]
                more = f" en {len(frame) - 8} andere" if len(frame) > 8 else ""
                st.markdown(f"- {label}: " + "; ".join(items) + more)
        st.caption(td.describe_outlier_rule(plural))

    before_code = td.same_period_year_before(sel.period)
    periods = set(data.periods()["code"])
    if before_code not in periods:
        st.caption(f"Geen vergelijking met een jaar eerder: {period_label(before_code)} zit niet in de cijfers.")
        return
    before_label = period_label(before_code)
    now = ctx.cells(ctx.spec, [sel.region], [sel.period])
    before = ctx.cells(ctx.spec, [sel.region], [before_code])
    rises = td.strongest_rises(now[now["category"] != ctx.spec.total_key], before[before["category"] != ctx.spec.total_key])
    st.markdown(f"**Sterkste stijgers in {sel.region_name}: {before_label} → {sel.period_label}**")
    if rises.empty:
        st.markdown("Geen categorie is gestegen (bij bekende cellen).")
    else:
        for r in rises.head(5).itertuples(index=False):
            lines.append(
                f"- {r.title}: {format_number(r.before)} → {format_number(r.now)} "
                f"(+{format_number(r.change)}; +{format_number(r.change_pct, 0)}%)"
            )
        st.markdown("\n".join(lines))
    # the same category across the regions of the level
    lbefore = ctx.cells(spec, list(one["region"]), [before_code])
    lbefore = lbefore[lbefore["category"] == key]
    rrises = td.strongest_rises(one, lbefore, by="region")
    st.markdown(f"**{title}: sterkste stijgers onder de {plural}**")
    if rrises.empty:
        st.markdown("Geen regio is gestegen (bij bekende cellen).")
    else:
        st.markdown(
            "\n".join(
                f"- {r.title}: {format_number(r.before)} → {format_number(r.now)} (+{format_number(r.change_pct, 0)}%)"
                for r in rrises.head(5).itertuples(index=False)
            )
        )
    st.caption(td.describe_rise_rule(before_label, sel.period_label) + " Gerangschikt naar procentuele stijging.")
