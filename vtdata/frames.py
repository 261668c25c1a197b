"""Small pandas helpers shared by every layer (no Streamlit, no database)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


# Up to this many rows a dictionary of the distinct rows beats pandas' grouping (which costs
# ~1.5 ms even on a few hundred rows; measured break-even: a few thousand).
SMALL = 2000  # rows


def per_unique(frame: pd.DataFrame, columns: Sequence[str], func: Callable[..., object]) -> np.ndarray:
    """`func(*row)` for every row of `frame[columns]`, called once per distinct row.

    Labels such as "1e halfjaar 2023*" or "per 1.000 inwoners op 1 januari 2023" repeat over
    thousands of cells but take a handful of values; a Python call per cell (and iterating
    Arrow-backed strings one by one) was most of a level's cells' build time.
    """
    if frame.empty:
        return np.empty(0, dtype=object)
    if len(frame) <= SMALL:
        seen: dict = {}  # a NaN key never equals itself: such rows are simply computed again
        found = []
        for row in zip(*(frame[c].tolist() for c in columns)):
            if row not in seen:
                seen[row] = func(*row)
            found.append(seen[row])
        results = np.empty(len(frame), dtype=object)
        results[:] = found
        return results
    part = frame[list(columns)]
    codes = part.groupby(list(columns), dropna=False, sort=False).ngroup().to_numpy()
    firsts = part.drop_duplicates()
    distinct = np.empty(len(firsts), dtype=object)
    distinct[:] = [func(*row) for row in firsts.itertuples(index=False, name=None)]
    return distinct[codes]
