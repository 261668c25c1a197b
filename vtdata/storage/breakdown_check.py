"""At load time: which breakdowns Nederland's figures show to allow more answers, or to be several.

`vtdata.model.structure.data_check` is run once per category dimension on the
national cells of the table's latest definitive year (first count topic, the
other dimensions at their total); the members of each breakdown whose parts add
up to more than their parent are stored in `breakdown_checks`, so every reader
of the categories (pages, reports) takes the same decision without figures. A
breakdown of the total whose parts add up to a multiple of it is first tried as
several breakdowns one after the other (`structure.split_by_sums`): when the
running sum reaches the total run after run, the runs are stored as segments.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from vtdata.model.structure import build_structure, data_check, reference_period, split_by_sums

NATIONAL = "NL01"


def record_breakdown_checks(con: duckdb.DuckDBPyConnection, table_id: str) -> None:
    dims = con.execute(
        "SELECT key, slot FROM dimensions WHERE table_id = ? AND slot IS NOT NULL ORDER BY slot", [table_id]
    ).fetchall()
    if not dims:
        return
    period = reference_period(
        con.execute("SELECT key AS code, status FROM categories WHERE table_id = ? AND dimension = 'Perioden'",
                    [table_id]).df()
    )
    measure = con.execute(
        "SELECT key FROM measures WHERE table_id = ? ORDER BY contains(coalesce(unit, ''), '%'), position LIMIT 1",
        [table_id],
    ).fetchone()
    if period is None or measure is None:
        return
    structures = {key: build_structure(_categories(con, table_id, key)) for key, _ in dims}
    totals = {key: s.total for key, s in structures.items()}
    rows = []
    for key, slot in dims:
        others = [(s, totals[k]) for k, s in dims if k != key]
        if any(total is None for _, total in others):
            continue  # no honest cells to check with
        where = " AND ".join([f"{s} = ?" for s, _ in others] or ["TRUE"])
        values = con.execute(
            f"SELECT {slot} AS category, value FROM observations WHERE table_id = ? AND region = ? AND period = ? "
            f"AND measure = ? AND {where}",
            [table_id, NATIONAL, period, measure[0], *[t for _, t in others]],
        ).df()
        checked = data_check(structures[key], values.assign(suppressed=values["value"].isna()))
        known = {str(c): float(v) for c, v in zip(values["category"], values["value"]) if pd.notna(v)}
        for before, after in zip(structures[key].breakdowns, checked.breakdowns):
            if not after.multi_answer or before.multi_answer:
                continue
            # several breakdowns of the total in one flat list, each adding up to it: cut, not "more answers"
            runs = split_by_sums(known.get(after.parent), list(after.keys), known) if after.parent == totals[key] else None
            if runs:
                rows += [(table_id, key, member, after.parent, None, i) for i, run in enumerate(runs) for member in run]
                continue
            reason = f"{after.reason} (Nederland, {period})"
            rows += [(table_id, key, member, after.parent, reason, None) for member in after.keys]
    if rows:
        frame = pd.DataFrame.from_records(rows, columns=["table_id", "dimension", "key", "parent", "reason", "segment"])
        con.register("checks", frame.astype({"reason": "object", "segment": "Int64"}))
        try:
            con.execute("INSERT INTO breakdown_checks SELECT * FROM checks")
        finally:
            con.unregister("checks")


def _categories(con, table_id: str, dimension: str) -> pd.DataFrame:
    return con.execute(
        "SELECT key, title, group_title, position FROM categories WHERE table_id = ? AND dimension = ?",
        [table_id, dimension],
    ).df()
