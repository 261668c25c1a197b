"""vtdata.format against fixed Dutch texts and the tests' own formatter."""

from __future__ import annotations

import math

import pytest

from tests import dutch
from vtdata.format import format_number, format_percent, format_value
from datetime import UTC


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


def test_one_timestamp_style_in_dutch_time():
    from datetime import datetime

    from vtdata.format import format_date, format_datetime

    assert format_datetime("2026-12-06T22:23:00+00:00") == "6 december 2026, 23:23"  # winter: UTC+1
    assert format_datetime("2026-07-01T10:00:00Z") == "1 juli 2026, 12:00"  # summer: UTC+2
    assert format_datetime(datetime(2026, 12, 6, 22, 23, tzinfo=UTC)) == "6 december 2026, 23:23"
    assert format_datetime(None) == "" and format_datetime("onzin") == "onzin"
    assert format_date("2025-10-24T02:00:00") == "24 oktober 2025"


def test_a_caption_starting_with_a_year_is_not_an_ordered_list():
    from vtdata.format import no_list_start

    assert no_list_start("2023. Verandering = 2023 − 2022.") == "2023\\. Verandering = 2023 − 2022."
    assert no_list_start("1e halfjaar 2023. Verandering") == "1e halfjaar 2023. Verandering"
    assert no_list_start("Per 1.000 inwoners.") == "Per 1.000 inwoners."
