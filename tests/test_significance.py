"""Intervals and verdicts of vtdata.figures.significance, checked against exact tests written here.

The expected verdicts come from exact binomial and Poisson tail sums (not from
the module's score formulas), taken at the least extreme true counts the
CBS-rounded figures can stand for (each published count +/- 2): a region is
"hoger" only if every compatible true count is significantly high. Cases are
chosen well away from the 5 % boundary, where the exact and the score test agree.
"""

from __future__ import annotations

import math
import random

import pytest

from vtdata.figures import significance as sg

ALPHA = 0.05


def binom_pmf(k: int, n: int, p: float) -> float:
    if p in (0.0, 1.0):
        return float(k == (n if p else 0))
    log = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return math.exp(log + k * math.log(p) + (n - k) * math.log(1 - p))


def binom_upper(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Bin(n, p)."""
    return sum(binom_pmf(i, n, p) for i in range(max(k, 0), n + 1))


def binom_lower(k: int, n: int, p: float) -> float:
    """P(X <= k)."""
    return sum(binom_pmf(i, n, p) for i in range(0, min(k, n) + 1))


def poisson_pmf(k: int, mu: float) -> float:
    return math.exp(k * math.log(mu) - mu - math.lgamma(k + 1))


def poisson_upper(k: int, mu: float) -> float:
    return 1.0 - sum(poisson_pmf(i, mu) for i in range(0, max(k, 0)))


def poisson_lower(k: int, mu: float) -> float:
    return sum(poisson_pmf(i, mu) for i in range(0, k + 1))


def exact_share_verdict(k: int, n: int, p0: float) -> str:
    """Two-sided exact binomial test at the least extreme compatible true counts."""
    if binom_upper(k - 2, n + 2, p0) * 2 < ALPHA:
        return sg.HIGHER
    if binom_lower(k + 2, n - 2, p0) * 2 < ALPHA:
        return sg.LOWER
    return sg.NOT_DIFFERENT


def exact_rate_verdict(k: int, population: int, rate0: float) -> str:
    mu = rate0 * population / 1000
    if poisson_upper(k - 2, mu) * 2 < ALPHA:
        return sg.HIGHER
    if poisson_lower(k + 2, mu) * 2 < ALPHA:
        return sg.LOWER
    return sg.NOT_DIFFERENT


NL_SHARE = 0.10  # Nederland: 10 % acute onveiligheid

SHARE_CASES = [
    # (name, count, total): all multiples of 5, as CBS publishes them
    ("grote gemeente, duidelijk hoger", 60, 300),
    ("grote gemeente, duidelijk lager", 10, 300),
    ("grote gemeente, gewoon", 30, 300),
    ("middelgrote gemeente, iets hoger maar binnen toeval", 15, 120),
    ("kleine gemeente, extreem aandeel (33 %)", 5, 15),
    ("kleine gemeente, extreem aandeel (50 %)", 5, 10),
    ("kleine gemeente, 0 %", 0, 20),
]


@pytest.mark.parametrize("name,k,n", SHARE_CASES)
def test_share_verdicts_match_the_exact_binomial_test(name, k, n):
    got = sg.compare_share(k, n, NL_SHARE)
    assert got.verdict == exact_share_verdict(k, n, NL_SHARE), name
    assert got.lower <= got.value <= got.upper
    assert got.base == n


def test_a_small_gemeente_with_an_extreme_share_is_not_called_out():
    small = sg.compare_share(5, 15, NL_SHARE)  # 33 %, more than three times Nederland
    big = sg.compare_share(60, 300, NL_SHARE)  # 20 %, twice Nederland
    assert small.value > big.value
    assert small.verdict == sg.NOT_DIFFERENT and big.verdict == sg.HIGHER
    assert small.upper - small.lower > 3 * (big.upper - big.lower)
    # without the rounding allowance the same figures would be called out
    assert sg.compare_share(5, 15, NL_SHARE, rounding=0).verdict == sg.HIGHER


def test_share_verdict_agrees_with_a_z_score_for_large_bases():
    for k, n in [(2200, 20000), (1900, 20000), (2030, 20000), (560, 5000), (450, 5000)]:
        # conservative corners, as the module; z-score of the score test
        z_high = ((k - 2.5) - (n + 2.5) * NL_SHARE) / math.sqrt((n + 2.5) * NL_SHARE * (1 - NL_SHARE))
        z_low = ((k + 2.5) - (n - 2.5) * NL_SHARE) / math.sqrt((n - 2.5) * NL_SHARE * (1 - NL_SHARE))
        expected = sg.HIGHER if z_high > 1.96 else sg.LOWER if z_low < -1.96 else sg.NOT_DIFFERENT
        assert sg.compare_share(k, n, NL_SHARE).verdict == expected, (k, n)


NL_RATE = 5.0  # per 1.000 inwoners

RATE_CASES = [
    ("grote gemeente, duidelijk hoger", 600, 100_000),
    ("grote gemeente, duidelijk lager", 400, 100_000),
    ("grote gemeente, gewoon", 520, 100_000),
    ("kleine gemeente, twee keer Nederland", 10, 1_000),
    ("kleine gemeente, drie keer Nederland, toch te weinig gevallen", 15, 2_000),
    ("middelgrote gemeente, drie keer Nederland", 45, 3_000),
]


@pytest.mark.parametrize("name,k,population", RATE_CASES)
def test_rate_verdicts_match_the_exact_poisson_test(name, k, population):
    got = sg.compare_rate(k, population, NL_RATE)
    assert got.verdict == exact_rate_verdict(k, population, NL_RATE), name
    assert got.lower <= got.value <= got.upper
    assert got.value == pytest.approx(k / population * 1000)


def test_the_rate_cases_include_both_verdicts_for_small_places():
    verdicts = {name: sg.compare_rate(k, pop, NL_RATE).verdict for name, k, pop in RATE_CASES}
    assert verdicts["kleine gemeente, twee keer Nederland"] == sg.NOT_DIFFERENT
    assert verdicts["middelgrote gemeente, drie keer Nederland"] == sg.HIGHER


def test_secret_absent_and_unknown_cells_get_no_interval():
    secret = sg.compare_share(None, 200, NL_SHARE, suppressed=True)
    assert secret.verdict == sg.SECRET and secret.value is None and secret.lower is None
    assert sg.compare_rate(None, None, NL_RATE, absent=True).verdict == sg.ABSENT
    assert sg.compare_rate(10, None, NL_RATE).verdict == sg.UNKNOWN
    assert sg.compare_share(0, 0, NL_SHARE).verdict == sg.UNKNOWN
    assert sg.compare_share(float("nan"), 100, NL_SHARE).verdict == sg.UNKNOWN


def _round5(x: int) -> int:
    return 5 * round(x / 5)


@pytest.mark.parametrize("p", [0.03, 0.1, 0.3, 0.5])
@pytest.mark.parametrize("n", [20, 60, 250, 1000])
def test_share_intervals_cover_the_true_share_with_rounded_figures(p, n):
    coverage = sum(
        binom_pmf(k, n, p)
        for k in range(n + 1)
        if (lambda lo_up: lo_up[0] <= p <= lo_up[1])(sg.share_interval(_round5(k), _round5(n)))
    )
    assert coverage >= 0.95, coverage


@pytest.mark.parametrize("mu", [8, 20, 60, 250, 2000])
def test_rate_intervals_cover_the_true_rate_with_rounded_counts(mu):
    population = 10_000
    rate = mu / population * 1000
    top = int(mu + 12 * math.sqrt(mu) + 20)
    coverage = sum(
        poisson_pmf(k, mu)
        for k in range(top)
        if (lambda lo_up: lo_up[0] <= rate <= lo_up[1])(sg.rate_interval(_round5(k), population))
    )
    assert coverage >= 0.95, coverage


def test_unrounded_intervals_have_about_nominal_coverage():
    """Without rounding the score intervals are neither much too wide nor too narrow."""
    n, p = 200, 0.1
    coverage = sum(binom_pmf(k, n, p) for k in range(n + 1) if sg.wilson(k, n)[0] <= p <= sg.wilson(k, n)[1])
    assert 0.93 <= coverage <= 0.97


def test_intervals_shrink_with_the_base_and_move_with_the_count():
    widths = [sg.share_interval(n // 5, n) for n in (10, 50, 200, 1000, 10_000)]
    spans = [u - lo for lo, u in widths]
    assert spans == sorted(spans, reverse=True)
    lowers = [sg.share_interval(k, 200)[0] for k in range(0, 201, 5)]
    uppers = [sg.share_interval(k, 200)[1] for k in range(0, 201, 5)]
    assert lowers == sorted(lowers) and uppers == sorted(uppers)
    rate_spans = [u / r - lo / r for lo, u, r in ((*sg.rate_interval(k, 10_000), k / 10) for k in (10, 100, 1000, 10_000))]
    assert rate_spans == sorted(rate_spans, reverse=True)  # relative width falls with the count
    # the 99.8 % interval holds the 95 % one; rounding widens
    lo95, up95 = sg.share_interval(30, 200)
    lo998, up998 = sg.share_interval(30, 200, z=sg.Z998)
    lo0, up0 = sg.share_interval(30, 200, rounding=0)
    assert lo998 < lo95 < lo0 < 30 / 200 < up0 < up95 < up998
    assert sg.share_interval(200, 200)[1] == 1.0 and sg.share_interval(0, 200)[0] == 0.0


def test_a_point_outside_the_funnel_is_exactly_a_called_out_region():
    rng = random.Random(7)
    for _ in range(2000):
        n = 5 * rng.randint(2, 2000)
        k = 5 * rng.randint(0, n // 5)
        lower, upper = sg.funnel_limits(sg.KIND_SHARE, NL_SHARE, n)
        expected = sg.HIGHER if k / n > upper else sg.LOWER if k / n < lower else sg.NOT_DIFFERENT
        assert sg.compare_share(k, n, NL_SHARE).verdict == expected, (k, n)
    for _ in range(2000):
        population = rng.randint(500, 900_000)
        k = 5 * rng.randint(0, int(population * 0.012 / 5) + 1)
        lower, upper = sg.funnel_limits(sg.KIND_RATE, NL_RATE, population)
        rate = k / population * 1000
        expected = sg.HIGHER if rate > upper else sg.LOWER if rate < lower else sg.NOT_DIFFERENT
        assert sg.compare_rate(k, population, NL_RATE).verdict == expected, (k, population)


def test_funnel_narrows_with_the_base_and_the_outer_limits_lie_outside():
    rows = sg.funnel(sg.KIND_SHARE, NL_SHARE, sg.funnel_bases(20, 20_000))
    assert [r["base"] for r in rows] == sorted(r["base"] for r in rows)
    assert all(r["lower998"] <= r["lower95"] <= NL_SHARE <= r["upper95"] <= r["upper998"] for r in rows)
    widths = [r["upper95"] - r["lower95"] for r in rows]
    assert widths == sorted(widths, reverse=True)
    rates = sg.funnel(sg.KIND_RATE, NL_RATE, [1_000, 10_000, 100_000])
    assert rates[0]["upper95"] > rates[1]["upper95"] > rates[2]["upper95"] > NL_RATE
    with pytest.raises(ValueError):
        sg.funnel_limits("count", 1.0, 10)


def exact_count_change(before: int, after: int) -> str:
    """Conditional exact test (equal exposure), at the least extreme compatible true counts."""
    m = before + after
    up = binom_upper(after - 2, m, 0.5) * 2 < ALPHA  # after 2 lower, before 2 higher: same m
    down = binom_lower(after + 2, m, 0.5) * 2 < ALPHA
    ratio = after / before
    if up:
        return sg.ROSE_LARGE if ratio >= 1.25 else sg.ROSE
    if down:
        return sg.FELL_LARGE if ratio <= 0.8 else sg.FELL
    return sg.NO_CHANGE


@pytest.mark.parametrize(
    "before,after",
    [(20, 40), (100, 150), (100, 115), (1000, 1150), (3000, 3300), (200, 120), (5000, 4700), (10, 30)],
)
def test_count_changes_match_the_conditional_exact_test(before, after):
    got = sg.count_change(before, after)
    assert got.verdict == exact_count_change(before, after)
    assert got.lower <= got.estimate <= got.upper
    assert got.estimate == pytest.approx(after / before)


def test_a_doubling_of_a_small_count_is_not_fors_gestegen():
    assert sg.count_change(20, 40).verdict == sg.NO_CHANGE  # "Losser +100 %"
    assert sg.count_change(200, 400).verdict == sg.ROSE_LARGE
    assert sg.count_change(3000, 3300).verdict == sg.ROSE  # significant, but only +10 %


def test_count_change_uses_the_exposures():
    # the same counts, but the population doubled: the rate did not rise
    assert sg.count_change(200, 400, exposure_before=10_000, exposure_after=20_000).verdict == sg.NO_CHANGE
    assert sg.count_change(200, 400, exposure_before=10_000, exposure_after=20_000).estimate == pytest.approx(1.0)


def test_share_change():
    big = sg.share_change(50, 500, 100, 500)  # 10 % -> 20 %
    # independent: two-proportion z-test with a pooled variance
    p = 150 / 1000
    z = (0.2 - 0.1) / math.sqrt(p * (1 - p) * (2 / 500))
    assert z > 3 and big.verdict == sg.ROSE_LARGE and big.lower > 0
    assert big.estimate == pytest.approx(0.10)
    small = sg.share_change(5, 20, 10, 20)  # 25 % -> 50 %
    assert small.verdict == sg.NO_CHANGE and small.lower < 0 < small.upper
    slight = sg.share_change(2000, 20000, 2300, 20000)  # 10 % -> 11.5 %: significant, 1.5 procentpunt
    assert slight.verdict == sg.ROSE
    assert sg.share_change(100, 500, 50, 500).verdict == sg.FELL_LARGE
    assert sg.share_change(None, 500, 50, 500, suppressed=True).verdict == sg.SECRET
    assert sg.share_change(10, 0, 50, 500).verdict == sg.UNKNOWN


def test_dutch_texts():
    assert sg.verdict_text(sg.HIGHER) == "significant hoger dan Nederland"
    assert sg.verdict_text(sg.LOWER, "VT-regio Utrecht") == "significant lager dan VT-regio Utrecht"
    assert "95%" in sg.METHOD_TEXT.format(reference="Nederland")
