"""Tidy export rows of one table: codes, titles, StatLine's value, symbols."""

from __future__ import annotations

import math

import pandas as pd

from vtdata.model.periods import is_provisional
from vtdata.storage.queries import Database
from vtdata.model.structure import labels_of, topic_labels

SUPPRESSED_SYMBOL = "."
PROVISIONAL_SYMBOL = "*"
SOURCE_LABELS = {
    "statline": "CBS StatLine",
    "demo": "DEMO: demonstratiegegevens, geen CBS-cijfers",
}


def source_label(source: str | None) -> str:
    """The source line of every export: demo data never pass for CBS figures."""
    source = source or ""
    return SOURCE_LABELS.get(source, source)


def format_cell(value: float, decimals, decimal_mark: str = ".") -> str:
    """StatLine's value as text with the topic's own decimals (a count as '650'); '' when suppressed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    places = int(decimals) if decimals is not None and not pd.isna(decimals) else 0
    return f"{value:.{places}f}".replace(".", decimal_mark)


def export_frame(db: Database, table_id: str, regions=None, periods=None) -> pd.DataFrame:
    cells = db.observations(table_id, regions=regions, periods=periods)
    dims = db.dimensions(table_id)["key"].tolist()
    out = pd.DataFrame(
        {
            "table_id": cells["table_id"],
            "region": cells["region"],
            "region_title": cells["region_title"],
            "period": cells["period"],
            "period_title": cells["period_title"],
            "period_status": cells["period_status"],
            "measure": cells["measure"],
            # titles as the pages label them: a title CBS repeats carries its group ("Hermelding: totaal")
            "measure_title": cells["measure"].map(topic_labels(db.measures(table_id))).fillna(cells["measure_title"]),
            "unit": cells["unit"],
        }
    )
    for key in dims:
        out[key] = cells[key]
        out[f"{key}_title"] = cells[key].map(labels_of(db.categories(table_id, key))).fillna(cells[f"{key}_title"])
    out["value"] = [format_cell(v, d) for v, d in zip(cells["value"], cells["decimals"])]
    provisional = cells["period_status"].map(is_provisional)
    out["symbol"] = [
        (SUPPRESSED_SYMBOL if s else "") + (PROVISIONAL_SYMBOL if p else "")
        for s, p in zip(cells["suppressed"], provisional)
    ]
    out["source"] = source_label(db.meta().get("source"))
    return out
