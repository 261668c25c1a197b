"""Which regions a ranking shows, and their ranks (pure shaping, no Streamlit).

Levels with few regions (Veilig Thuis-regio's, provincies) are shown in full.
For gemeenten (about 340) a readable ranking shows the top and bottom
`TOP_N`, the selected gemeente, the gemeenten of its Veilig Thuis-regio and
any gemeenten the user added; every row carries its rank among all regions
with a known value. Regions that did not exist in the period are left out;
suppressed ones keep a row without rank ("geheim").
"""

from __future__ import annotations

import pandas as pd

TOP_N = 10
SHOW_ALL_UP_TO = 40

GROUP_ALL = "alle"
GROUP_TOP = "hoogste"
GROUP_BOTTOM = "laagste"
GROUP_SELECTED = "gekozen regio"
GROUP_NEIGHBOUR = "zelfde Veilig Thuis-regio"
GROUP_ADDED = "toegevoegd"


def rank_regions(cells: pd.DataFrame, field: str) -> pd.DataFrame:
    """All existing regions with `rank` (1 = highest known value; NaN when unknown) and `n_ranked`."""
    df = cells.copy()
    if "absent" in df.columns:
        df = df[~df["absent"].astype(bool)]
    known = df[field].notna()
    df["rank"] = df[field].where(known).rank(method="min", ascending=False)
    df["n_ranked"] = int(known.sum())
    return df


def ranking_rows(
    cells: pd.DataFrame,
    field: str,
    *,
    selected: str | None = None,
    neighbours: list[str] | tuple[str, ...] = (),
    added: list[str] | tuple[str, ...] = (),
    top: int = TOP_N,
    show_all_up_to: int = SHOW_ALL_UP_TO,
) -> pd.DataFrame:
    """The rows to draw, highest first, unknown values last; see the module docstring.

    Adds `group` (why the row is shown), `selected` and `rank_label` ("3. Utrecht").
    """
    df = rank_regions(cells, field)
    if df.empty:
        return df.assign(group=pd.Series(dtype=str), selected=pd.Series(dtype=bool), rank_label=pd.Series(dtype=str))
    full = len(df) <= show_all_up_to
    n = int(df["n_ranked"].iloc[0])
    groups = []
    for region, rank in zip(df["region"], df["rank"]):
        if region == selected:
            groups.append(GROUP_SELECTED)
        elif full:
            groups.append(GROUP_ALL)
        elif region in added:
            groups.append(GROUP_ADDED)
        elif region in neighbours:
            groups.append(GROUP_NEIGHBOUR)
        elif pd.notna(rank) and rank <= top:
            groups.append(GROUP_TOP)
        elif pd.notna(rank) and rank > n - top:
            groups.append(GROUP_BOTTOM)
        else:
            groups.append("")
    df["group"] = groups
    df = df[df["group"] != ""].copy()
    df["selected"] = df["region"] == selected
    df = df.sort_values(["rank", "region_title"], na_position="last", kind="stable")
    df["rank_label"] = [
        f"{int(r)}. {t}" if pd.notna(r) else f"– {t}" for r, t in zip(df["rank"], df["region_title"])
    ]
    return df.reset_index(drop=True)


def ranking_note(rows: pd.DataFrame, level_plural: str) -> str:
    """One Dutch sentence on what the ranking shows."""
    if rows.empty:
        return ""
    n = int(rows["n_ranked"].iloc[0])
    if (rows["group"] == GROUP_ALL).any() or len(rows) >= n:
        text = f"Alle {n} {level_plural} met een bekende waarde, van hoog naar laag."
    else:
        top = int((rows["group"] == GROUP_TOP).sum())
        bottom = int((rows["group"] == GROUP_BOTTOM).sum())
        text = (
            f"De {top} hoogste en {bottom} laagste van {n} {level_plural} en de gekozen regio"
            + (", de gemeenten van haar Veilig Thuis-regio" if (rows["group"] == GROUP_NEIGHBOUR).any() else "")
            + (" en wat u toevoegde" if (rows["group"] == GROUP_ADDED).any() else "")
            + "; het getal vóór de naam is de plaats in de hele rangorde."
        )
    secret = int(rows[rows["rank"].isna()].shape[0])
    if secret:
        text += f" {secret} getoonde regio('s) zonder bekende waarde staan onderaan."
    return text
