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

The children of one parent within one category group form a *breakdown*; the
total's children are split further where the titles show that several
breakdowns of the same total follow each other in one flat list (real
84848/84849NED: rol/functie, organisatie, duur): after a residual category
("Rol/functie onbekend", "Onbekend", "Niet van toepassing") a new breakdown
starts, and a run of three or more titles with one prefix ("Duur geweld: ...")
is a breakdown of its own (`_segments`). A
breakdown is exclusive (its parts divide the parent) unless the metadata says
more answers are possible, or national figures show that its parts add up to
more than the parent (`data_check`). Shares of the total are drawn only for one
exclusive breakdown (`share_parts`), so they never add up to more than 100 %
plus rounding.
"""

from __future__ import annotations

from vtdata.format import is_missing

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


def abbreviates(short: str, long: str) -> bool:
    """'j en v' abbreviates 'justitie en veiligheid' (word by word), 'vt' abbreviates 'veilig thuis'."""
    s, words = short.split(), long.split()
    if len(s) == len(words) > 1 and s != words:
        return all(a == b or (len(a) == 1 and b.startswith(a)) for a, b in zip(s, words))
    if len(s) == 1 and len(words) > 1 and len(s[0]) == len(words):
        return all(word.startswith(letter) for letter, word in zip(s[0], words))
    return False


def _stem_matches(prefix: str, stem: str, *, loose: bool) -> bool:
    if not prefix or not stem:
        return False
    if prefix == stem or abbreviates(prefix, stem):
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
    data_multi_answer: str | None = None  # recorded at load time (vtdata.storage.breakdown_check)
    data_segment: int | None = None  # the breakdown of the total Nederland's figures put it in (breakdown_check)
    label: str = ""  # the title, made unique within the dimension (`unique_labels`)


@dataclass(frozen=True)
class Breakdown:
    """The children of `parent` within one category group (and, for the total, one segment of it)."""

    parent: str
    group: str | None
    keys: tuple[str, ...]
    multi_answer: bool = False
    reason: str | None = None  # Dutch: why it counts as multi-answer
    segment: int = 0  # the how-manieth breakdown of the total within its group (`_segments`)


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
        """The parts among `keys` (default: all) that get a share of the total.

        For every exclusive breakdown of the total (in StatLine order), descend
        into each subtotal that has an exclusive breakdown of its own; the leaves
        reached divide the total, so the shares of one breakdown add up to at
        most 100 % (plus rounding). Several breakdowns of one total (rol/functie
        and organisatie) each get their shares. Empty without a total.
        """
        if self.total is None:
            return []
        keep = set(self.keys if keys is None else keys)
        out: list[str] = []
        for b in self.share_breakdowns(keep):
            for key in b.keys:
                if key in keep:
                    below = self._partition(key, keep, depth=1) if self.role_of(key) == ROLE_SUBTOTAL else None
                    out += below or [key]
        return out

    def top_breakdown_of(self, key: str) -> Breakdown | None:
        """The breakdown of the total that `key` is in or below (None for the total itself)."""
        seen, cur = set(), key
        while cur is not None and cur not in seen:
            seen.add(cur)
            b = self.breakdown_of(cur)
            if b is None or b.parent == self.total:
                return b
            cur = b.parent
        return None

    def breakdown_name(self, b: Breakdown) -> str:
        """A short Dutch name of a breakdown of the total: its group, the title prefix all its
        members share ("Duur geweld"), the stem of its residual ("Rol/functie" from "Rol/functie
        onbekend"), else "indeling n"."""
        if b.group:
            return b.group.split(GROUP_SEPARATOR)[-1].strip()
        titles = [self.node(k).title for k in b.keys]
        prefixes = {_first_prefix(t) for t in titles}
        if len(prefixes) == 1 and None not in prefixes and len(titles) > 1:
            return titles[0].split(":")[0].strip()
        for t in titles:
            m = re.match(r"^(?P<stem>.+?)\s+onbekend$", t.strip(), re.I)
            if m:
                return m.group("stem")
        own = [x for x in self.breakdowns if x.parent == b.parent and x.group == b.group]
        return f"indeling {own.index(b) + 1}" if len(own) > 1 else "indeling"

    def share_breakdowns(self, keys=None) -> list[Breakdown]:
        """The exclusive breakdowns of the total with a member among `keys`."""
        keep = set(self.keys if keys is None else keys)
        return [b for b in self.breakdowns
                if b.parent == self.total and not b.multi_answer and any(k in keep for k in b.keys)]

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
    labels = unique_labels(out)
    nodes = tuple(replace(n, label=labels[n.key]) for n in out)
    breakdowns = _breakdowns(nodes, texts)
    reason = None
    if total is None:
        reason = "Geen totaal gevonden (niets heet 'Totaal' buiten een groep); daarom geen aandelen."
    return Structure(nodes, total.key if total else None, breakdowns, reason)


def unique_labels(nodes: list[Node]) -> dict[str, str]:
    """key -> the title as shown, unique within the dimension.

    A title that occurs more than once ("Totaal" under Hermelding and under
    Vervolgmelding) carries its group, else its parent's title: "Hermelding:
    totaal". Charts, tables, the headline and exports all use these labels, so
    two bars never share one name.
    """
    by_key = {n.key: n for n in nodes}
    counts: dict[str, int] = {}
    for n in nodes:
        counts[normalize(n.title)] = counts.get(normalize(n.title), 0) + 1
    labels = {}
    for n in nodes:
        context = _context_name(n, by_key) if counts[normalize(n.title)] > 1 else None
        labels[n.key] = f"{context}: {_lower_first(n.title)}" if context else n.title
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[normalize(label)] = seen.get(normalize(label), 0) + 1
    return {k: (f"{v} ({k})" if seen[normalize(v)] > 1 else v) for k, v in labels.items()}


def labels_of(categories: pd.DataFrame) -> dict[str, str]:
    """key -> label of a dimension's categories (`Database.categories`), as the pages show them."""
    return {n.key: n.label for n in build_structure(categories).nodes}


def topic_labels(measures: pd.DataFrame) -> dict[str, str]:
    """key -> label of a table's topics (`Database.measures`), unique within each top-level topic
    group, as a page shows one group at a time ("Hermelding: totaal")."""
    out: dict[str, str] = {}
    if measures is None or measures.empty:
        return out
    groups = measures["group_title"].map(lambda g: "" if is_missing(g) else str(g))
    tops = groups.map(lambda g: g.split(GROUP_SEPARATOR)[0])
    for top in dict.fromkeys(tops):
        rows = measures[tops == top]
        inner = [g[len(top) + len(GROUP_SEPARATOR):] if g.startswith(top + GROUP_SEPARATOR) else None
                 for g in groups[tops == top]]
        frame = pd.DataFrame({"key": rows["key"].astype(str), "title": rows["title"].astype(str), "group_title": inner,
                              "position": rows["position"] if "position" in rows.columns else range(len(rows))})
        out.update({n.key: n.label for n in build_structure(frame).nodes})
    return out


def _context_name(n: Node, by_key: dict[str, Node]) -> str | None:
    if n.group:
        return n.group.split(GROUP_SEPARATOR)[-1].strip()
    parent = by_key.get(n.parent) if n.parent else None
    return parent.title if parent is not None else None


def _lower_first(title: str) -> str:
    """'Totaal' -> 'totaal' after a colon, as CBS writes 'Gezondheidszorg: totaal'; 'GGZ' stays."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def _nodes(categories: pd.DataFrame) -> list[Node]:
    if categories is None or categories.empty:
        return []
    frame = categories.sort_values("position", kind="stable") if "position" in categories.columns else categories
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        group = row.get("group_title")
        group = None if is_missing(group) or not str(group).strip() else str(group).strip()
        title = str(row.get("title") or "").strip()
        out.append(
            Node(
                key=str(row["key"]).strip(),
                title=title,
                group=group,
                position=i,
                description=None if is_missing(row.get("description")) else str(row.get("description")),
                unit=None if is_missing(row.get("unit")) else str(row.get("unit")),
                group_description=None if is_missing(row.get("group_description")) else str(row.get("group_description")),
                data_multi_answer=None if is_missing(row.get("data_multi_answer")) else str(row.get("data_multi_answer")),
                data_segment=None if is_missing(row.get("data_segment")) else int(row.get("data_segment")),
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
    for (parent, group), members in order.items():
        segments = _segments([by_key[k] for k in members]) if parent == total else [[by_key[k] for k in members]]
        for segment, part in enumerate(segments):
            out.append(_breakdown(parent, group, tuple(n.key for n in part), segment, by_key, texts))
    return tuple(out)


# A breakdown of the total that ends in a residual category is followed by another one.
_RESIDUAL = re.compile(r"^(onbekend|niet van toepassing)\b|\bonbekend$")
# This many consecutive siblings with one title prefix ("Duur geweld: ...") are a breakdown of their own.
FAMILY_MIN = 3


def is_residual(title) -> bool:
    """'Onbekend', 'Rol/functie onbekend', 'Niet van toepassing', 'Onbekend/niet getaxeerd'."""
    return _RESIDUAL.search(normalize(title)) is not None


def _first_prefix(title) -> str | None:
    prefixes = colon_prefixes(title)
    return prefixes[-1] if prefixes else None


def _segments(members: list[Node]) -> list[list[Node]]:
    """The total's children of one group, split into the breakdowns that follow each other.

    The titles cut first (residuals, prefix families); a piece that Nederland's figures cut
    further at load time (`data_segment`: runs that each add up to the total) is cut there too.
    """
    out: list[list[Node]] = []
    for piece in _title_segments(members):
        if all(n.data_segment is not None for n in piece):
            runs: dict[int, list[Node]] = {}
            for n in piece:
                runs.setdefault(n.data_segment, []).append(n)
            out += runs.values()
        else:
            out.append(piece)
    return out


def _title_segments(members: list[Node]) -> list[list[Node]]:
    cuts: set[int] = set()
    prefixes = [_first_prefix(n.title) for n in members]
    start = 0
    while start < len(members):
        end = start
        while prefixes[start] and end + 1 < len(members) and prefixes[end + 1] == prefixes[start]:
            end += 1
        if prefixes[start] and end - start + 1 >= FAMILY_MIN:
            cuts |= {start, end + 1}
        start = end + 1
    for i in range(1, len(members)):
        if is_residual(members[i - 1].title) and not is_residual(members[i].title):
            cuts.add(i)
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(members)), len(members)]
    return [members[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _breakdown(parent: str, group: str | None, keys: tuple[str, ...], segment: int, by_key: dict, texts: tuple) -> Breakdown:
    member_texts = [by_key[k].description for k in keys] + [by_key[k].group_description for k in keys]
    member_texts.append(by_key[parent].description)
    phrase = has_multi_answer_text(*member_texts, *_sentences_about(texts, group, by_key[parent].title))
    reason = f"de beschrijving zegt '{phrase}'" if phrase else None
    if reason is None:  # the data check recorded at load time
        reason = next((by_key[k].data_multi_answer for k in keys if by_key[k].data_multi_answer), None)
    return Breakdown(parent, group, keys, reason is not None, reason, segment)


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
    if parent_value is None or is_missing(parent_value):
        return False
    known = [float(v) for v in part_values if v is not None and not is_missing(v)]
    if len(known) < 2:
        return False
    tolerance = ROUNDING_HALF_STEP * (len(known) + 1) + RELATIVE_MARGIN * abs(float(parent_value))
    return sum(known) > float(parent_value) + tolerance


def _values(cells) -> dict[str, float]:
    if cells is None:
        return {}
    if isinstance(cells, Mapping):
        return {str(k): v for k, v in cells.items() if not is_missing(v)}
    frame = cells
    if frame.empty:
        return {}
    if "suppressed" in frame.columns:
        frame = frame[~frame["suppressed"].astype(bool)]
    return {str(k): float(v) for k, v in zip(frame["category"], frame["value"]) if not is_missing(v)}


def split_by_sums(parent_value, keys: list[str], values: Mapping[str, float]) -> list[list[str]] | None:
    """Cut `keys` (in StatLine order) into runs that each add up to the parent, or None.

    For a flat list that holds several breakdowns of one total one after the other
    (rol/functie, organisatie, duur): walk the list and cut where the running sum
    reaches the parent within rounding (`exceeds_parent`'s tolerance). Only when
    every member is known and every run closes, with at least two runs.
    """
    if is_missing(parent_value) or any(k not in values for k in keys):
        return None
    parent = float(parent_value)

    def close(total: float, n: int) -> bool:
        return abs(total - parent) <= ROUNDING_HALF_STEP * (n + 1) + RELATIVE_MARGIN * abs(parent)

    runs, current, total = [], [], 0.0
    for i, key in enumerate(keys):
        current.append(key)
        total += float(values[key])
        following = float(values[keys[i + 1]]) if i + 1 < len(keys) else None
        # cut where the run reaches the parent, unless the next member (an empty "onbekend") still fits in it
        if len(current) >= 2 and close(total, len(current)) and not (
                following is not None and close(total + following, len(current) + 1)):
            runs.append(current)
            current, total = [], 0.0
        elif total > parent + ROUNDING_HALF_STEP * (len(current) + 1) + RELATIVE_MARGIN * abs(parent):
            return None
    return runs if not current and len(runs) >= 2 else None


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
    unplaced: tuple[str, ...] = ()  # shown here because no rule places them in a theme
    excluded: tuple[tuple[str, str], ...] = ()  # (key, why) of every category left out, Dutch


def title_words(text) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", normalize(text)) if len(w) >= 3 and w not in STOPWORDS}


def _word_match(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))


def _score(words: set[str], title: str) -> int:
    other = title_words(title)
    return sum(1 for w in words if any(_word_match(w, o) for o in other))


def _top_group(group: str | None) -> str | None:
    return group.split(GROUP_SEPARATOR)[0] if group else None


UNPLACED_LABEL = "Overig / niet ingedeeld"


def select_for_theme(theme, structure: Structure, table_id: str, sharing: tuple = ()) -> Selection:
    """The categories of `structure` that belong to `theme`.

    1. One theme uses the table: every category.
    2. Several themes share it: the dimension is cut into units, each unit
       goes to one theme, and the theme takes its units:
       - with CategoryGroups, a unit is a top-level group; it goes to the theme
         whose title shares the most words with the group title (words in every
         sharing theme's title do not count), else to the theme whose catalog
         pattern (`theme.category_groups`) matches the group title;
       - without groups, a unit is a breakdown of the total (`_segments`: rol/
         functie, organisatie, duur) with everything below it; it goes to the
         theme whose pattern matches the most titles in it.
       Categories outside any group follow their parent.
    3. Nothing is dropped silently: a unit no rule places is shown by the first
       theme of the table (catalog order) as "Overig / niet ingedeeld" and
       listed in `Selection.unplaced`.
    The total is always kept.
    """
    nodes = structure.nodes
    if not nodes:
        return Selection((), "geen categorieën", (), f"Tabel {table_id} heeft geen categorieën in deze dimensie.")
    # a theme outside the table's sharing themes (e.g. a test's) is treated as the table's only user
    themes = [theme, *[t for t in sharing if t.slug != theme.slug]] if theme in sharing else [theme]
    if len(themes) == 1 and not theme.category_groups:
        return Selection(tuple(n.key for n in nodes), f"alle categorieën (alleen dit thema gebruikt tabel {table_id})")
    units = _units(structure)
    by_group = any(n.group for n in nodes)
    owners = {unit: _owner(unit, members, structure, themes) for unit, members in units.items()}
    first = next((t for t in sharing if t in themes), theme)
    keep: set[str] = set()
    unplaced: list[str] = []
    left_out: list[tuple[str, str]] = []
    excluded: list[tuple[str, str]] = []
    shared = len(themes) > 1  # only then does an unplaced unit go to the first theme; alone, a pattern filters
    for unit, members in units.items():
        owner = owners[unit]
        if owner == theme.slug or (owner is None and shared and first.slug == theme.slug):
            keep.update(members)
            if owner is None:
                unplaced += members
        else:
            why = (f"hoort bij het thema '{_theme_title(themes, owner)}'" if owner
                   else f"past bij geen thema; getoond bij '{first.title}' als {UNPLACED_LABEL.lower()}" if shared
                   else f"past niet bij het zoekpatroon '{theme.category_groups}' van dit thema")
            left_out.append((_unit_name(unit, members, structure), why))
            excluded += [(key, why) for key in members]
    if structure.total:
        keep.add(structure.total)
    mine = [u for u, o in owners.items() if o == theme.slug]
    rule = "categoriegroepen" if by_group else "indelingen van het totaal (uit de titels)"
    how = f"{rule}: " + (", ".join(_unit_name(u, units[u], structure) for u in mine) or "geen")
    if unplaced:
        how += f"; {UNPLACED_LABEL.lower()}: {len(unplaced)} categorieën"
    parts = [k for k in keep if k != structure.total]
    empty = None
    if not parts:
        empty = (
            f"Tabel {table_id} heeft geen categorieën voor dit thema: "
            + ("geen categoriegroep past bij de titel '" + theme.title + "'" if by_group
               else "geen indeling van het totaal past bij dit thema")
            + (f" en het zoekpatroon '{theme.category_groups}' vindt niets." if theme.category_groups else ".")
        )
    ordered = tuple(n.key for n in nodes if n.key in keep)
    return Selection(ordered, how, tuple(left_out), empty, tuple(k for k in ordered if k in set(unplaced)),
                     tuple(excluded))


def _units(structure: Structure) -> dict[tuple, list[str]]:
    """Every category but the total, by the unit it is assigned to a theme with."""
    units: dict[tuple, list[str]] = {}
    for n in structure.nodes:
        if n.key == structure.total:
            continue
        units.setdefault(_unit_of(structure, n), []).append(n.key)
    return units


def _unit_of(structure: Structure, node: Node) -> tuple:
    chain = lineage(structure, node)
    grouped = next((a for a in chain if a.group), None)
    if grouped is not None:
        return ("group", _top_group(grouped.group))
    top = chain[-1]  # the ancestor right below the total
    b = structure.breakdown_of(top.key)
    return ("breakdown", b.group if b else None, b.segment if b else 0)


def _owner(unit: tuple, members: list[str], structure: Structure, themes: list) -> str | None:
    """The slug of the theme a unit belongs to, None when no rule decides."""
    if unit[0] == "group":
        group = unit[1]
        common = set.intersection(*(title_words(t.title) for t in themes)) if len(themes) > 1 else set()
        scores = {t.slug: _score(title_words(t.title) - common, group) for t in themes}
        winner = _unique_best(scores)
        if winner:
            return winner
        texts = [group]
    else:
        texts = [structure.node(k).title for k in members]
    hits = {t.slug: sum(bool(re.search(t.category_groups, x, re.I)) for x in texts) if t.category_groups else 0
            for t in themes}
    return _unique_best(hits)


def _unique_best(scores: dict[str, int]) -> str | None:
    best = max(scores.values(), default=0)
    winners = [slug for slug, v in scores.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _theme_title(themes: list, slug: str) -> str:
    return next(t.title for t in themes if t.slug == slug)


def _unit_name(unit: tuple, members: list[str], structure: Structure) -> str:
    if unit[0] == "group":
        return f"groep '{unit[1]}'"
    first, last = structure.node(members[0]), structure.node(members[-1])
    return f"indeling '{first.label}' … '{last.label}'" if len(members) > 1 else f"categorie '{first.label}'"


def lineage(structure: Structure, node: Node) -> list[Node]:
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
    from vtdata.model.periods import is_provisional

    frame = periods.sort_values("code")
    final = frame[~frame["status"].map(is_provisional)]
    years = final[final["code"].astype(str).str.endswith("JJ00")]
    for candidates in (years, final, frame):
        if not candidates.empty:
            return str(candidates["code"].iloc[-1])
    return None


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
    "total_stem",
]
