"""The category structure of a StatLine dimension, read from its metadata.

Pure: metadata frames in, decisions out (no Streamlit, no database writes).

StatLine lists a dimension's categories in one flat list; the hierarchy is in
two places: the CategoryGroups (our `group_title`, the group path joined by
' › ') and the titles ("Totaal", "X totaal", "X: totaal", "Totaal X" head the
parts "X: ..."). From these every category gets a role:

- `total`: the dimension's grand total (a "Totaal…" category outside any group;
  none when the metadata has none: then no share is ever computed);
- `subtotal`: a "…totaal" category that has parts;
- `part`: everything else (a "…: totaal" without parts is a part too).

and a `parent`: the subtotal or total it belongs under (see `_parent_of`).

The children of one parent within one category group form a *breakdown*. A
breakdown is exclusive (its parts divide the parent) unless the metadata says
more answers are possible, or national figures show that its parts add up to
more than the parent (`data_check`). Shares of the total are drawn only for one
exclusive breakdown (`share_parts`), so they never add up to more than 100 %
plus rounding.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

GROUP_SEPARATOR = " › "

ROLE_TOTAL = "total"
ROLE_SUBTOTAL = "subtotal"
ROLE_PART = "part"

MULTI_ANSWER_CAPTION = "meerdere antwoorden mogelijk, telt niet op tot 100 %"

# Texts in a description that say a breakdown is not exclusive.
MULTI_ANSWER_PHRASES = (
    "meerdere antwoorden",
    "meer antwoorden",
    "meer dan één",
    "meer dan een",
    "meerdere vormen",
    "meerdere categorieën",
    "meer categorieën",
    "kan meer dan",
    "kunnen meerdere",
    "tellen niet op",
    "telt niet op",
)

# Data check: every published cell is rounded to a multiple of 5, so a parent
# and the sum of its n parts can differ by up to 2.5 × (n + 1) by rounding alone.
ROUNDING_HALF_STEP = 2.5
# On top of that a relative margin of 0.5 % of the parent: CBS rounds totals and
# parts independently and occasionally corrects a part, which must not turn an
# exclusive breakdown into a multi-answer one. Drawn shares can therefore exceed
# 100 % by at most this margin plus rounding.
RELATIVE_MARGIN = 0.005


def normalize(text) -> str:
    """Case- and space-insensitive form of a title (Dutch characters kept, NFC)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    text = unicodedata.normalize("NFC", str(text))
    return " ".join(text.split()).casefold()


_TOTAL_FORMS = (
    re.compile(r"^totaal$"),
    re.compile(r"^totaal[ ,:]+(?P<stem>.+)$"),
    re.compile(r"^(?P<stem>.+?)[ ,:]*\btotaal$"),
)


def total_stem(title) -> str | None:
    """'X: totaal', 'X totaal', 'Totaal X' -> 'x'; 'Totaal' -> ''; else None."""
    t = normalize(title)
    for form in _TOTAL_FORMS:
        m = form.match(t)
        if m:
            return (m.groupdict().get("stem") or "").strip(" :,")
    return None


def colon_prefixes(title) -> list[str]:
    """'Beroep: medisch: huisarts' -> ['beroep: medisch', 'beroep'] (longest first)."""
    pieces = [p.strip() for p in normalize(title).split(":")]
    return [": ".join(pieces[:i]) for i in range(len(pieces) - 1, 0, -1)]


def _stem_matches(prefix: str, stem: str, *, loose: bool) -> bool:
    if not prefix or not stem:
        return False
    if prefix == stem:
        return True
    # "Beroep: ..." under "Beroepsmatig totaal": one word a prefix of the other
    if not loose or ":" in prefix or ":" in stem or min(len(prefix), len(stem)) < 5:
        return False
    return stem.startswith(prefix) or prefix.startswith(stem)


def has_multi_answer_text(*texts) -> str | None:
    """The phrase that says several answers are possible, if any text contains one."""
    for text in texts:
        t = normalize(text)
        for phrase in MULTI_ANSWER_PHRASES:
            if phrase in t:
                return phrase
    return None


# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    key: str
    title: str
    group: str | None
    position: int
    role: str = ROLE_PART
    parent: str | None = None
    description: str | None = None
    unit: str | None = None
    group_description: str | None = None
    data_multi_answer: str | None = None  # recorded at load time (vtdata.breakdown_check)


@dataclass(frozen=True)
class Breakdown:
    """The children of `parent` within one category group."""

    parent: str
    group: str | None
    keys: tuple[str, ...]
    multi_answer: bool = False
    reason: str | None = None  # Dutch: why it counts as multi-answer


@dataclass(frozen=True)
class Structure:
    nodes: tuple[Node, ...]
    total: str | None
    breakdowns: tuple[Breakdown, ...] = ()
    total_reason: str | None = None  # Dutch: why there is no total

    def node(self, key: str) -> Node | None:
        for n in self.nodes:
            if n.key == key:
                return n
        return None

    @property
    def keys(self) -> list[str]:
        return [n.key for n in self.nodes]

    def role_of(self, key: str) -> str:
        n = self.node(key)
        return n.role if n else ROLE_PART

    def breakdown_of(self, key: str) -> Breakdown | None:
        """The breakdown `key` is a member of."""
        for b in self.breakdowns:
            if key in b.keys:
                return b
        return None

    def multi_answer_keys(self) -> set[str]:
        return {k for b in self.breakdowns if b.multi_answer for k in b.keys}

    def share_parts(self, keys=None) -> list[str]:
        """One exclusive partition of the total among `keys` (default: all).

        From the total, take its first exclusive breakdown (in StatLine order)
        and descend into each subtotal that has an exclusive breakdown of its
        own; the leaves reached divide the total, so their shares add up to at
        most 100 % (plus rounding). Empty without a total.
        """
        if self.total is None:
            return []
        keep = set(self.keys if keys is None else keys)
        return self._partition(self.total, keep, depth=0) or []

    def _partition(self, parent: str, keep: set[str], depth: int) -> list[str] | None:
        if depth > 20:
            return None
        for b in self.breakdowns:
            if b.parent != parent or b.multi_answer:
                continue
            members = [k for k in b.keys if k in keep]
            if not members:
                continue
            out: list[str] = []
            for key in members:
                below = self._partition(key, keep, depth + 1) if self.role_of(key) == ROLE_SUBTOTAL else None
                out += below or [key]
            return out
        return None


def build_structure(categories: pd.DataFrame, *, texts: tuple = ()) -> Structure:
    """The structure of one dimension from its categories.

    Columns: key, title, group_title, position, and optionally description,
    group_description, data_multi_answer (see `Database.categories`). `texts`
    are more descriptions that may state "meerdere antwoorden" for a group (the
    table's description), read per sentence.
    """
    nodes = _nodes(categories)
    if not nodes:
        return Structure((), None, (), "De dimensie heeft geen categorieën.")
    total = _grand_total(nodes)
    parents = _parents(nodes, total.key if total else None)
    with_children = {p for p in parents.values() if p}
    out = []
    for n in nodes:
        if total is not None and n.key == total.key:
            role = ROLE_TOTAL
        elif total_stem(n.title) is not None and n.key in with_children:
            role = ROLE_SUBTOTAL
        elif n.key in with_children:
            role = ROLE_SUBTOTAL  # a group heading category with parts, whatever its title
        else:
            role = ROLE_PART
        out.append(replace(n, role=role, parent=parents.get(n.key)))
    nodes = tuple(out)
    breakdowns = _breakdowns(nodes, texts)
    reason = None
    if total is None:
        reason = "Geen totaal gevonden (niets heet 'Totaal' buiten een groep); daarom geen aandelen."
    return Structure(nodes, total.key if total else None, breakdowns, reason)


def _nodes(categories: pd.DataFrame) -> list[Node]:
    if categories is None or categories.empty:
        return []
    frame = categories.sort_values("position", kind="stable") if "position" in categories.columns else categories
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        group = row.get("group_title")
        group = None if _missing(group) or not str(group).strip() else str(group).strip()
        title = str(row.get("title") or "").strip()
        out.append(
            Node(
                key=str(row["key"]).strip(),
                title=title,
                group=group,
                position=i,
                description=None if _missing(row.get("description")) else str(row.get("description")),
                unit=None if _missing(row.get("unit")) else str(row.get("unit")),
                group_description=None if _missing(row.get("group_description")) else str(row.get("group_description")),
                data_multi_answer=None if _missing(row.get("data_multi_answer")) else str(row.get("data_multi_answer")),
            )
        )
    return out


def _depth(group: str | None) -> int:
    return 0 if not group else len(group.split(GROUP_SEPARATOR))


def _grand_total(nodes: list[Node]) -> Node | None:
    """'Totaal' outside any group first, then other total titles outside groups, shallowest group first."""
    candidates = [n for n in nodes if total_stem(n.title) is not None]
    if not candidates:
        return None
    shallowest = min(_depth(n.group) for n in candidates)
    level = [n for n in candidates if _depth(n.group) == shallowest]
    if shallowest > 0 and not (len(level) == 1 and all(_is_ancestor_group(level[0].group, n.group) for n in nodes)):
        return None  # only totals of groups, and not every category is in that group: none is the whole
    # plain "Totaal" before "Totaal X" before "X totaal"
    level.sort(key=lambda n: (total_stem(n.title) != "", not normalize(n.title).startswith("totaal"), n.position))
    return level[0]


def _is_ancestor_group(outer: str | None, inner: str | None) -> bool:
    """Is `outer` the same group as `inner` or one of its ancestors (None is everyone's)?"""
    if not outer:
        return True
    return bool(inner) and (inner == outer or inner.startswith(outer + GROUP_SEPARATOR))


def _parents(nodes: list[Node], total: str | None) -> dict[str, str | None]:
    """Parent of every category; the rules, first that applies:

    1. title prefix: "X: y" (or "X: Y: totaal") under the subtotal with stem X
       (exact, else one word a prefix of the other, as "Beroep" / "Beroepsmatig");
       a preceding subtotal wins over a later one;
    2. block: "X: y" items right after an "X totaal" / "Totaal X" subtotal in the
       same group, until an item without ':' (e.g. the 12 "vorm: uitkomst" items
       after "Niet voortijdig afgesloten totaal");
    3. group: items of a category group under the "…totaal" category named like
       the group, or under a "Totaal" inside that group (two levels deep too);
    4. otherwise the grand total.
    """
    subtotals = [n for n in nodes if n.key != total and total_stem(n.title) is not None]
    stems = {n.key: (total_stem(n.title) or "") for n in subtotals}
    parents: dict[str, str | None] = {}
    block: Node | None = None  # the open "X totaal" block
    for n in nodes:
        if n.key == total:
            parents[n.key] = None
            block = None
            continue
        parent = _by_prefix(n, subtotals, stems)
        has_colon = ":" in n.title
        if parent is None and block is not None and has_colon and n.group == block.group and block.key != n.key:
            parent = block.key
        if parent is None:
            parent = _by_group(n, subtotals, stems)
        parents[n.key] = parent or total
        # open or close the block of a non-colon subtotal
        stem = stems.get(n.key)
        if stem is not None and ":" not in n.title:
            block = n
        elif not has_colon or (block is not None and n.group != block.group):
            block = None
    return _break_cycles(parents, total)


def _by_prefix(n: Node, subtotals: list[Node], stems: dict[str, str]) -> str | None:
    for loose in (False, True):
        for prefix in colon_prefixes(n.title):
            found = [s for s in subtotals if s.key != n.key and _stem_matches(prefix, stems[s.key], loose=loose)]
            if loose:  # a loose match only within the same or an enclosing group
                found = [s for s in found if _is_ancestor_group(s.group, n.group)]
            if found:
                before = [s for s in found if s.position < n.position]
                return (before[-1] if before else found[0]).key
    return None


def _by_group(n: Node, subtotals: list[Node], stems: dict[str, str]) -> str | None:
    if not n.group:
        return None
    segments = n.group.split(GROUP_SEPARATOR)
    for depth in range(len(segments), 0, -1):
        path = GROUP_SEPARATOR.join(segments[:depth])
        title = normalize(segments[depth - 1])
        for s in subtotals:
            if s.key == n.key:
                continue
            inside = s.group == path and stems[s.key] in ("", title)
            named = _is_ancestor_group(s.group, path) and s.group != path and _stem_matches(stems[s.key], title, loose=True)
            if (inside and s.position < n.position) or named:
                return s.key
    return None


def _break_cycles(parents: dict[str, str | None], total: str | None) -> dict[str, str | None]:
    for key in list(parents):
        seen, cur = {key}, parents[key]
        while cur is not None and cur in parents:
            if cur in seen:
                parents[key] = total if key != total else None
                break
            seen.add(cur)
            cur = parents[cur]
    return parents


def _breakdowns(nodes: tuple[Node, ...], texts: tuple) -> tuple[Breakdown, ...]:
    by_key = {n.key: n for n in nodes}
    order: dict[tuple[str, str | None], list[str]] = {}
    total = next((n.key for n in nodes if n.role == ROLE_TOTAL), None)
    first_group: dict[str, str | None] = {}
    for n in nodes:
        if n.parent is None:
            continue
        if n.parent == total:
            group = _breakdown_group(n, nodes)
        else:  # a subtotal's parts are one breakdown, whichever (sub)group a revision put them in
            group = first_group.setdefault(n.parent, n.group)
        order.setdefault((n.parent, group), []).append(n.key)
    out = []
    for (parent, group), keys in order.items():
        member_texts = [by_key[k].description for k in keys] + [by_key[k].group_description for k in keys]
        member_texts.append(by_key[parent].description)
        phrase = has_multi_answer_text(*member_texts, *_sentences_about(texts, group, by_key[parent].title))
        reason = f"de beschrijving zegt '{phrase}'" if phrase else None
        if reason is None:  # the data check recorded at load time
            reason = next((by_key[k].data_multi_answer for k in keys if by_key[k].data_multi_answer), None)
        out.append(Breakdown(parent, group, tuple(keys), reason is not None, reason))
    return tuple(out)


def _breakdown_group(n: Node, nodes: tuple[Node, ...]) -> str | None:
    """The group a category counts in among its siblings.

    A subtotal that heads its own group ("Totaal" in the group, or "X totaal"
    in group "X") belongs with the siblings of the enclosing group: the group is
    its box, not an alternative breakdown of the parent.
    """
    if n.role != ROLE_SUBTOTAL or not n.group:
        return n.group
    title = normalize(n.group.split(GROUP_SEPARATOR)[-1])
    stem = total_stem(n.title)
    last = (stem or "").split(":")[-1].strip()  # "beroep: medisch" heads group "Medisch"
    heads = stem == "" or (stem is not None and _stem_matches(last, title, loose=True))
    if heads and any(c.parent == n.key and c.group == n.group for c in nodes):
        parent_group = GROUP_SEPARATOR.join(n.group.split(GROUP_SEPARATOR)[:-1])
        return parent_group or None
    return n.group


def _sentences_about(texts: tuple, group: str | None, parent_title: str) -> list[str]:
    """Sentences of general descriptions that name the group (or the parent) by its title."""
    names = [normalize(group.split(GROUP_SEPARATOR)[-1])] if group else []
    stem = total_stem(parent_title)
    if stem:
        names.append(stem)
    out = []
    for text in texts:
        for sentence in re.split(r"(?<=[.;!?])\s+|\n+", normalize(text)):
            if any(name and name in sentence for name in names):
                out.append(sentence)
    return out


# ---------------------------------------------------------------------------
# The data check


def exceeds_parent(parent_value, part_values) -> bool:
    """Do the known parts add up to more than the parent, beyond rounding?

    tolerance = 2.5 × (n + 1) + 0.5 % of the parent, n = number of known parts
    (each published cell is rounded to a multiple of 5). Suppressed parts are
    left out: they can only add to the sum, so an excess stays an excess.
    """
    if parent_value is None or _missing(parent_value):
        return False
    known = [float(v) for v in part_values if v is not None and not _missing(v)]
    if len(known) < 2:
        return False
    tolerance = ROUNDING_HALF_STEP * (len(known) + 1) + RELATIVE_MARGIN * abs(float(parent_value))
    return sum(known) > float(parent_value) + tolerance


def _values(cells) -> dict[str, float]:
    if cells is None:
        return {}
    if isinstance(cells, Mapping):
        return {str(k): v for k, v in cells.items() if not _missing(v)}
    frame = cells
    if frame.empty:
        return {}
    if "suppressed" in frame.columns:
        frame = frame[~frame["suppressed"].astype(bool)]
    return {str(k): float(v) for k, v in zip(frame["category"], frame["value"]) if not _missing(v)}


def data_check(structure: Structure, cells) -> Structure:
    """Mark breakdowns whose parts exceed their parent in one region-period's cells.

    `cells`: a frame with `category` and `value` (e.g. `to_cells` for Nederland
    in one period) or a mapping key -> value. A breakdown the metadata already
    marks stays multi-answer.
    """
    values = _values(cells)
    if not values:
        return structure
    out = []
    for b in structure.breakdowns:
        if not b.multi_answer and exceeds_parent(values.get(b.parent), [values.get(k) for k in b.keys]):
            parts = sum(values[k] for k in b.keys if k in values)
            reason = (
                f"de delen tellen op tot {_fmt(parts)}, meer dan {_title(structure, b.parent)} ({_fmt(values[b.parent])})"
            )
            b = replace(b, multi_answer=True, reason=reason)
        out.append(b)
    return replace(structure, breakdowns=tuple(out))


def _title(structure: Structure, key: str) -> str:
    n = structure.node(key)
    return f"'{n.title}'" if n else key


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


# ---------------------------------------------------------------------------
# Which categories belong to a theme


STOPWORDS = frozenset({"van", "het", "de", "en", "een", "of", "per", "naar", "in", "op", "aan", "bij", "met", "door",
                       "voor", "dat", "die", "na", "tot"})


@dataclass(frozen=True)
class Selection:
    keys: tuple[str, ...]  # the chosen categories, the total included
    how: str  # Dutch: by which rule
    left_out: tuple[tuple[str, str], ...] = ()  # (what, why), Dutch
    empty_reason: str | None = None


def title_words(text) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", normalize(text)) if len(w) >= 3 and w not in STOPWORDS}


def _word_match(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))


def _score(words: set[str], title: str) -> int:
    other = title_words(title)
    return sum(1 for w in words if any(_word_match(w, o) for o in other))


def _top_group(group: str | None) -> str | None:
    return group.split(GROUP_SEPARATOR)[0] if group else None


def select_for_theme(theme, structure: Structure, table_id: str, sharing: tuple = ()) -> Selection:
    """The categories of `structure` that belong to `theme`.

    1. One theme uses the table: every category.
    2. Several themes share it: each top-level CategoryGroup goes to the theme
       whose title shares the most words with the group title (words in every
       sharing theme's title do not count); this theme takes its groups.
    3. When the groups do not decide (no groups, or none goes to this theme):
       the catalog's pattern `theme.category_groups` on the group titles (or,
       without groups, on the titles of a category and its parents).
    Categories outside any group follow their parent; the total is always kept.
    """
    nodes = structure.nodes
    if not nodes:
        return Selection((), "geen categorieën", (), f"Tabel {table_id} heeft geen categorieën in deze dimensie.")
    others = [t for t in sharing if t.slug != theme.slug]
    if not others and not theme.category_groups:
        return Selection(tuple(n.key for n in nodes), f"alle categorieën (alleen dit thema gebruikt tabel {table_id})")
    top_groups = list(dict.fromkeys(g for g in (_top_group(n.group) for n in nodes) if g))
    left_out: list[tuple[str, str]] = []
    chosen_groups: set[str] = set()
    if others and top_groups:
        common = set.intersection(*(title_words(t.title) for t in (theme, *others)))
        for group in top_groups:
            scores = {t.slug: _score(title_words(t.title) - common, group) for t in (theme, *others)}
            best = max(scores.values())
            winners = [slug for slug, v in scores.items() if v == best]
            if best > 0 and winners == [theme.slug]:
                chosen_groups.add(group)
            elif best > 0 and len(winners) == 1:
                name = next(t.title for t in others if t.slug == winners[0])
                left_out.append((f"groep '{group}'", f"hoort bij het thema '{name}'"))
            else:
                left_out.append((f"groep '{group}'", "de groepstitel past bij geen van de thema's van deze tabel"))
    if chosen_groups:
        keep = {n.key for n in nodes if _top_group(n.group) in chosen_groups}
        how = "categoriegroepen " + ", ".join(f"'{g}'" for g in top_groups if g in chosen_groups)
    elif theme.category_groups:
        pattern = re.compile(theme.category_groups, re.I)
        if top_groups:
            keep = {n.key for n in nodes if n.group and pattern.search(n.group)}
            how = f"zoekpatroon '{theme.category_groups}' op de groepstitels (de groepen beslissen niet)"
        else:
            keep = {n.key for n in nodes if any(pattern.search(a.title) for a in _lineage(structure, n))}
            how = f"zoekpatroon '{theme.category_groups}' op de categorietitels (de tabel heeft geen groepen)"
        left_out = [(what, why) for what, why in left_out if not pattern.search(what)]  # the pattern took them
    else:
        keep = {n.key for n in nodes}
        left_out = []
        how = "alle categorieën (de groepen beslissen niet en het thema heeft geen zoekpatroon)"
    # ungrouped categories follow their parent; the total is always kept
    for n in nodes:
        if n.group is None and n.key != structure.total and any(a.key in keep for a in _lineage(structure, n)[1:]):
            keep.add(n.key)
    parts = [n for n in nodes if n.key in keep and n.key != structure.total]
    if structure.total:
        keep.add(structure.total)
    for n in nodes:
        if n.key not in keep and n.group is None:
            left_out.append((f"categorie '{n.title}'", "staat buiten de categoriegroepen van dit thema"))
    empty = None
    if not parts:
        empty = (
            f"Tabel {table_id} heeft geen categorieën voor dit thema: "
            + ("geen categoriegroep past bij de titel '" + theme.title + "'" if top_groups else "de tabel heeft geen categoriegroepen")
            + (f" en het zoekpatroon '{theme.category_groups}' vindt niets." if theme.category_groups else ".")
        )
    return Selection(tuple(n.key for n in nodes if n.key in keep), how, tuple(left_out), empty)


def _lineage(structure: Structure, node: Node) -> list[Node]:
    """The node and its ancestors up to (not including) the total."""
    out, seen = [node], {node.key}
    cur = node.parent
    while cur is not None and cur != structure.total and cur not in seen:
        n = structure.node(cur)
        if n is None:
            break
        out.append(n)
        seen.add(cur)
        cur = n.parent
    return out


def reference_period(periods: pd.DataFrame) -> str | None:
    """The period for the data check: the latest definitive year, else the latest definitive, else the latest."""
    if periods is None or periods.empty:
        return None
    from vtdata.periods import is_provisional

    frame = periods.sort_values("code")
    final = frame[~frame["status"].map(is_provisional)]
    years = final[final["code"].astype(str).str.endswith("JJ00")]
    for candidates in (years, final, frame):
        if not candidates.empty:
            return str(candidates["code"].iloc[-1])
    return None


def theme_report(db, theme):
    """What a theme shows from the database and why (see `vtdata.theme_report`)."""
    from vtdata.theme_report import theme_report as build

    return build(db, theme)


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


__all__ = [
    "Breakdown",
    "MULTI_ANSWER_CAPTION",
    "Node",
    "ROLE_PART",
    "ROLE_SUBTOTAL",
    "ROLE_TOTAL",
    "Structure",
    "build_structure",
    "data_check",
    "exceeds_parent",
    "has_multi_answer_text",
    "normalize",
    "reference_period",
    "select_for_theme",
    "theme_report",
    "total_stem",
]
