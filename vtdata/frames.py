"""Small pandas helpers shared by every layer (no Streamlit, no database)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


SMALL = 64  # rows


def per_unique(frame: pd.DataFrame, columns: Sequence[str], func: Callable[..., object]) -> np.ndarray:
    """`func(*row)` for every row of `frame[columns]`, called once per distinct row.

    Labels such as "1e halfjaar 2023*" or "per 1.000 inwoners op 1 januari 2023" repeat over
    thousands of cells but take a handful of values; a Python call per cell (and iterating
    Arrow-backed strings one by one) was most of a level's cells' build time.
    """
    if frame.empty:
        return np.empty(0, dtype=object)
    if len(frame) <= SMALL:  # grouping costs more than it saves on a few rows
        results = np.empty(len(frame), dtype=object)
        results[:] = [func(*row) for row in zip(*(frame[c].tolist() for c in columns))]
        return results
    part = frame[list(columns)]
    codes = part.groupby(list(columns), dropna=False, sort=False).ngroup().to_numpy()
    firsts = part.drop_duplicates()
    results = np.empty(len(firsts), dtype=object)
    results[:] = [func(*row) for row in firsts.itertuples(index=False, name=None)]
    return results[codes]
