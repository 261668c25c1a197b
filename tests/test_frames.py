import math

import pandas as pd
import pytest

from vtdata.frames import SMALL, per_unique


@pytest.mark.parametrize("repeat", [1, SMALL])  # a few rows (called per row), and many (grouped)
def test_per_unique_gives_each_row_its_own_result_and_calls_once_per_distinct_row(repeat):
    frame = pd.DataFrame({
        "period": pd.array(["2023HJ01", "2022HJ02", "2023HJ01", None, "2022HJ02", None] * repeat, dtype="string[pyarrow]"),
        "value": [1.0, math.nan, 1.0, 2.0, math.nan, 2.0] * repeat,
    })
    calls = []

    def label(period, value):
        calls.append((period, value))
        return f"{period}|{value}"

    got = per_unique(frame, ["period", "value"], label)
    expected = [f"{p}|{v}" for p, v in zip(frame["period"], frame["value"])]
    assert list(got) == expected
    if len(frame) > SMALL:
        assert len(calls) == 3  # three distinct rows, NaN and missing strings each counted once
    else:
        assert len(calls) == 4  # a row with NaN (never equal to itself) is computed again; others once


def test_per_unique_of_nothing_is_empty():
    assert len(per_unique(pd.DataFrame({"a": []}), ["a"], str)) == 0
