"""Fit a StatLine snapshot to the database schema, leaving out what does not fit.

A table with a region code of an unknown level, an unknown period code or more
category dimensions than the schema has slots must not block the publication
of the other tables: the loader takes what fits and records, per table, what
was left out and why (`load_notes`, shown by `python -m vtdata status --themes`).
"""

from __future__ import annotations

import pandas as pd

from vtdata.model.catalog import region_level
from vtdata.storage.group_titles import group_titles
from vtdata.model.periods import is_period_code
from vtdata.storage.schema import CATEGORY_SLOTS
from vtdata.source.snapshot import CATEGORY_GROUPS, DATA_PROPERTIES, TYPED_DATA_SET, TableSnapshot
from vtdata.model.structure import build_structure


class UnfitTable(Exception):
    """Nothing honest can be loaded of this table (one-line Dutch message)."""


def fit_snapshot(snapshot: TableSnapshot) -> tuple[TableSnapshot, list[str]]:
    """The snapshot reduced to what the schema holds, and Dutch notes on what was left out."""
    notes: list[str] = []
    entities = dict(snapshot.entities)
    filters: dict[str, set[str]] = {}  # dimension key -> the stripped category keys to keep

    for dimension, known, what in (("RegioS", lambda k: region_level(k) is not None, "regiocode(s) van een onbekend regioniveau"),
                                   ("Perioden", is_period_code, "periodecode(s) van een onbekende vorm")):
        rows = entities.get(dimension) or []
        bad = [str(r["Key"]).strip() for r in rows if not known(str(r["Key"]).strip())]
        if bad:
            filters[dimension] = {str(r["Key"]).strip() for r in rows} - set(bad)
            entities[dimension] = [r for r in rows if str(r["Key"]).strip() not in bad]
            shown = ", ".join(bad[:5]) + (f" en {len(bad) - 5} andere" if len(bad) > 5 else "")
            notes.append(f"{len(bad)} {what} weggelaten: {shown}.")

    props = list(snapshot.data_properties)
    dims = [p for p in props if p.get("Type") == "Dimension"]
    for extra in dims[len(CATEGORY_SLOTS):]:
        key = str(extra["Key"]).strip()
        cats = entities.get(extra["Key"]) or entities.get(key) or []
        total = _total_of(key, cats, entities.get(CATEGORY_GROUPS) or [])
        if total is None:
            raise UnfitTable(
                f"Tabel {snapshot.table_id} heeft meer dan {len(CATEGORY_SLOTS)} categoriedimensies en de extra "
                f"dimensie {key} heeft geen totaal om op vast te zetten."
            )
        filters[extra["Key"]] = {total[0].strip()}
        props.remove(extra)
        entities.pop(extra["Key"], None)
        notes.append(
            f"Dimensie {key} ({str(extra.get('Title') or '').strip()}) vastgezet op '{total[1]}': de tabel heeft meer "
            f"dan {len(CATEGORY_SLOTS)} categoriedimensies; {len(cats) - 1} andere categorieën niet geladen."
        )
    if not filters:
        return snapshot, notes
    entities[DATA_PROPERTIES] = props
    dropped = {dim for dim in filters if dim not in ("RegioS", "Perioden")}
    entities[TYPED_DATA_SET] = [
        {k: v for k, v in row.items() if k not in dropped}  # a copy: the snapshot may be served again
        for row in snapshot.rows
        if all(str(row.get(dim) or "").strip() in keys for dim, keys in filters.items())
    ]
    return TableSnapshot(snapshot.table_id, entities), notes


def _total_of(dimension: str, categories: list[dict], groups: list[dict]) -> tuple[str, str] | None:
    """(padded key, title) of the dimension's grand total, by the rules of `vtdata.model.structure`."""
    paths = group_titles([g for g in groups if str(g.get("DimensionKey") or "").strip() == dimension])
    frame = pd.DataFrame(
        {
            "key": [str(c["Key"]).strip() for c in categories],
            "title": [c.get("Title") for c in categories],
            "group_title": [paths.get(c.get("CategoryGroupID")) for c in categories],
            "position": range(len(categories)),
        }
    )
    structure = build_structure(frame)
    if structure.total is None:
        return None
    for c in categories:
        if str(c["Key"]).strip() == structure.total:
            return str(c["Key"]), str(c.get("Title") or "").strip()
    return None

