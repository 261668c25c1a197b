"""Discussion prompts for a "goed gesprek": 2-4 neutral Dutch questions from the figures.

Core module (no Streamlit). The prompts describe what stands out and ask the
people in the room to explain it; they never judge a region (no "te hoog",
"slecht", "zorgwekkend": a higher figure can mean better detection as well as
more violence). Every prompt carries the rule that produced it.

Input: a DataFrame with one row per figure (a category or topic of a view),
built by the caller or by `figures_from_cells`:

=============== ==============================================================
column          meaning
=============== ==============================================================
``title``       the figure's name, e.g. "Acute onveiligheid"
``unit``        ``"aandeel"`` (share of the total, a fraction 0..1),
                ``"per1000"`` (per 1.000 inwoners) or ``"aantal"`` (a count)
``region``      the region's value in that unit (NaN when unknown or geheim)
``vt_region``   the value of the region's Veilig Thuis-regio (NaN: none/unknown)
``nederland``   the national value (NaN when unknown)
``base``        the count behind ``region`` (the total of a share, the count
                of a rate); small bases swing by CBS's rounding to fives
``count``       the region's count in the period (NaN when unknown)
``count_before`` the region's count in the same earlier period (``before_label``)
``change_nl``   optional: the national change in % over the same interval
=============== ==============================================================

Rules, in the order their prompts are listed (strongest first within a rule):

1. ``afwijking-landelijk``: a share or rate at least 1,5× (or at most 1/1,5×)
   the national one, with a base of at least 50.
2. ``afwijking-vt-regio``: the same against the region's own Veilig Thuis-regio.
3. ``verandering``: a count that changed by at least 25% against the same
   earlier period (``before_label``: a year, or three, earlier), both counts
   known and the earlier one at least 50.
4. ``anders-dan-landelijk``: the region's change in % differs by at least 10
   percentage points from the national change (``change_nl``), earlier count
   at least 50.
5. ``grootste-aandeel`` (only while fewer than 2 prompts): the largest share.
6. ``dicht-bij-landelijk`` (only while fewer than 2 prompts): the share or
   rate closest to the national one.
7. ``sterkste-verandering`` (only while fewer than 2 prompts): the count with
   the largest change in %, earlier count at least 50.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from vtdata.format import format_number, format_percent
from vtdata.figures.rates import rate_decimals

RATIO = 1.5
MIN_BASE = 50
CHANGE_PCT = 25.0
GAP_POINTS = 10.0
MIN_PROMPTS, MAX_PROMPTS = 2, 4

UNIT_SHARE, UNIT_RATE, UNIT_COUNT = "aandeel", "per1000", "aantal"
FIGURE_COLUMNS = ["title", "unit", "region", "vt_region", "nederland", "base", "count", "count_before", "change_nl"]

RULES: dict[str, str] = {
    "afwijking-landelijk": (
        f"Aandeel of cijfer per 1.000 inwoners minstens {format_number(RATIO, 1)}× (of hooguit "
        f"1/{format_number(RATIO, 1)}×) het landelijke, bij een basis van minstens {MIN_BASE}."
    ),
    "afwijking-vt-regio": (
        f"Aandeel of cijfer per 1.000 inwoners minstens {format_number(RATIO, 1)}× (of hooguit "
        f"1/{format_number(RATIO, 1)}×) dat van de eigen Veilig Thuis-regio, bij een basis van minstens {MIN_BASE}."
    ),
    "verandering": (
        f"Aantal minstens {format_number(CHANGE_PCT, 0)}% hoger of lager dan in dezelfde periode eerder; "
        f"beide aantallen bekend en het eerdere minstens {MIN_BASE}."
    ),
    "anders-dan-landelijk": (
        f"Verandering in % die minstens {format_number(GAP_POINTS, 0)} procentpunt afwijkt van de landelijke "
        f"verandering over dezelfde periode; het eerdere aantal minstens {MIN_BASE}."
    ),
    "sterkste-verandering": (
        f"De grootste verandering in % (eerder aantal minstens {MIN_BASE}), als er minder dan twee andere vragen zijn."
    ),
    "grootste-aandeel": "Het grootste aandeel van de regio (als er minder dan twee andere vragen zijn).",
    "dicht-bij-landelijk": "Het aandeel of cijfer dat het dichtst bij het landelijke ligt (als er minder dan twee andere vragen zijn).",
}


@dataclass(frozen=True)
class Prompt:
    text: str  # the Dutch question(s)
    rule: str  # key of RULES
    figure: str  # the title of the figure it is about

    @property
    def rule_text(self) -> str:
        return RULES[self.rule]


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and not pd.isna(value)


def _fmt(value: float, unit: str) -> str:
    if unit == UNIT_SHARE:
        return format_percent(value * 100, 1)
    if unit == UNIT_RATE:
        return f"{format_number(value, rate_decimals(value))} per 1.000 inwoners"
    return format_number(value)


def _versus(value: float, ref: float, unit: str) -> str:
    """'12,0% tegen 8,0%'; '2,5 tegen 4,0 per 1.000 inwoners' (the unit once)."""
    if unit == UNIT_RATE:
        return f"{format_number(value, rate_decimals(value))} tegen {_fmt(ref, unit)}"
    return f"{_fmt(value, unit)} tegen {_fmt(ref, unit)}"


def _what(title: str, unit: str) -> str:
    lowered = title[:1].lower() + title[1:]
    return f"het aandeel {lowered}" if unit == UNIT_SHARE else f"het aantal {lowered} per 1.000 inwoners" if unit == UNIT_RATE else f"het aantal {lowered}"


def _deviations(figures: pd.DataFrame, column: str, rule: str, region_name: str, ref_name: str) -> list[tuple[float, Prompt]]:
    out = []
    for row in figures.itertuples(index=False):
        if row.unit not in (UNIT_SHARE, UNIT_RATE):
            continue
        value, ref, base = row.region, getattr(row, column), row.base
        if not (_known(value) and _known(ref) and _known(base)) or ref <= 0 or value <= 0 or base < MIN_BASE:
            continue
        ratio = value / ref
        if 1 / RATIO < ratio < RATIO:
            continue
        what = _what(row.title, row.unit)
        text = (
            f"{what[:1].upper() + what[1:]} in {region_name} is {format_number(ratio, 1)}× {ref_name} "
            f"({_versus(value, ref, row.unit)}). Herkent u dit? Wat verklaart het?"
        )
        out.append((abs(math.log(ratio)), Prompt(text, rule, row.title)))
    return sorted(out, key=lambda item: -item[0])


def _changes(figures: pd.DataFrame, region_name: str, period_label: str, before_label: str | None) -> list[tuple[float, Prompt]]:
    if not before_label:
        return []
    out = []
    seen: set[str] = set()
    for row in figures.itertuples(index=False):
        now, before = row.count, row.count_before
        if row.title in seen or not (_known(now) and _known(before)) or before < MIN_BASE:
            continue
        pct = (now - before) / before * 100
        if abs(pct) < CHANGE_PCT:
            continue
        seen.add(row.title)
        text = (
            f"In {region_name} ging het aantal {row.title[:1].lower() + row.title[1:]} van {format_number(before)} "
            f"({before_label}) naar {format_number(now)} ({period_label}), {_signed_pct(pct)}. "
            "Wat is er in die tijd veranderd? Past dit bij wat u in de praktijk ziet?"
        )
        out.append((abs(pct), Prompt(text, "verandering", row.title)))
    return sorted(out, key=lambda item: -item[0])


def _change_pct(row) -> float | None:
    now, before = row.count, row.count_before
    if not (_known(now) and _known(before)) or before < MIN_BASE:
        return None
    return (now - before) / before * 100


def _signed_pct(pct: float) -> str:
    return ("+" if pct > 0 else "−" if pct < 0 else "") + format_percent(abs(pct), 1)


def _gaps(figures: pd.DataFrame, region_name: str, period_label: str, before_label: str | None) -> list[tuple[float, Prompt]]:
    if not before_label:
        return []
    out = []
    for row in figures.itertuples(index=False):
        pct, nl = _change_pct(row), row.change_nl
        if pct is None or not _known(nl) or abs(pct - nl) < GAP_POINTS:
            continue
        text = (
            f"Tussen {before_label} en {period_label} veranderde het aantal {row.title[:1].lower() + row.title[1:]} "
            f"in {region_name} met {_signed_pct(pct)}, landelijk met {_signed_pct(nl)}. "
            "Herkent u dit verschil? Wat verklaart het?"
        )
        out.append((abs(pct - nl), Prompt(text, "anders-dan-landelijk", row.title)))
    return sorted(out, key=lambda item: -item[0])


def _strongest_change(figures: pd.DataFrame, region_name: str, period_label: str, before_label: str | None) -> list[Prompt]:
    if not before_label:
        return []
    known = [(abs(p), p, row) for row in figures.itertuples(index=False) if (p := _change_pct(row)) is not None]
    if not known:
        return []
    _, pct, row = max(known, key=lambda item: item[0])
    return [
        Prompt(
            f"Van alle kerncijfers veranderde het aantal {row.title[:1].lower() + row.title[1:]} in {region_name} het "
            f"sterkst: {_signed_pct(pct)} tussen {before_label} en {period_label}. Past dat bij wat u in de praktijk ziet?",
            "sterkste-verandering",
            row.title,
        )
    ]


def _fallbacks(figures: pd.DataFrame, region_name: str) -> list[Prompt]:
    out = []
    shares = figures[(figures["unit"] == UNIT_SHARE) & figures["region"].notna()]
    if len(shares):
        top = shares.sort_values("region", ascending=False).iloc[0]
        out.append(
            Prompt(
                f"Het grootste aandeel in {region_name} is {top['title'][:1].lower() + top['title'][1:]} "
                f"({_fmt(top['region'], UNIT_SHARE)}). Is dat ook wat u in de praktijk het meest ziet?",
                "grootste-aandeel",
                str(top["title"]),
            )
        )
    comparable = figures[figures["unit"].isin([UNIT_SHARE, UNIT_RATE]) & figures["region"].notna() & figures["nederland"].notna()]
    comparable = comparable[comparable["nederland"] > 0]
    if out and (comparable["title"] != out[0].figure).any():  # another figure than the largest share
        comparable = comparable[comparable["title"] != out[0].figure]
    if len(comparable):
        gap = (comparable["region"] / comparable["nederland"] - 1).abs()
        row = comparable.loc[gap.idxmin()]
        out.append(
            Prompt(
                f"{_what(row['title'], row['unit'])[:1].upper() + _what(row['title'], row['unit'])[1:]} in {region_name} "
                f"ligt dicht bij het landelijke ({_versus(row['region'], row['nederland'], row['unit'])}). "
                "Zijn er binnen de regio verschillen die dit gemiddelde verbergt?",
                "dicht-bij-landelijk",
                str(row["title"]),
            )
        )
    return out


def discussion_prompts(
    figures: pd.DataFrame,
    *,
    region_name: str,
    period_label: str,
    vt_region_name: str | None = None,
    before_label: str | None = None,
    max_prompts: int = MAX_PROMPTS,
) -> list[Prompt]:
    """2-4 neutral questions from `figures` (see the module docstring); [] without figures."""
    if figures is None or figures.empty:
        return []
    figures = figures.reindex(columns=FIGURE_COLUMNS)
    found = [p for _, p in _deviations(figures, "nederland", "afwijking-landelijk", region_name, "het landelijke")]
    if vt_region_name:
        found += [
            p for _, p in _deviations(figures, "vt_region", "afwijking-vt-regio", region_name, f"dat van {vt_region_name}")
        ]
    found += [p for _, p in _changes(figures, region_name, period_label, before_label)]
    found += [p for _, p in _gaps(figures, region_name, period_label, before_label)]
    prompts = _pick(found, max_prompts)
    if len(prompts) < MIN_PROMPTS:
        extra = _fallbacks(figures, region_name) + _strongest_change(figures, region_name, period_label, before_label)
        prompts = _pick(prompts + extra, MIN_PROMPTS)
    return prompts


def _pick(candidates: list[Prompt], limit: int) -> list[Prompt]:
    """At most `limit` prompts, one per figure: in rounds, each rule's strongest unused figure in rule order."""
    rules = list(dict.fromkeys(p.rule for p in candidates))
    chosen: list[Prompt] = []
    used: set[str] = set()
    while len(chosen) < limit:
        added = False
        for rule in rules:
            best = next((p for p in candidates if p.rule == rule and p.figure not in used), None)
            if best is not None and len(chosen) < limit:
                chosen.append(best)
                used.add(best.figure)
                added = True
        if not added:
            break
    return chosen


def figures_from_cells(
    cells: pd.DataFrame,
    *,
    region: str,
    nederland: str | None,
    vt_region: str | None = None,
    total_key: str | None = None,
    before: pd.DataFrame | None = None,
    column: str | None = None,
) -> pd.DataFrame:
    """The figures frame from the theme pages' cells (`vtdata.figures.view_cells.add_shares`).

    `cells` holds one period for `region`, `vt_region` and `nederland`, aligned
    by `category`; `before` the region's cells of the same period a year
    earlier. Shares are used where the cells have them, else counts; `column`
    ("share", "rate" or "value") chooses instead, e.g. rates per 1.000 for topics.
    Rows without a value in that column are left out.
    """
    cols = FIGURE_COLUMNS
    if cells is None or cells.empty:
        return pd.DataFrame(columns=cols)

    def pick(code, column):
        if code is None:
            return {}
        sub = cells[(cells["region"] == code) & cells["category"].notna()]
        return dict(zip(sub["category"], sub[column]))

    if column is None:
        column = "share" if "share" in cells.columns and cells["share"].notna().any() else "value"
    has_share = column == "share"
    totals = {}
    if total_key is not None:
        own_total = cells[(cells["region"] == region) & (cells["category"] == total_key)]
        totals = {total_key: float(own_total["value"].iloc[0]) if len(own_total) else math.nan}
    own = cells[(cells["region"] == region) & (cells["category"] != total_key)]
    value_col = column
    unit = {"share": UNIT_SHARE, "rate": UNIT_RATE}.get(column, UNIT_COUNT)
    vt, nl = pick(vt_region, value_col), pick(nederland, value_col)
    earlier = {} if before is None or before.empty else dict(zip(before["category"], before["value"]))
    rows = []
    for r in own.itertuples(index=False):
        rows.append(
            {
                "title": r.category_title,
                "unit": unit,
                "region": getattr(r, value_col),
                "vt_region": vt.get(r.category, math.nan),
                "nederland": nl.get(r.category, math.nan),
                "base": totals.get(total_key, math.nan) if has_share else r.value,
                "count": r.value,
                "count_before": earlier.get(r.category, math.nan),
            }
        )
    frame = pd.DataFrame(rows, columns=cols)
    return frame[frame["region"].notna()].reset_index(drop=True) if column != "value" else frame
