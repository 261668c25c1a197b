"""Change between two periods per region (pure shaping, no Streamlit).

Default comparison: the latest half-year against the same half-year three
years earlier. For every region of the later period: the value (count, rate
or share) in both periods, the difference and the relative change. A change
is only computed where both cells are known; a region that did not exist in
one of the periods, a suppressed cell, or a too small base is shown as such,
with the reason. A gemeente that belonged to another Veilig Thuis-regio in the
earlier period is flagged (its figures are comparable, its region is not).
"""

from __future__ import annotations


import pandas as pd

from vtdata.figures import significance as sg
from vtdata.format import format_number, format_percent
from vtdata.model.periods import period_label, period_year

YEARS_BACK = 3
MIN_BASE = 20  # counts below this make a percentage swing with CBS's rounding to 5

STATUS_OK = "ok"
STATUS_SECRET = "geheim"
STATUS_ABSENT = "bestond niet"
STATUS_SMALL = "te klein"


def latest_half_year(period: str | None, half_years: list[str]) -> str | None:
    """The half-year a change view ends at for the period the user chose: that half-year, or the
    second half of a chosen year (else its first half); None when it has none."""
    if not period:
        return None
    if period in half_years:
        return period
    for half in ("HJ02", "HJ01"):
        if f"{period[:4]}{half}" in half_years:
            return f"{period[:4]}{half}"
    return None


def default_periods(half_years: list[str], latest: str | None = None) -> tuple[str | None, str | None]:
    """(earlier, later): the latest half-year and the same half-year `YEARS_BACK` years before,
    else the earliest same half-year there is."""
    if not half_years:
        return None, None
    later = latest if latest in half_years else sorted(half_years)[-1]
    same_half = sorted(p for p in half_years if p[4:] == later[4:] and p < later)
    if not same_half:
        return None, later
    wanted = f"{period_year(later) - YEARS_BACK}{later[4:]}"
    return (wanted if wanted in same_half else same_half[0]), later


def change_rows(
    before: pd.DataFrame,
    after: pd.DataFrame,
    field: str,
    *,
    count_field: str = "value",
    vt_before: dict[str, str] | None = None,
    vt_after: dict[str, str] | None = None,
    vt_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per region of `after` (cells of one category, one period each).

    Columns: region, region_title, before, after, change, change_pct, status,
    reason, change_label (Dutch). `field` is the compared column (value, rate
    or share); the percentage needs an earlier count of at least MIN_BASE.
    """
    b = before.set_index("region")
    rows = []
    for cell in after.to_dict("records"):
        code = cell["region"]
        prev = b.loc[code].to_dict() if code in b.index else None
        rows.append(_row(cell, prev, field, count_field, vt_before or {}, vt_after or {}, vt_names or {}))
    return pd.DataFrame(rows)


def _state(cell) -> str | None:
    if cell is None or cell.get("absent"):
        return STATUS_ABSENT
    if cell.get("suppressed"):
        return STATUS_SECRET
    return None


def _row(cell, prev, field, count_field, vt_before, vt_after, vt_names) -> dict:
    code = cell["region"]
    status = _state(cell) or _state(prev) or STATUS_OK
    now = cell.get(field)
    then = None if prev is None else prev.get(field)
    change = change_pct = None
    reason = ""
    if status == STATUS_OK and (pd.isna(now) or then is None or pd.isna(then)):
        status, reason = STATUS_SECRET, "een van beide cijfers ontbreekt"
    if status == STATUS_OK:
        change = float(now) - float(then)
        base = prev.get(count_field)
        if base is not None and not pd.isna(base) and float(base) >= MIN_BASE and float(then) != 0:
            change_pct = change / float(then) * 100
        else:
            status, reason = STATUS_SMALL, f"eerder aantal kleiner dan {MIN_BASE}: geen percentage"
    elif status == STATUS_ABSENT:
        reason = "bestond in een van beide perioden niet (herindeling)"
    elif not reason:
        reason = "geheim in een van beide perioden"
    moved = vt_before.get(code) and vt_after.get(code) and vt_before[code] != vt_after[code]
    if moved:
        reason = (reason + "; " if reason else "") + (
            f"hoorde eerder bij {vt_names.get(vt_before[code], vt_before[code])}, "
            f"nu bij {vt_names.get(vt_after[code], vt_after[code])}"
        )
    count_then = None if prev is None else sg.number(prev.get(count_field))
    count_now = sg.number(cell.get(count_field))
    return {
        "region": code,
        "region_title": cell.get("region_title", code),
        "before": None if then is None or pd.isna(then) else float(then),
        "after": None if pd.isna(now) else float(now),
        "change": change,
        "change_pct": change_pct,
        "status": status,
        "reason": reason,
        "moved": bool(moved),
        "count_before": count_then,
        "count_after": count_now,
        "verdict": _verdict(field, status, prev, cell, count_field),
    }


def _base(cell, field: str, count_field: str) -> float | None:
    """What a value is taken from: the total of a share, the population of a rate (per 1.000), else 1."""
    if field == count_field:
        return 1.0
    return sg.base_of(cell.get(count_field), cell.get(field), sg.KIND_SHARE if field == "share" else sg.KIND_RATE)


def _verdict(field: str, status: str, prev, cell, count_field: str) -> str:
    """Is the change larger than chance and CBS's rounding allow (`vtdata.figures.significance`)? "fors" = also large."""
    if status == STATUS_ABSENT:
        return sg.ABSENT
    if status == STATUS_SECRET or prev is None:
        return sg.SECRET
    k1, k2 = sg.number(prev.get(count_field)), sg.number(cell.get(count_field))
    b1, b2 = _base(prev, field, count_field), _base(cell, field, count_field)
    if k1 is None or k2 is None or b1 is None or b2 is None:
        return sg.UNKNOWN
    if field == "share":
        return sg.share_change(k1, b1, k2, b2).verdict
    return sg.count_change(k1, k2, exposure_before=b1, exposure_after=b2).verdict


def change_label(change: float | None, change_pct: float | None, decimals: int = 0) -> str:
    if change is None or pd.isna(change):
        return ""
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    text = sign + format_number(abs(change), decimals)
    if change_pct is not None and not pd.isna(change_pct):
        psign = "+" if change_pct > 0 else ("−" if change_pct < 0 else "")
        text += f" ({psign}{format_percent(abs(change_pct), 0)})"
    return text


def change_rule(before: str, after: str, what: str) -> str:
    return (
        f"Verandering = {what} {period_label(after)} − {what} {period_label(before)}; percentage = die verandering "
        f"/ {what} {period_label(before)}, alleen waar het eerdere aantal minstens {MIN_BASE} is en beide cijfers bekend zijn."
    )
