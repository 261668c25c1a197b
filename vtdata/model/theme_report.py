"""Per theme: which table, topics, categories and total it shows, what it leaves out and why.

The same decisions the theme pages take (`vtdata.model.view_spec` views on the
metadata, checked against Nederland's figures in the latest definitive year),
written down for `python -m vtdata status --themes` and for a page that has
nothing to show. Texts for users are Dutch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from vtdata.model.view_spec import MULTI_ANSWER_CAPTION, ViewSpec, dimension_view, measure_groups, measures_in_group, measures_view
from vtdata.model.catalog import TABLES, Theme
from vtdata.model.structure import reference_period

NATIONAL = "NL01"


@dataclass
class ViewChoice:
    """One breakdown a theme page can show: a dimension, or a topic group."""

    dimension: str | None
    dimension_title: str | None
    group: str | None
    measure: str | None
    how: str
    categories: list[dict]
    total: dict | None
    share_parts: list[str]
    multi_answer: bool
    fixed: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)
    no_share_reason: str | None = None
    empty_reason: str | None = None
    excluded: list[dict] = field(default_factory=list)  # key, title, reason of each category not shown


@dataclass
class TableChoice:
    table_id: str
    title: str
    topics: list[dict]
    views: list[ViewChoice]
    notes: list[str] = field(default_factory=list)  # what the load left out
    reference_period: str | None = None
    empty_reason: str | None = None
    warnings: list[str] = field(default_factory=list)  # reported by the checks before publishing
    # the contract of `status --themes --json`: every category the page shows, and what it leaves out
    categories: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)

    def __post_init__(self):
        seen: dict[str, dict] = {}
        for view in self.views:
            for c in view.categories:
                seen.setdefault(c["key"], c)
        self.categories = list(seen.values())
        dropped: dict[str, dict] = {}
        for view in self.views:
            for item in view.excluded:
                if item["key"] not in seen:
                    dropped.setdefault(item["key"], item)
        self.left_out = list(dropped.values())


@dataclass
class ThemeReport:
    slug: str
    title: str
    tables: list[TableChoice]
    missing_tables: list[str]
    empty_reason: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def theme_report(db, theme: Theme) -> ThemeReport:
    """What `theme` shows from `db` (a `vtdata.storage.queries.Database`)."""
    held = set(db.tables()["table_id"])
    present = [t for t in theme.tables if t in held]
    missing = [t for t in theme.tables if t not in held]
    period = reference_period(db.periods())
    tables = [_table_choice(db, theme, t, period) for t in present]
    empty = None
    if not present:
        empty = f"Geen van de tabellen van dit thema ({', '.join(theme.tables)}) zit in de database; ververs de gegevens."
    elif all(t.empty_reason for t in tables):
        empty = tables[0].empty_reason
    return ThemeReport(theme.slug, theme.title, tables, missing, empty)


def _table_choice(db, theme: Theme, table_id: str, period: str | None) -> TableChoice:
    info = db.tables().set_index("table_id").loc[table_id]
    measures = db.measures(table_id)
    dims = db.dimensions(table_id)
    notes = db.load_notes(table_id)
    topics = [
        {"key": str(r.key), "title": str(r.title), "unit": None if pd.isna(r.unit) else str(r.unit),
         "group": None if pd.isna(r.group_title) else str(r.group_title)}
        for r in measures.itertuples(index=False)
    ]
    title = str(info["title"]) if "title" in info else TABLES.get(table_id, table_id)
    if measures.empty:
        return TableChoice(table_id, title, topics, [], notes, period, f"Tabel {table_id} heeft geen onderwerpen.")
    texts = tuple(str(info[c]) for c in ("description", "short_description") if c in info and not pd.isna(info[c]))
    views: list[ViewChoice] = []
    if dims.empty:
        for group in measure_groups(measures):
            ref = _reference_measures(db, table_id, measures_in_group(measures, group), period)
            spec = measures_view(table_id, measures, group=group, reference=ref)
            views.append(_view_choice(spec))
    else:
        measure = _count_measure(measures)
        for dim in dims.sort_values("position")["key"].astype(str):
            # the national data check was recorded at load time (vtdata.storage.breakdown_check)
            spec = dimension_view(theme, table_id, measures, dims, lambda d: db.categories(table_id, d),
                                     measure=measure, dimension=dim, texts=texts)
            views.append(_view_choice(spec))
    empty = None
    if views and all(v.empty_reason for v in views):
        empty = views[0].empty_reason
    return TableChoice(table_id, title, topics, views, notes, period, empty, db.structure_notes(table_id))


def _view_choice(spec: ViewSpec) -> ViewChoice:
    share = set(spec.share_keys)
    units = _units(spec)
    cats = [
        {"key": c.key, "title": c.title, "label": c.label, "role": c.role, "parent": c.parent,
         "share": c.key in share, "multi_answer": c.multi_answer, "unit": units.get(c.key, spec.unit),
         "unplaced": c.unplaced}
        for c in spec.categories
    ]
    total = {"key": spec.total_key, "title": spec.title_of(spec.total_key)} if spec.total_key else None
    left_out = [{"what": what, "why": why} for what, why in spec.left_out]
    for c in spec.categories:
        if c.key in share or c.key == spec.total_key or not spec.has_shares:
            continue
        if c.multi_answer:
            left_out.append({"what": f"aandeel van '{c.title}'", "why": MULTI_ANSWER_CAPTION})
        elif c.role == "part":
            left_out.append({"what": f"aandeel van '{c.title}'",
                             "why": "een andere indeling van hetzelfde totaal; alleen de eerste indeling krijgt aandelen"})
    return ViewChoice(
        dimension=spec.dimension,
        dimension_title=spec.dimension_title,
        group=spec.group,
        measure=spec.measure,
        how=spec.selection or "",
        categories=cats,
        total=total,
        share_parts=list(spec.share_keys),
        multi_answer=spec.multi_answer,
        fixed=[{"dimension": d, "key": k} for d, k in spec.fixed],
        left_out=left_out,
        no_share_reason=None if spec.has_shares else spec.no_share_reason,
        empty_reason=spec.empty_reason,
        excluded=[{"key": k, "title": t, "reason": why} for k, t, why in spec.excluded],
    )


def _units(spec: ViewSpec) -> dict[str, str | None]:
    """key -> unit: a topic's own unit in a view of topics, else the measure's."""
    return dict(spec.units) if spec.units else {}


def _count_measure(measures: pd.DataFrame) -> str:
    """The first topic that is a count (the data check needs counts)."""
    ordered = measures.sort_values("position")
    counts = ordered[~ordered["unit"].fillna("").astype(str).str.contains("%")]
    return str((counts if not counts.empty else ordered)["key"].iloc[0])


def _reference_measures(db, table_id: str, rows: pd.DataFrame, period: str | None) -> pd.DataFrame | None:
    if period is None or rows.empty:
        return None
    obs = db.observations(table_id, regions=[NATIONAL], periods=[period], measures=rows["key"].astype(str).tolist())
    if obs.empty:
        return None
    return pd.DataFrame({"category": obs["measure"].astype(str), "value": obs["value"]})


# ---------------------------------------------------------------------------
# Plain text for the CLI

ROLE_LABELS = {"total": "totaal", "subtotal": "subtotaal", "part": "deel"}


def report_lines(report: ThemeReport) -> list[str]:
    """The report as Dutch text lines."""
    lines = [f"Thema {report.slug} ({report.title})"]
    if report.missing_tables:
        lines.append(f"  ontbrekende tabellen: {', '.join(report.missing_tables)}")
    if report.empty_reason:
        lines.append(f"  LEEG: {report.empty_reason}")
    for table in report.tables:
        lines.append(f"  tabel {table.table_id}: {table.title}")
        units = sorted({t['unit'] or '' for t in table.topics})
        lines.append(f"    onderwerpen ({len(table.topics)}; eenheid {', '.join(u for u in units if u) or '-'}): "
                     + "; ".join(t["title"] for t in table.topics))
        for note in table.notes:
            lines.append(f"    weggelaten bij het laden: {note}")
        for warning in table.warnings:
            lines.append(f"    let op (wel gepubliceerd): {warning}")
        if table.reference_period:
            lines.append(f"    controle op Nederland in {table.reference_period}")
        for view in table.views:
            label = f"dimensie {view.dimension} ({view.dimension_title})" if view.dimension else f"onderwerpgroep '{view.group or 'Overige onderwerpen'}'"
            lines.append(f"    {label}: {view.how}")
            if view.empty_reason:
                lines.append(f"      LEEG: {view.empty_reason}")
                continue
            total = f"{view.total['title']} ({view.total['key']})" if view.total else "geen"
            lines.append(f"      totaal: {total}; aandelen voor {len(view.share_parts)} categorieën"
                         + ("; meerdere antwoorden mogelijk" if view.multi_answer else ""))
            if view.no_share_reason:
                lines.append(f"      {view.no_share_reason}")
            parents = {c["key"]: c["parent"] for c in view.categories}
            for c in view.categories:
                mark = " [aandeel]" if c["share"] else (" [meerdere antwoorden]" if c["multi_answer"] else "")
                if c["unplaced"]:
                    mark += " [overig / niet ingedeeld]"
                indent = "  " * _depth(c["key"], parents)
                title = c["label"] if c["label"] == c["title"] else f"{c['label']} (CBS: '{c['title']}')"
                lines.append(f"        {indent}{ROLE_LABELS.get(c['role'], c['role'])}: {title} ({c['key']}){mark}")
            for item in view.left_out:
                lines.append(f"      weggelaten: {item['what']}: {item['why']}")
    return lines


def _depth(key: str, parents: dict) -> int:
    depth, cur, seen = 0, parents.get(key), {key}
    while cur is not None and cur in parents and cur not in seen:
        seen.add(cur)
        cur = parents.get(cur)
        depth += 1
    return max(depth - 1, 0)
