"""Uncertainty intervals and verdicts for compared figures (pure: stdlib only, no Streamlit).

Why: a small gemeente's share or rate swings with a handful of cases, so a
ranking of raw values puts small gemeenten at the top and bottom. Here every
compared value gets a 95 % interval, and a region is called higher or lower
than a reference (Nederland, or its own Veilig Thuis-regio) only when the
reference lies outside that interval.

How each figure is made
-----------------------
* **Share** k of n (e.g. acute onveiligheid out of all taxaties): the Wilson
  score interval on k out of n. It is the set of true shares p for which the
  observed k is within z standard errors of n*p, z = 1.96 for 95 %.
* **Rate** per 1.000 (count k in a population P): the Poisson score interval on
  the count, {mu : |k - mu| <= z*sqrt(mu)}, i.e.
  k + z^2/2 -/+ z*sqrt(k + z^2/4), divided by P and times 1.000. The population
  is an exact count; only k is uncertain.
* **CBS rounding**: CBS rounds every published count to a multiple of 5, so a
  published 20 stands for any true count from 17,5 to 22,5. The interval is the
  union of the intervals of every count the published figures can stand for:
  its lower end takes the count 2,5 lower (and, for a share, the total 2,5
  higher), its upper end the count 2,5 higher (and the total 2,5 lower). A
  share whose count can equal its total reaches 100 %. This widens the
  intervals of small counts most, which is where rounding matters.
* **Suppressed** cells (geheim) get no value, no interval and the verdict
  `geheim`; regions that did not exist in the period get `bestond niet`; a value
  that cannot be computed otherwise (no population, a total of 0) `onbekend`.
* **Verdict** against a reference value r (Nederland's share or rate, taken as
  known: it rests on tens of thousands of cases): `hoger` when the interval's
  lower end is above r, `lager` when its upper end is below r, else
  `niet afwijkend`. A small base gives a wide interval, so an extreme share of a
  small gemeente is not called out.
* **Funnel plot**: for a reference r and a base n, the limits a value must
  cross to be called out, at 95 % (z = 1,96) and 99,8 % (z = 3,09). They are
  the score test the intervals invert, with the same rounding allowance, so a
  point outside the 95 % funnel is exactly a region with verdict hoger/lager:
  share limits (h + m*r + z*sqrt(m*r*(1-r))) / n with m = n + h (upper) and
  ((m*r - z*sqrt(m*r*(1-r))) - h) / n with m = n - h (lower), h = 2,5; rate
  limits (E +/- (z*sqrt(E) + h)) / P * 1.000 with expected count E = r*P/1.000.
* **Change between two periods**, counts: given k1 + k2 cases, k2 is binomial
  with probability e2/(e1+e2) (e = exposure, e.g. the population or the
  length of the period) when the rate did not change (the conditional test of
  two Poisson counts). The Wilson interval on that probability, with the
  rounding allowance, gives an interval for the rate ratio; the change is
  significant when that interval excludes 1. Shares: the difference of the two
  shares with Newcombe's interval built from the two (rounding-widened) Wilson
  intervals; significant when it excludes 0.
* **"Fors gestegen" / "fors gedaald"**: significant AND large: a rate or count
  ratio of at least 1,25 (+25 %) or at most 1/1,25 (-20 %), or for a share a
  change of at least 5 procentpunt. Significant but smaller: `gestegen` /
  `gedaald`; otherwise `geen duidelijke verandering`.

Intervals are approximate (score intervals), not exact; with the rounding
allowance they cover the true value at least about 95 % of the time for the
counts CBS publishes (see tests/test_significance.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)  # 1.96: two-sided 95 %
Z998 = NormalDist().inv_cdf(0.999)  # 3.09: two-sided 99.8 %, the outer funnel
ROUNDING = 5  # CBS rounds published counts to multiples of 5
PER = 1000

HIGHER = "hoger"
LOWER = "lager"
NOT_DIFFERENT = "niet afwijkend"
SECRET = "geheim"
ABSENT = "bestond niet"
UNKNOWN = "onbekend"
VERDICTS = (HIGHER, LOWER, NOT_DIFFERENT, SECRET, ABSENT, UNKNOWN)

LARGE_RATIO = 1.25  # "fors": a rate at least 25 % higher (or 20 % lower, its inverse)
LARGE_POINTS = 0.05  # "fors" for a share: at least 5 procentpunt

ROSE_LARGE = "fors gestegen"
ROSE = "gestegen"
FELL = "gedaald"
FELL_LARGE = "fors gedaald"
NO_CHANGE = "geen duidelijke verandering"

KIND_SHARE = "share"
KIND_RATE = "rate"

# Dutch text for the UI.
METHOD_TEXT = (
    "Hoger of lager betekent: het cijfer van {reference} valt buiten het 95%-betrouwbaarheidsinterval van de regio. "
    "Dat interval houdt rekening met toeval (bij een aandeel: het aantal op het totaal; per 1.000 inwoners: het aantal) "
    "en met de afronding van CBS op vijftallen. Bij een kleine regio is het interval breed, "
    "zodat een uitschieter door een handvol gevallen niet als afwijkend telt."
)
CHANGE_METHOD_TEXT = (
    "Een verandering heet gestegen of gedaald als ze groter is dan toeval en de afronding op vijftallen "
    "kunnen verklaren (95%); fors als ze bovendien minstens 25% is (bij een aandeel: minstens 5 procentpunt)."
)


def half_rounding(rounding: float = ROUNDING) -> float:
    """How far a published count can be from the true count: 2,5 for rounding to 5."""
    return max(float(rounding), 0.0) / 2


def verdict_text(verdict: str, reference: str = "Nederland") -> str:
    """The verdict as a short Dutch phrase: "significant hoger dan Nederland"."""
    return {
        HIGHER: f"significant hoger dan {reference}",
        LOWER: f"significant lager dan {reference}",
        NOT_DIFFERENT: f"niet significant anders dan {reference}",
        SECRET: "geheim (door CBS afgeschermd)",
        ABSENT: "bestond in die periode niet",
        UNKNOWN: "onbekend",
    }.get(verdict, verdict)


# ---------------------------------------------------------------------------
# Intervals


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a share k of n (fractions); (0, 1) when n <= 0."""
    if n <= 0:
        return 0.0, 1.0
    k = min(max(k, 0.0), n)
    centre = (k + z * z / 2) / (n + z * z)
    half = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    return max(centre - half, 0.0), min(centre + half, 1.0)


def share_interval(k: float, n: float, *, rounding: float = ROUNDING, z: float = Z95) -> tuple[float, float]:
    """Interval of the share k/n (fractions), widened for the rounding of both k and n.

    The Wilson lower end rises with k and falls with n, the upper end the other
    way, so the widest interval over every (k, n) the rounded figures can stand
    for is at the corners used here.
    """
    h = half_rounding(rounding)
    low_n, high_n = n - h, n + h
    lower = wilson(max(k - h, 0.0), high_n, z)[0]
    upper = 1.0 if low_n <= 0 or k + h >= low_n else wilson(k + h, low_n, z)[1]
    return lower, upper


def poisson_score(k: float, z: float = Z95) -> tuple[float, float]:
    """Score interval of a Poisson mean given the count k: {mu : |k - mu| <= z*sqrt(mu)}."""
    k = max(k, 0.0)
    centre = k + z * z / 2
    half = z * math.sqrt(k + z * z / 4)
    return max(centre - half, 0.0), centre + half


def count_interval(k: float, *, rounding: float = ROUNDING, z: float = Z95) -> tuple[float, float]:
    """Interval of the expected count behind a published count k, widened for rounding."""
    h = half_rounding(rounding)
    return poisson_score(max(k - h, 0.0), z)[0], poisson_score(k + h, z)[1]


def rate_interval(
    k: float, population: float, *, per: float = PER, rounding: float = ROUNDING, z: float = Z95
) -> tuple[float, float]:
    """Interval of the rate k / population * per (the population is exact)."""
    lower, upper = count_interval(k, rounding=rounding, z=z)
    return lower / population * per, upper / population * per


# ---------------------------------------------------------------------------
# Verdicts


def verdict(lower: float, upper: float, reference: float | None) -> str:
    """hoger / lager / niet afwijkend: where the reference lies relative to the interval."""
    if reference is None or _missing(reference) or _missing(lower) or _missing(upper):
        return UNKNOWN
    if lower > reference:
        return HIGHER
    if upper < reference:
        return LOWER
    return NOT_DIFFERENT


@dataclass(frozen=True)
class Comparison:
    """One region's value against a reference: value, base and interval in the same unit."""

    value: float | None  # a share as a fraction, a rate per `per`
    base: float | None  # the total of a share, the population of a rate
    lower: float | None
    upper: float | None
    verdict: str


def _missing(x) -> bool:
    return number(x) is None


def number(x) -> float | None:
    """A cell's value as a float, None when it has none (None, NaN, or not a number)."""
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def base_of(count, figure, kind: str, *, per: float = PER) -> float | None:
    """What a shown figure was taken from: the total of a share (count / share) or the
    population of a rate (count / rate × `per`); None when either is unknown or the figure is 0."""
    count, figure = number(count), number(figure)
    if count is None or figure is None or figure <= 0:
        return None
    return count / figure * (per if kind == KIND_RATE else 1)


def compare_figure(count, figure, reference: float | None, kind: str) -> Comparison:
    """A shown share or rate (with its count) against a reference of the same kind, its base derived
    from the two (`base_of`): the test of the page on the figures the page shows."""
    base = base_of(count, figure, kind)
    if kind == KIND_SHARE:
        return compare_share(count, base, reference)
    return compare_rate(count, base, reference)


def _status(count, base, *, suppressed: bool, absent: bool) -> Comparison | None:
    """The comparison for a cell without a usable value, else None."""
    if absent:
        return Comparison(None, None, None, None, ABSENT)
    if suppressed:
        return Comparison(None, None if _missing(base) else float(base), None, None, SECRET)
    if _missing(count) or _missing(base) or float(base) <= 0:
        return Comparison(None, None if _missing(base) else float(base), None, None, UNKNOWN)
    return None


def compare_share(
    count, total, reference: float | None, *, suppressed: bool = False, absent: bool = False,
    rounding: float = ROUNDING, z: float = Z95,
) -> Comparison:
    """A share count/total (fraction) against a reference share (fraction)."""
    status = _status(count, total, suppressed=suppressed, absent=absent)
    if status:
        return status
    k, n = float(count), float(total)
    lower, upper = share_interval(k, n, rounding=rounding, z=z)
    return Comparison(k / n, n, lower, upper, verdict(lower, upper, reference))


def compare_rate(
    count, population, reference: float | None, *, suppressed: bool = False, absent: bool = False,
    per: float = PER, rounding: float = ROUNDING, z: float = Z95,
) -> Comparison:
    """A rate count/population*per against a reference rate (same unit)."""
    status = _status(count, population, suppressed=suppressed, absent=absent)
    if status:
        return status
    k, pop = float(count), float(population)
    lower, upper = rate_interval(k, pop, per=per, rounding=rounding, z=z)
    return Comparison(k / pop * per, pop, lower, upper, verdict(lower, upper, reference))


# ---------------------------------------------------------------------------
# Funnel plot


def funnel_limits(
    kind: str, reference: float, base: float, *, z: float = Z95, per: float = PER, rounding: float = ROUNDING
) -> tuple[float, float]:
    """(lower, upper) limits of the value at base `base` around `reference` (same unit as the value).

    A region with this base is called hoger exactly when its value is above
    the upper limit and lager when below the lower limit (at the same z): the
    limits invert the intervals above. Limits are clipped to 0 (and to 1 for
    a share) for drawing.
    """
    h = half_rounding(rounding)
    if kind == KIND_SHARE:
        p, n = float(reference), float(base)
        if n <= 0:
            return 0.0, 1.0
        high_m, low_m = n + h, n - h
        upper = (h + high_m * p + z * math.sqrt(high_m * p * (1 - p))) / n
        lower = (low_m * p - z * math.sqrt(low_m * p * (1 - p)) - h) / n if low_m > 0 else 0.0
        return max(lower, 0.0), min(upper, 1.0)
    if kind == KIND_RATE:
        pop = float(base)
        if pop <= 0:
            return 0.0, math.inf
        expected = float(reference) * pop / per
        spread = z * math.sqrt(expected) + h
        return max(expected - spread, 0.0) / pop * per, (expected + spread) / pop * per
    raise ValueError(f"kind must be {KIND_SHARE!r} or {KIND_RATE!r}, not {kind!r}")


def funnel(kind: str, reference: float, bases, *, per: float = PER, rounding: float = ROUNDING) -> list[dict]:
    """Funnel lines for a chart: per base its 95 % and 99,8 % limits."""
    rows = []
    for base in bases:
        lo95, up95 = funnel_limits(kind, reference, base, z=Z95, per=per, rounding=rounding)
        lo998, up998 = funnel_limits(kind, reference, base, z=Z998, per=per, rounding=rounding)
        rows.append({"base": float(base), "lower95": lo95, "upper95": up95, "lower998": lo998, "upper998": up998})
    return rows


def funnel_bases(smallest: float, largest: float, points: int = 60) -> list[float]:
    """Bases spread evenly on a log scale, for drawing smooth funnel lines."""
    smallest, largest = max(float(smallest), 1.0), max(float(largest), float(smallest) + 1.0)
    step = (math.log(largest) - math.log(smallest)) / max(points - 1, 1)
    return [math.exp(math.log(smallest) + i * step) for i in range(points)]


# ---------------------------------------------------------------------------
# Change between two periods


@dataclass(frozen=True)
class Change:
    """A change from period 1 to period 2.

    `estimate` is the rate ratio (counts) or the difference of the shares
    (fractions); `lower`/`upper` its 95 % interval; `verdict` one of the change
    verdicts (or geheim / bestond niet / onbekend).
    """

    estimate: float | None
    lower: float | None
    upper: float | None
    verdict: str


def _change_verdict(significant_up: bool, significant_down: bool, large_up: bool, large_down: bool) -> str:
    if significant_up:
        return ROSE_LARGE if large_up else ROSE
    if significant_down:
        return FELL_LARGE if large_down else FELL
    return NO_CHANGE


def count_change(
    before, after, *, exposure_before: float = 1.0, exposure_after: float = 1.0,
    suppressed: bool = False, absent: bool = False, rounding: float = ROUNDING, z: float = Z95,
) -> Change:
    """Change of a count (or rate: pass the populations as exposures) between two periods.

    Conditional test: given before + after cases, `after` is binomial with
    probability pi0 = exposure_after / (both exposures) when the rate did not
    change. The Wilson interval on pi (rounding-widened: after 2,5 lower and
    before 2,5 higher for the lower end, the other way for the upper end) maps to
    a rate-ratio interval pi/(1-pi) * exposure_before/exposure_after.
    """
    if absent:
        return Change(None, None, None, ABSENT)
    if suppressed:
        return Change(None, None, None, SECRET)
    if _missing(before) or _missing(after) or exposure_before <= 0 or exposure_after <= 0:
        return Change(None, None, None, UNKNOWN)
    k1, k2 = max(float(before), 0.0), max(float(after), 0.0)
    if k1 + k2 <= 0:
        return Change(None, None, None, NO_CHANGE)
    h = half_rounding(rounding)
    m = k1 + k2
    pi_low = wilson(max(k2 - h, 0.0), m, z)[0]
    pi_high = wilson(min(k2 + h, m), m, z)[1]
    scale = exposure_before / exposure_after

    def ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    estimate = math.inf if k1 == 0 else (k2 / exposure_after) / (k1 / exposure_before)
    lower, upper = ratio(pi_low), ratio(pi_high)
    kind = _change_verdict(lower > 1, upper < 1, estimate >= LARGE_RATIO, estimate <= 1 / LARGE_RATIO)
    return Change(estimate, lower, upper, kind)


def share_change(
    count_before, total_before, count_after, total_after, *, suppressed: bool = False, absent: bool = False,
    rounding: float = ROUNDING, z: float = Z95,
) -> Change:
    """Change of a share: difference after - before (fractions) with Newcombe's hybrid score interval."""
    if absent:
        return Change(None, None, None, ABSENT)
    if suppressed:
        return Change(None, None, None, SECRET)
    values = (count_before, total_before, count_after, total_after)
    if any(_missing(v) for v in values) or float(total_before) <= 0 or float(total_after) <= 0:
        return Change(None, None, None, UNKNOWN)
    k1, n1, k2, n2 = (float(v) for v in values)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = share_interval(k1, n1, rounding=rounding, z=z)
    l2, u2 = share_interval(k2, n2, rounding=rounding, z=z)
    d = p2 - p1
    lower = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    kind = _change_verdict(lower > 0, upper < 0, d >= LARGE_POINTS, d <= -LARGE_POINTS)
    return Change(d, lower, upper, kind)
