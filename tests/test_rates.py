"""Rates per 1.000 inwoners / minderjarigen, with hand-computed expected values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from vtdata.figures import rates

POPULATION = pd.DataFrame(
    [
        ("GM0001", 2023, 20_000.0, 4_000.0),
        ("GM0001", 2024, 25_000.0, 5_000.0),
        ("VT01", 2023, 1_000_000.0, float("nan")),
    ],
    columns=["region", "year", "inwoners", "minderjarigen"],
)


def cells(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "period", "value", "suppressed", "unit"])


def test_rate_per_1000_inwoners_and_minderjarigen():
    frame = cells(("GM0001", "2023HJ01", 90.0, False, "aantal"), ("GM0001", "2024JJ00", 25.0, False, "aantal"))
    out = rates.add_rates(frame, POPULATION)
    assert out["rate"].tolist() == [4.5, 1.0]  # 90 / 20.000 * 1000, 25 / 25.000 * 1000
    assert out["rate_label"].tolist() == ["4,50", "1,00"]  # two decimals below 10 per 1.000
    assert out["rate_basis"].tolist() == ["per 1.000 inwoners op 1 januari 2023", "per 1.000 inwoners op 1 januari 2024"]
    kids = rates.add_rates(frame, POPULATION, basis="minderjarigen")
    assert kids["rate"].tolist() == [22.5, 5.0]  # 90 / 4.000 * 1000, 25 / 5.000 * 1000
    assert kids["rate_label"].tolist() == ["22,5", "5,00"]
    assert kids["rate_basis"].iloc[0] == "per 1.000 minderjarigen op 1 januari 2023"
    assert list(frame.columns) == ["region", "period", "value", "suppressed", "unit"]  # input untouched


def test_large_rate_label_uses_dutch_separators():
    out = rates.add_rates(cells(("VT01", "2023JJ00", 1_234_567.0, False, "aantal")), POPULATION)
    assert out["rate"].iloc[0] == pytest.approx(1234.567)
    assert out["rate_label"].iloc[0] == "1.234,6"


def test_half_years_and_the_year_use_1_january_of_that_year():
    assert [rates.population_year(p) for p in ("2023HJ01", "2023HJ02", "2023JJ00")] == [2023, 2023, 2023]
    out = rates.add_rates(cells(("GM0001", "2023HJ02", 10.0, False, "aantal")), POPULATION)
    assert out["rate"].iloc[0] == 0.5


def test_suppressed_never_becomes_a_rate():
    frame = cells(("GM0001", "2023HJ01", float("nan"), True, "aantal"), ("GM0001", "2023HJ01", 0.0, True, "aantal"))
    out = rates.add_rates(frame, POPULATION)
    assert out["rate"].isna().all() and out["rate_label"].tolist() == ["geheim", "geheim"]


def test_no_rate_without_population_or_for_a_percentage():
    frame = cells(
        ("GM9999", "2023HJ01", 50.0, False, "aantal"),  # no population for the region
        ("GM0001", "2030HJ01", 50.0, False, "aantal"),  # nor for the year
        ("VT01", "2023HJ01", 70.0, False, "aantal"),  # minderjarigen missing (asked below)
        ("GM0001", "2023HJ01", 12.5, False, "%"),
    )
    out = rates.add_rates(frame, POPULATION)
    assert out["rate"].isna().tolist() == [True, True, False, True]
    assert out["rate_label"].tolist() == ["geen gegevens", "geen gegevens", "0,07", "n.v.t."]
    assert math.isnan(rates.add_rates(frame, POPULATION, basis="minderjarigen")["rate"].iloc[2])


def test_empty_cells_and_unknown_basis():
    out = rates.add_rates(cells(), POPULATION)
    assert out.empty and {"rate", "rate_label", "rate_basis"} <= set(out.columns)
    with pytest.raises(ValueError):
        rates.add_rates(cells(), POPULATION, basis="huishoudens")


def test_rates_per_category_take_the_declared_basis():
    frame = cells(("GM0001", "2023JJ00", 20.0, False, "aantal"), ("GM0001", "2023JJ00", 30.0, False, "aantal"))
    frame["category"] = ["K1", "O1"]
    out = rates.add_rates_per_category(frame, POPULATION, {"K1": "minderjarigen"})
    expected = rates.add_rates(frame, POPULATION, basis="minderjarigen")["rate"].iloc[0]
    assert out["rate"].iloc[0] == expected  # declared: per 1.000 minderjarigen
    assert out["rate"].iloc[1] == rates.add_rates(frame, POPULATION)["rate"].iloc[1]  # undeclared: per 1.000 inwoners
    assert "minderjarigen" in out["rate_basis"].iloc[0] and "inwoners" in out["rate_basis"].iloc[1]


def test_formula_text():
    assert rates.formula_text("inwoners", 2023) == (
        "Per 1.000 inwoners = aantal / inwoners op 1 januari 2023 × 1.000 (CBS-tabel 03759ned)"
    )
    assert rates.formula_text("minderjarigen", 2024) == (
        "Per 1.000 minderjarigen = aantal / minderjarigen (0 tot en met 17 jaar) op 1 januari 2024 × 1.000 "
        "(CBS-tabel 03759ned)"
    )
