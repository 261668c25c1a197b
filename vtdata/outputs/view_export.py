"""The CSV and the on-page table of one view: exactly the figures a chart shows."""

from __future__ import annotations

import pandas as pd

from vtdata.format import is_missing, slugify
from vtdata.model.view_spec import MODE_DIMENSION, ViewSpec
from vtdata.outputs.export import format_cell

# Symbols of the CSV export, as StatLine uses them.
SYMBOL_SUPPRESSED = "."
SYMBOL_PROVISIONAL = "*"



def export_frame(cells: pd.DataFrame, spec: ViewSpec, *, source: str, with_share: bool = False) -> pd.DataFrame:
    """Exactly what a chart shows, for the CSV download: codes, titles, value, symbol, table, source.

    `source` is the database's source line (`vtdata.outputs.export.source_label`). Values
    are text with StatLine's own decimals and a decimal comma: a count is '650',
    not '650,0'; a suppressed cell is empty.
    """
    rows = pd.DataFrame(
        {
            "tabel": cells["table_id"].astype(str),
            "regio_code": cells["region"].astype(str),
            "regio": cells["region_title"].astype(str),
            "periode_code": cells["period"].astype(str),
            "periode": cells["period_title"].astype(str),
        }
    )
    if spec.mode == MODE_DIMENSION:
        rows["onderwerp_code"] = cells["measure"].astype(str)
        rows["onderwerp"] = cells["measure_title"].astype(str)
        rows[f"{spec.dimension}_code"] = cells["category"].astype(str)
        rows[spec.dimension] = cells["category_title"].astype(str)
        for dim, key in spec.fixed:
            rows[f"{dim}_code"] = key
            if f"{dim}_title" in cells.columns:
                rows[dim] = cells[f"{dim}_title"].astype(str)
    else:
        rows["onderwerp_code"] = cells["category"].astype(str)
        rows["onderwerp"] = cells["category_title"].astype(str)
    rows["eenheid"] = cells["unit"].fillna("").astype(str)
    rows["waarde"] = [
        "" if s else format_cell(v, d, decimal_mark=",")
        for v, d, s in zip(cells["value"], cells["decimals"], cells["suppressed"])
    ]
    rows["symbool"] = [
        SYMBOL_SUPPRESSED if s else (SYMBOL_PROVISIONAL if p else "")
        for s, p in zip(cells["suppressed"], cells["provisional"])
    ]
    if with_share and "share" in cells.columns:
        rows["aandeel_procent"] = ["" if is_missing(s) else format_cell(s * 100, 1, decimal_mark=",") for s in cells["share"]]
    if _has_rates(cells):
        rows["per_1000"] = ["" if is_missing(r) else format_cell(r, 2 if abs(r) < 10 else 1, decimal_mark=",") for r in cells["rate"]]
        rows["per_1000_basis"] = cells["rate_basis"].fillna("").astype(str)
    if "absent" in cells.columns and cells["absent"].any():
        rows["opmerking"] = ["regio bestond in deze periode niet" if a else "" for a in cells["absent"]]
    rows["bron"] = source
    return rows.reset_index(drop=True)


def display_frame(cells: pd.DataFrame, *, with_share: bool = False, columns: tuple[str, ...] = ("region_title", "period_label", "category_title")) -> pd.DataFrame:
    """Dutch-formatted strings of the same figures, for the on-page table."""
    names = {"region_title": "Regio", "period_label": "Periode", "category_title": "Categorie"}
    out = pd.DataFrame({names[c]: cells[c].astype(str) for c in columns})
    out["Waarde"] = cells["value_label"].astype(str)
    if with_share and "share_label" in cells.columns:
        out["Aandeel"] = cells["share_label"].astype(str)
    if _has_rates(cells):
        out["Per 1.000"] = cells["rate_label"].astype(str)
        out["Per 1.000: basis"] = cells["rate_basis"].astype(str)
    out["Voorlopig"] = ["ja" if p else "" for p in cells["provisional"]]
    return out.reset_index(drop=True)


def _has_rates(cells: pd.DataFrame) -> bool:
    return "rate" in cells.columns and bool(cells["rate"].notna().any())


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Dutch spreadsheets: ';' separated, decimal comma, UTF-8 with BOM.

    `export_frame` already writes its numbers as text; `decimal` covers any other frame.
    """
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def csv_filename(*parts: str) -> str:
    return "veilig-thuis_" + "_".join(slugify(p) for p in parts if p) + ".csv"


# ---------------------------------------------------------------------------
