"""vtdata.format against fixed Dutch texts and the tests' own formatter."""

from __future__ import annotations

import math

import pytest

from tests import dutch
from vtdata.format import format_number, format_percent, format_value


@pytest.mark.parametrize(
    "value, decimals, text",
    [(0, 0, "0"), (5, 0, "5"), (12345, 0, "12.345"), (1234567.0, 0, "1.234.567"), (4.5, 1, "4,5"), (1000, 1, "1.000,0")],
)
def test_format_number_fixed_cases(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_agrees_with_an_independent_formatter():
    values = [0, 5, 995, 1000, 63100, 70500.0, 1_234_565, 8.518, 12.25, 99.95, 0.05]
    for value in values:
        for decimals in (0, 1, 2):
            assert format_number(value, decimals) == dutch.number(value, decimals), (value, decimals)
        assert format_percent(value, 1) == dutch.percent(value, 1)


def test_suppressed_is_geheim_never_zero():
    assert format_value(math.nan, "aantal", 0, suppressed=True) == "geheim"
    assert format_value(0.0, "aantal", 0) == "0"
