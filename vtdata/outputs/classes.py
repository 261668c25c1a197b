"""Map classes: breaks, colour ramps and the Dutch legend (pure, no Streamlit).

Shared by the interactive pydeck map (`vtdata.ui.maps`) and the static map image
(`vtdata.outputs.images`), so both colour a region the same way.

``classify(codes, values, *, unit, decimals, n_classes, diverging) -> Classification``
    ``values``: DataFrame ``code, value, suppressed`` (value NaN when
    suppressed), optionally ``absent`` (the region did not exist in the
    period). Sequential classes are quantiles of the known values with rounded
    breaks, coloured with the colour-blind-safe ColorBrewer YlGnBu ramp;
    ``diverging=True`` colours changes symmetric around 0 (falls blue, rises
    red). Suppressed regions are mid grey ("geheim"), codes without a row light
    grey ("geen gegevens"), absent ones near-white ("bestond niet"). A
    suppressed cell is never put in the lowest class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from vtdata.format import MISSING_LABEL, SUPPRESSED_LABEL, format_value
from vtdata.model.lifetimes import ABSENT_LABEL

# ColorBrewer YlGnBu (colour-blind safe, sequential), per number of classes.
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#2c7fb8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
# ColorBrewer RdBu reversed (colour-blind safe, diverging): falls blue, rises red.
DIVERGING = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
SUPPRESSED_COLOR = "#8c8c8c"  # "geheim": mid grey
ABSENT_COLOR = "#f3f3f3"  # "bestond niet": the region did not exist in the period
MISSING_COLOR = "#dcdcdc"  # "geen gegevens": light grey


def hex_to_rgb(color: str) -> list[int]:
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)]


def _nice_round(value: float, unit: float) -> float:
    return round(round(value / unit) * unit, 10)


def class_breaks(values, n_classes: int = 5, decimals: int = 0) -> list[float]:
    """Inner class breaks from quantiles, rounded to a 'nice' unit.

    A value v is in class i when breaks[i-1] <= v < breaks[i]. Values are
    assumed rounded to `decimals`; breaks are multiples of 10**-decimals.
    """
    vals = sorted(round(float(v), decimals) for v in values)
    if not vals:
        return []
    lo, hi = vals[0], vals[-1]
    distinct = len(set(vals))
    k = max(1, min(int(n_classes), distinct, max(PALETTES)))
    if k == 1:
        return []
    step = 10.0 ** -decimals
    spread = hi - lo
    base = 10.0 ** math.floor(math.log10(spread / (2 * k))) if spread > 0 else step
    units = []
    unit = max(base, step)
    while unit >= step * 0.999:
        units.append(unit)
        unit /= 10
    series = pd.Series(vals)
    breaks: list[float] = []
    for i in range(1, k):
        q = float(series.quantile(i / k))
        for unit in units:
            b = _nice_round(q, unit)
            if (not breaks or b > breaks[-1]) and lo < b <= hi:
                breaks.append(b)
                break
    return breaks


def diverging_breaks(values, decimals: int = 0) -> list[float]:
    """Four breaks symmetric around 0 for five classes: strong fall, fall, about equal, rise, strong rise.

    The outer break is the rounded median size of the changes, the inner one a
    fifth of it, so "about equal" is a narrow band around 0.
    """
    sizes = sorted(abs(float(v)) for v in values if v != 0)
    step = 10.0 ** -decimals
    if not sizes:
        return [-2 * step, -step, step, 2 * step]
    outer = float(pd.Series(sizes).median())
    unit = 10.0 ** math.floor(math.log10(outer)) if outer > 0 else step
    outer = max(_nice_round(outer, max(unit, step)), 2 * step)
    inner = max(_nice_round(outer / 5, step), step)
    return [-outer, -inner, inner, outer]


def diverging_labels(breaks: list[float], unit: str | None, decimals: int) -> list[str]:
    """'−20 of meer', '−20 – −5', 'tussen −5 en +5', '+5 – +20', '+20 of meer' (Dutch, signed)."""
    def signed(v: float) -> str:
        return ("+" if v > 0 else "−" if v < 0 else "") + format_value(abs(v), unit, decimals)

    o_neg, i_neg, i_pos, o_pos = breaks
    return [
        f"{signed(o_neg)} of meer omlaag",
        f"{signed(o_neg)} tot {signed(i_neg)}",
        f"ongeveer gelijk ({signed(i_neg)} tot {signed(i_pos)})",
        f"{signed(i_pos)} tot {signed(o_pos)}",
        f"{signed(o_pos)} of meer omhoog",
    ]


def class_index(value: float, breaks: list[float]) -> int:
    i = 0
    while i < len(breaks) and value >= breaks[i]:
        i += 1
    return i


def _label_range(lower: float, upper: float, unit: str | None, decimals: int) -> str:
    a, b = format_value(lower, unit, decimals), format_value(upper, unit, decimals)
    return a if a == b else f"{a} – {b}"


def class_labels(lo: float, hi: float, breaks: list[float], unit: str | None, decimals: int) -> list[str]:
    """Dutch labels per class: '1.000 – 2.499', '4,5% – 5,9%' (upper bounds inclusive)."""
    step = 10.0 ** -decimals
    bounds = [lo] + breaks
    uppers = [round(b - step, 10) for b in breaks] + [hi]
    return [_label_range(a, b, unit, decimals) for a, b in zip(bounds, uppers)]


@dataclass
class Classification:
    """Per region code its fill colour and formatted value; the legend in class order."""

    breaks: list[float]
    legend: list[tuple[str, str]]  # (hex colour, Dutch label): classes, geheim, geen gegevens[, bestond niet]
    colors: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def classify(
    codes,
    values: pd.DataFrame | None,
    *,
    unit: str | None = None,
    decimals: int = 0,
    n_classes: int = 5,
    diverging: bool = False,
) -> Classification:
    """Colour and label every code of `codes` by its value in `values` (see the module docstring)."""
    decimals = int(decimals or 0)
    by_code: dict[str, tuple[float, bool]] = {}
    absent: set[str] = set()
    if values is not None and len(values):
        suppressed = values["suppressed"] if "suppressed" in values else pd.Series(False, index=values.index)
        for code, value, secret in zip(values["code"], values["value"], suppressed.fillna(False)):
            value = float(value) if value is not None and not pd.isna(value) else math.nan
            by_code[str(code).strip()] = (value, bool(secret) or math.isnan(value))
        if "absent" in values:
            absent = {str(c).strip() for c, a in zip(values["code"], values["absent"].fillna(False)) if a}

    codes = [str(c).strip() for c in codes]
    present = [by_code[c][0] for c in codes if c in by_code and not by_code[c][1] and c not in absent]
    present = [round(v, decimals) for v in present]
    if diverging:
        breaks, palette = diverging_breaks(present, decimals), DIVERGING
    else:
        breaks = class_breaks(present, n_classes, decimals)
        palette = PALETTES.get(len(breaks) + 1 if present else 0, ())
    legend: list[tuple[str, str]] = []
    if present and diverging:
        legend = list(zip(palette, diverging_labels(breaks, unit, decimals)))
    elif present:
        legend = list(zip(palette, class_labels(min(present), max(present), breaks, unit, decimals)))
    legend += [(SUPPRESSED_COLOR, SUPPRESSED_LABEL), (MISSING_COLOR, MISSING_LABEL)]
    if absent & set(codes):
        legend.append((ABSENT_COLOR, ABSENT_LABEL))

    result = Classification(breaks=breaks, legend=legend)
    for code in codes:
        if code in absent:
            color, text = ABSENT_COLOR, ABSENT_LABEL
        elif code not in by_code:
            color, text = MISSING_COLOR, MISSING_LABEL
        elif by_code[code][1]:
            color, text = SUPPRESSED_COLOR, SUPPRESSED_LABEL
        else:
            value = round(by_code[code][0], decimals)
            color, text = palette[class_index(value, breaks)], format_value(value, unit, decimals)
        result.colors[code], result.texts[code] = color, text
    return result
