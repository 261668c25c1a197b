"""Dutch number formatting: 12.345 and 4,5%; suppressed cells read "geheim".

Core module (no Streamlit): the CLI, exports and the UI format figures the same way.
"""

from __future__ import annotations

import math

SUPPRESSED_LABEL = "geheim"
MISSING_LABEL = "geen gegevens"


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value, decimals: int = 0) -> str:
    """12345 -> '12.345'; 4.5 with one decimal -> '4,5'."""
    if _is_missing(value):
        return MISSING_LABEL
    text = f"{float(value):,.{max(decimals, 0)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value, decimals: int = 1) -> str:
    """A share given in percent points: 4.5 -> '4,5%'."""
    if _is_missing(value):
        return MISSING_LABEL
    return f"{format_number(value, decimals)}%"


def is_percent_unit(unit: str | None) -> bool:
    return (unit or "").strip() in {"%", "procent", "percentage"}


def format_value(value, unit: str | None = None, decimals: int | None = None, suppressed: bool = False) -> str:
    """A StatLine cell as shown to users, in the unit and decimals StatLine gives."""
    if suppressed:
        return SUPPRESSED_LABEL
    if is_percent_unit(unit):
        return format_percent(value, 1 if decimals is None else decimals)
    return format_number(value, decimals or 0)


def clipped(text, limit: int = 40) -> str:
    """User input as echoed in a message: at most `limit` characters, then '…'."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"
