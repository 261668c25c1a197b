"""Dutch number and time formatting: 12.345, 4,5%, "6 december 2026, 23:23"; suppressed cells read "geheim".

Core module (no Streamlit): the CLI, exports and the UI format figures the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime, UTC

import pandas as pd

SUPPRESSED_LABEL = "geheim"
MISSING_LABEL = "geen gegevens"


def is_missing(value) -> bool:
    """No figure: None, pandas' NA or NaN (a suppressed or absent cell), never 0."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_number(value, decimals: int = 0) -> str:
    """12345 -> '12.345'; 4.5 with one decimal -> '4,5'."""
    if is_missing(value):
        return MISSING_LABEL
    text = f"{float(value):,.{max(decimals, 0)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value, decimals: int = 1) -> str:
    """A share given in percent points: 4.5 -> '4,5%'."""
    if is_missing(value):
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


MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def parse_datetime(value) -> datetime | None:
    """An ISO time ('2026-12-06T22:23:00+00:00', '...Z') or a datetime; None when there is none."""
    if isinstance(value, datetime):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def dutch_time(moment: datetime) -> tuple[datetime, bool]:
    """The moment in Dutch time (a naive one is UTC); False when there is no time zone database."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Amsterdam")), True
    except Exception:  # noqa: BLE001 -- no tz database: say UTC rather than fail
        return moment.astimezone(UTC), False


def format_datetime(value) -> str:
    """The app's one timestamp style: '6 december 2026, 23:23', in Dutch time (UTC input)."""
    moment = parse_datetime(value)
    if moment is None:
        return str(value or "")
    local, dutch = dutch_time(moment)
    zone = "" if dutch else " (UTC)"
    return f"{local.day} {MONTHS_NL[local.month - 1]} {local.year}, {local:%H:%M}{zone}"


def format_date(value) -> str:
    """'2025-10-24T02:00:00' -> '24 oktober 2025' (the date as written, no time zone shift)."""
    moment = parse_datetime(value)
    if moment is None:
        return str(value or "")
    return f"{moment.day} {MONTHS_NL[moment.month - 1]} {moment.year}"


_LIST_START = re.compile(r"^(\s*\d+)([.)])(\s)")


def no_list_start(text: str) -> str:
    """'2023. Verandering ...' stays a sentence in Markdown, not an ordered list numbered 2023."""
    return _LIST_START.sub(r"\1\\\2\3", text)


def clipped(text, limit: int = 40) -> str:
    """User input as echoed in a message: at most `limit` characters, then '…'."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def slugify(text: str) -> str:
    """ASCII words joined by '-', for file names and link values: 'Duur geweld: jaren' -> 'duur-geweld-jaren'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "x"
