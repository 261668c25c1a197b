"""Pure data shaping for the theme pages (no Streamlit).

A theme page shows one table of the catalog as a set of "categories": the
categories of one of its other dimensions (the others held at their total), or,
for a table without other dimensions, its topics (measures) grouped by their
topic group. Everything here works on the tidy frames of `vtdata.storage.queries` and
is unit-testable without a browser.

Honest statistics: StatLine's cells are kept exactly; a suppressed cell stays
NaN with `suppressed=True`, never 0, and never enters a share, a sum, a ratio or
a change.
"""

from __future__ import annotations

from vtdata.format import is_missing

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from vtdata.model.structure import GROUP_SEPARATOR, MULTI_ANSWER_CAPTION, ROLE_PART, ROLE_SUBTOTAL, Structure, UNPLACED_LABEL, build_structure, data_check, lineage, select_for_theme
from vtdata.model.catalog import THEMES, Theme
from vtdata.format import (
    slugify,
    is_percent_unit,
)

MODE_DIMENSION = "dimension"
MODE_MEASURES = "measures"


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    group: str | None = None
    role: str = ROLE_PART  # total | subtotal | part (see vtdata.model.structure)
    parent: str | None = None  # the key of the subtotal or total it belongs under
    multi_answer: bool = False  # member of a breakdown where more answers are possible
    label: str = ""  # as shown on screen and in exports: the title, unique within the view
    unplaced: bool = False  # no rule placed it in a theme: shown here as "Overig / niet ingedeeld"
    breakdown: str | None = None  # name of the breakdown of the total it is in or below (its shares add up to 100 %)
    basis: str = "inwoners"  # rates per 1.000 of: "inwoners", or "minderjarigen" (catalog: `Theme.per_minor`)

    def __post_init__(self):
        if not self.label:
            object.__setattr__(self, "label", self.title)


@dataclass(frozen=True)
class ViewSpec:
    """What a theme page shows for one table and the user's choices.

    `mode` is MODE_DIMENSION (categories of `dimension`, the other dimensions
    fixed at the keys in `fixed`, one `measure`) or MODE_MEASURES (categories
    are the measures of topic group `group`).

    `share_parts` are the exclusive parts of the total that may be drawn as
    shares (they divide the total, so their shares add up to at most 100 % plus
    rounding); `multi_answer` says a breakdown of the view allows more answers
    (caption `MULTI_ANSWER_CAPTION`); `no_share_reason` says in Dutch why there
    are no shares; `empty_reason` why there are no categories.
    """

    table_id: str
    mode: str
    categories: tuple[Category, ...]
    total_key: str | None
    unit: str | None
    decimals: int
    measure: str | None = None
    measure_title: str | None = None
    dimension: str | None = None
    dimension_title: str | None = None
    fixed: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    group: str | None = None
    share_parts: tuple[Category, ...] = ()
    share_breakdowns: int = 0  # how many breakdowns of the total the share parts form (each adds up to 100 %)
    multi_answer: bool = False
    no_share_reason: str | None = None
    empty_reason: str | None = None
    selection: str | None = None  # Dutch: by which rule the categories were chosen
    left_out: tuple[tuple[str, str], ...] = ()  # (what, why) in Dutch
    excluded: tuple[tuple[str, str, str], ...] = ()  # (key, CBS title, why) of each category not shown, Dutch
    units: tuple[tuple[str, str | None], ...] = ()  # (key, unit) per topic in a view of topics

    @property
    def category_keys(self) -> list[str]:
        return [c.key for c in self.categories]

    @property
    def is_percent(self) -> bool:
        return is_percent_unit(self.unit)

    @property
    def has_shares(self) -> bool:
        """Shares only for counts with a real total and exclusive parts."""
        return self.total_key is not None and bool(self.share_parts) and not self.is_percent

    @property
    def share_keys(self) -> list[str]:
        return [c.key for c in self.share_parts] if self.has_shares else []

    @property
    def parts(self) -> tuple[Category, ...]:
        """The leaf categories (role part): never the total or a subtotal."""
        return tuple(c for c in self.categories if c.role == ROLE_PART and c.key != self.total_key)

    @property
    def subtotals(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.role == ROLE_SUBTOTAL)

    @property
    def multi_answer_caption(self) -> str:
        return MULTI_ANSWER_CAPTION if self.multi_answer else ""

    def title_of(self, key: str) -> str:
        """The label of a category as shown (unique within the view)."""
        for c in self.categories:
            if c.key == key:
                return c.label
        return key

    @property
    def bases(self) -> dict[str, str]:
        """category key -> the basis of its rate ("inwoners" or "minderjarigen")."""
        return {c.key: c.basis for c in self.categories}

    def basis_of(self, key: str) -> str:
        return self.bases.get(key, "inwoners")

    @property
    def unplaced(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.unplaced)

    def query_args(self) -> dict:
        """Keyword arguments for `Database.observations` (besides regions/periods)."""
        if self.mode == MODE_MEASURES:
            return {"measures": tuple(self.category_keys), "categories": None}
        cats = {self.dimension: tuple(self.category_keys)}
        for dim, key in self.fixed:
            cats[dim] = (key,)
        return {"measures": (self.measure,), "categories": cats}


# ---------------------------------------------------------------------------
# Choosing the table, the categories and the total


def pick_table(theme: Theme, holding: list[str] | tuple[str, ...]) -> str | None:
    """The first of the theme's tables (in order of preference) that holds the region."""
    held = set(holding)
    for table_id in theme.tables:
        if table_id in held:
            return table_id
    return None


def total_key_of(categories: pd.DataFrame) -> str | None:
    """The grand total of a dimension from its metadata; None when it has none (never the first category)."""
    if categories is None or categories.empty:
        return None
    return build_structure(categories).total


def _by_position(frame: pd.DataFrame) -> pd.DataFrame:
    if "position" in frame.columns:
        return frame.sort_values("position", kind="stable")
    return frame


def sharing_themes(table_id: str) -> tuple[Theme, ...]:
    return tuple(t for t in THEMES if table_id in t.tables)


def _categories(structure: Structure, keys, unplaced=(), per_minor: str | None = None) -> list[Category]:
    keep, outside = set(keys), set(unplaced)
    multi = structure.multi_answer_keys()
    out = []
    for n in structure.nodes:
        if n.key in keep:
            top = structure.top_breakdown_of(n.key)
            name = structure.breakdown_name(top) if top is not None else None
            minors = per_minor is not None and any(re.search(per_minor, a.title, re.I) for a in lineage(structure, n))
            out.append(Category(n.key, n.title, n.group, n.role, n.parent, n.key in multi, n.label, n.key in outside, name,
                                "minderjarigen" if minors else "inwoners"))
    return out


def _view_structure(structure: Structure, chosen: list[Category], *, counts: bool) -> dict:
    """share_parts, multi_answer and the reason without shares, for the chosen categories."""
    keys = [c.key for c in chosen]
    by_key = {c.key: c for c in chosen}
    share = [by_key[k] for k in structure.share_parts(keys)] if counts else []
    in_view = set(keys)
    multi = any(
        b.multi_answer and b.parent in in_view and sum(k in in_view for k in b.keys) >= 2 for b in structure.breakdowns
    )
    reason = None
    if not counts:
        reason = "Geen aandelen: de cijfers zijn zelf percentages."
    elif structure.total is None or structure.total not in in_view:
        reason = structure.total_reason or "Geen aandelen: deze categorieën hebben geen totaal."
    elif not share:
        reason = "Geen aandelen: de delen van het totaal sluiten elkaar niet uit (" + MULTI_ANSWER_CAPTION + ")."
    n_breakdowns = len(structure.share_breakdowns(keys)) if share else 0
    return {"share_parts": tuple(share), "multi_answer": multi, "no_share_reason": reason, "share_breakdowns": n_breakdowns}


def measure_groups(measures: pd.DataFrame) -> list[str]:
    """Top-level topic groups of a table in StatLine order ('' for ungrouped topics); nested groups are in them."""
    seen: list[str] = []
    for g in _by_position(measures)["group_title"].tolist():
        g = "" if is_missing(g) else str(g).split(GROUP_SEPARATOR)[0]
        if g not in seen:
            seen.append(g)
    return seen


def measures_in_group(measures: pd.DataFrame, group: str) -> pd.DataFrame:
    """The topics of a top-level group, those of its nested groups included."""
    groups = measures["group_title"].fillna("").astype(str)
    inside = (groups == group) | (groups.str.startswith(group + GROUP_SEPARATOR) if group else groups == "")
    return _by_position(measures[inside])


def group_label(group: str) -> str:
    return group if group else "Overige onderwerpen"


def dimension_view(
    theme: Theme,
    table_id: str,
    measures: pd.DataFrame,
    dimensions: pd.DataFrame,
    categories_of,  # callable(dimension_key) -> categories frame
    *,
    measure: str | None,
    dimension: str | None,
    reference=None,  # one region-period's cells of the dimension (e.g. Nederland): the data check
    texts: tuple = (),  # general descriptions (table, dimension) that may say "meerdere antwoorden"
) -> ViewSpec:
    """A view of a table with other dimensions; invalid choices fall back to defaults.

    `reference`: a frame with `category` and `value` (or a mapping key -> value)
    for one region and period, best Nederland in the latest definitive year:
    breakdowns whose parts add up to more than their parent there are treated
    as multi-answer (`vtdata.model.structure.data_check`).
    """
    measures = _by_position(measures)
    mkeys = measures["key"].astype(str).tolist()
    if measure not in mkeys:
        measure = mkeys[0]
    mrow = measures[measures["key"] == measure].iloc[0]
    dims = _by_position(dimensions)
    dkeys = dims["key"].astype(str).tolist()
    if dimension not in dkeys:
        dimension = dkeys[0]
    drow = dims[dims["key"] == dimension].iloc[0]
    structure = build_structure(categories_of(dimension), texts=texts)
    if reference is not None:
        structure = data_check(structure, reference)
    selection = select_for_theme(theme, structure, table_id, sharing_themes(table_id) or (theme,))
    chosen = _categories(structure, selection.keys, selection.unplaced, theme.per_minor)
    empty_reason = selection.empty_reason
    if empty_reason:
        chosen = []
    fixed = []
    for other in dkeys:
        if other != dimension:
            tk = total_key_of(categories_of(other))
            if tk is not None:
                fixed.append((other, tk))
            elif chosen:
                otitle = str(dims[dims["key"] == other]["title"].iloc[0])
                empty_reason = f"De indeling '{otitle}' heeft geen totaal om op vast te zetten; splits uit naar die indeling."
                chosen = []
    unit = _str_or_none(mrow.get("unit"))
    return ViewSpec(
        table_id=table_id,
        mode=MODE_DIMENSION,
        categories=tuple(chosen),
        total_key=structure.total if chosen else None,
        unit=unit,
        decimals=_int(mrow.get("decimals")),
        measure=measure,
        measure_title=str(mrow["title"]),
        dimension=dimension,
        dimension_title=str(drow["title"]),
        fixed=tuple(fixed),
        empty_reason=empty_reason,
        selection=selection.how,
        left_out=selection.left_out,
        excluded=tuple((k, structure.node(k).title, why) for k, why in selection.excluded),
        **_view_structure(structure, chosen, counts=not is_percent_unit(unit)),
    )


def measures_view(table_id: str, measures: pd.DataFrame, *, group: str | None, reference=None) -> ViewSpec:
    """A view of a table without other dimensions: the topics of one top-level topic group.

    The topics get roles like categories (vtdata.model.structure): the total is the
    "Totaal…" topic of the group, a nested group with its own "Totaal" is a
    subtotal. Without a total no shares are computed (topics need not add up);
    topics in another unit than the total never get a share.
    """
    groups = measure_groups(measures)
    if group not in groups:
        group = groups[0]
    rows = measures_in_group(measures, group)
    frame = pd.DataFrame(
        {
            "key": rows["key"].astype(str),
            "title": rows["title"].astype(str),
            "group_title": [_inner_group(g, group) for g in rows["group_title"]],
            "position": rows["position"] if "position" in rows.columns else range(len(rows)),
            "description": rows["description"] if "description" in rows.columns else None,
            "unit": rows["unit"],
        }
    )
    structure = build_structure(frame)
    if reference is not None:
        structure = data_check(structure, reference)
    total_unit = _str_or_none(rows[rows["key"].astype(str) == structure.total]["unit"].iloc[0]) if structure.total else None
    units = rows["unit"].dropna().astype(str).unique().tolist()
    unit = total_unit or (units[0] if units else None)
    same_unit = [k for k, u in zip(frame["key"], frame["unit"]) if _str_or_none(u) == unit]
    paths = dict(zip(rows["key"].astype(str), rows["group_title"]))
    cats = [
        replace(c, group=_str_or_none(paths.get(c.key)) or group or None)
        for c in _categories(structure, frame["key"].tolist())
    ]
    view = _view_structure(structure, [c for c in cats if c.key in same_unit], counts=not is_percent_unit(unit))
    decimals = rows["decimals"].dropna()
    empty = None if cats else f"Tabel {table_id} heeft geen onderwerpen in de groep '{group_label(group)}'."
    return ViewSpec(
        table_id=table_id,
        mode=MODE_MEASURES,
        categories=tuple(cats),
        total_key=structure.total,
        unit=unit,
        decimals=int(decimals.max()) if len(decimals) else 0,
        group=group,
        empty_reason=empty,
        selection="alle onderwerpen van de onderwerpgroep (TopicGroup)",
        units=tuple((str(k), _str_or_none(u)) for k, u in zip(frame["key"], frame["unit"])),
        **view,
    )


def spec_for(db, theme: Theme, table_id: str, *, measure: str | None = None, dimension: str | None = None,
             group: str | None = None) -> ViewSpec:
    """The view a theme page shows of a table for the link's choices: `measure` x `dimension` for a
    table with other dimensions, else the topic group `group` (its name or its slug); an unknown
    choice falls back to the default. `db` is a `vtdata.storage.queries.Database` (or alike).
    """
    measures = db.measures(table_id)
    dims = db.dimensions(table_id)
    if dims.empty:
        groups = measure_groups(measures)
        named = group if group in groups else {slugify(g): g for g in groups}.get(group or "")
        return measures_view(table_id, measures, group=named)
    return dimension_view(theme, table_id, measures, dims, lambda d: db.categories(table_id, d),
                          measure=measure, dimension=dimension)


def same_category(spec: ViewSpec, key: str, label: str) -> str | None:
    """The same category in another table of the theme: by key, else by its label (unique within a view)."""
    if key in spec.category_keys:
        return key
    for c in spec.categories:
        if c.label.strip() == str(label).strip():
            return c.key
    return None


def _inner_group(path, top: str) -> str | None:
    """The group path below the view's top-level group (None for the group's own topics)."""
    if is_missing(path) or not str(path) or str(path) == top:
        return None
    text = str(path)
    return text[len(top) + len(GROUP_SEPARATOR):] if top and text.startswith(top + GROUP_SEPARATOR) else text


def default_category(spec: ViewSpec, cells: pd.DataFrame | None = None) -> str | None:
    """The category a map or ranking starts with: the largest exclusive part.

    Largest by value in `cells` (summed over their regions and periods), among
    the share parts that are leaves; else among all parts; never a subtotal or
    the total unless the view has nothing else. None for an empty view.
    """
    if not spec.categories:
        return None
    share = [c.key for c in spec.share_parts if c.role == ROLE_PART]
    exclusive = [c.key for c in spec.parts if not c.multi_answer]
    for candidates in (share, exclusive, [c.key for c in spec.parts]):
        if candidates:
            return _largest(candidates, cells)
    rest = [c.key for c in spec.categories if c.key != spec.total_key]
    return (rest or spec.category_keys)[0]


def _largest(keys: list[str], cells: pd.DataFrame | None) -> str:
    if cells is None or cells.empty or "category" not in cells.columns:
        return keys[0]
    known = cells[cells["category"].isin(keys) & cells["value"].notna()]
    if known.empty:
        return keys[0]
    sums = known.groupby("category", sort=False)["value"].sum()
    order = {k: i for i, k in enumerate(keys)}
    return max(sums.index, key=lambda k: (sums[k], -order[k]))


# ---------------------------------------------------------------------------
# Cells: observations in the shape every chart and table uses

def share_rule_text(spec: ViewSpec) -> str:
    """The sentence that says how shares are computed (or why there are none)."""
    if not spec.has_shares:
        return spec.no_share_reason or ""
    total_title = spec.title_of(spec.total_key)
    text = (
        f"Aandeel berekend als aantal in de categorie / {total_title} "
        "(zelfde regio en periode), alleen voor categorieën die elkaar uitsluiten; afgeronde "
        "CBS-aantallen, daardoor tellen aandelen niet altijd precies op tot 100%. Geheime cellen tellen niet mee."
    )
    if spec.share_breakdowns > 1:
        text += (f" De aandelen vormen {spec.share_breakdowns} indelingen van hetzelfde totaal "
                 "(bijvoorbeeld rol/functie en organisatie); elke indeling telt apart op tot 100%.")
    if spec.multi_answer:
        text += f" Overige categorieën: {MULTI_ANSWER_CAPTION}, daarom zonder aandeel."
    return text


def unplaced_note(spec: ViewSpec) -> str:
    """The categories shown here because no rule placed them in a theme (empty when none)."""
    if not spec.unplaced:
        return ""
    names = ", ".join(c.label for c in spec.unplaced)
    return f"{UNPLACED_LABEL}: {names} (geen regel deelt deze categorieën in bij een thema; ze staan hier om niets weg te laten)."


def _str_or_none(value) -> str | None:
    return None if is_missing(value) else str(value)


def _int(value) -> int:
    return 0 if is_missing(value) else int(value)
