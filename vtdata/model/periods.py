"""StatLine period codes: 2023HJ01, 2023HJ02 (half years) and 2023JJ00 (year)."""

from __future__ import annotations

import re

import pandas as pd

PERIOD_RE = re.compile(r"^(\d{4})(HJ0[12]|JJ00)$")


def is_period_code(code: str) -> bool:
    return PERIOD_RE.match(code.strip()) is not None


def period_year(code: str) -> int:
    """The calendar year of a period; it picks the boundaries a map uses."""
    match = PERIOD_RE.match(code.strip())
    if not match:
        raise ValueError(f"geen geldige periode: {code!r}")
    return int(match.group(1))


def is_half_year(code: str) -> bool:
    return code.strip()[4:6] == "HJ"


def is_provisional(status) -> bool:
    """Is a StatLine period status provisional? "Voorlopig" and "Nader voorlopig" are; "Definitief" is not."""
    return isinstance(status, str) and "voorlopig" in status.strip().lower()


def period_label(code: str, status: str | None = None) -> str:
    """Dutch label: '1e halfjaar 2023', '2023'; voorlopige cijfers get a '*'."""
    code = code.strip()
    year = period_year(code)
    kind = code[4:]
    label = {"HJ01": f"1e halfjaar {year}", "HJ02": f"2e halfjaar {year}"}.get(kind, str(year))
    if is_provisional(status):
        label += "*"
    return label


def half_year_codes(first_year: int, last_code: str) -> list[str]:
    """All half-year codes from `first_year`HJ01 up to and including `last_code`."""
    last_year, last_half = period_year(last_code), int(last_code[-1])
    codes = []
    for year in range(first_year, last_year + 1):
        for half in (1, 2):
            if (year, half) <= (last_year, last_half):
                codes.append(f"{year}HJ0{half}")
    return codes


def half_year_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """Half-year periods, oldest first."""
    hj = periods[periods["code"].astype(str).map(is_half_year)]
    return hj.sort_values("code").reset_index(drop=True)


def same_period_year_before(code: str) -> str:
    """2024HJ01 -> 2023HJ01; 2024JJ00 -> 2023JJ00."""
    return f"{period_year(code) - 1}{code.strip()[4:]}"


def period_rank(code: str) -> tuple[int, int]:
    """Sort key, oldest first: per year HJ01, HJ02, then the year figure (the newest is the year's)."""
    return period_year(code), {"HJ01": 1, "HJ02": 2, "JJ00": 3}.get(code.strip()[4:], 0)
