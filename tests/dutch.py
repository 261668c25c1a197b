"""Expected Dutch texts of figures, written independently of `vtdata.format`.

Tests compare what a page shows with these, so a mistake in the app's own
formatting cannot make its tests agree with it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

SECRET = "geheim"  # a suppressed cell, never 0


def number(value, decimals: int = 0) -> str:
    """12345 -> '12.345'; 4.25 with one decimal -> '4,2' (the float's exact value, half to even)."""
    exact = Decimal(float(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    whole, _, fraction = format(abs(exact), "f").partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ("-" if exact < 0 else "") + ".".join(groups) + ("," + fraction if fraction else "")


def percent(value, decimals: int = 1) -> str:
    return number(value, decimals) + "%"


def cell(value, unit: str | None, decimals, suppressed: bool) -> str:
    """A StatLine cell as the app must show it."""
    if suppressed or value is None or (isinstance(value, float) and math.isnan(value)):
        return SECRET
    places = 0 if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)) else int(decimals)
    return percent(value, places) if (unit or "").strip() == "%" else number(value, places)
