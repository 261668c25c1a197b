"""Synthetic 'true' counts, from gemeenten up to Nederland, then published CBS-style.

Everything starts at gemeente level per half year: a population-like size times
regional rates and noise, scaled so that the national total of each measure
follows the published national figures. Regions are sums of their gemeenten
(per year's membership), years are sums of their halves, and only then is every
cell rounded to a multiple of 5 and small cells suppressed, as CBS does. So a
total equals the sum of its categories only up to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from vtdata.source.demo.regions import FIRST_YEAR, Geography, geography
from vtdata.source.demo.spec import Cat, Dimension, TableSpec, flat_topics, leaves, share_of, stable_rng, walk

HALF_YEARS = tuple(f"{y}HJ0{h}" for y in range(2019, 2026) for h in (1, 2))[:-1]  # ... 2025HJ01
YEAR_PERIODS = tuple(f"{y}JJ00" for y in range(2019, 2025))
PERIODS = tuple(sorted(HALF_YEARS + YEAR_PERIODS))  # StatLine order: 2019HJ01, 2019HJ02, 2019JJ00, ...
VOORLOPIG = (HALF_YEARS[-1],)

# National half-year totals, close to the published figures (see the StatLine notes):
# 2019HJ01 64,960 meldingen and 53,080 adviezen; 2023 127,340 and 143,210; 2025HJ01
# 66,270 and 84,935. Halves in between are interpolated guesses.
NATIONAL = {
    "meldingen": (64960, 63300, 64505, 62910, 61000, 58185, 59985, 61200, 63100, 64240, 64000, 65200, 66270),
    "adviezen": (53080, 55400, 58300, 61900, 67200, 66800, 66155, 68400, 70500, 72710, 75000, 79300, 84935),
}


@dataclass(frozen=True)
class BaseMeasure:
    """A measure that follows `driver` at `ratio` of its national total, with own noise."""

    driver: str | None  # None: a national series from NATIONAL
    ratio: float = 1.0
    spread: float = 0.1  # lasting log-spread between gemeenten (local practice)
    vt_spread: float = 0.1  # lasting log-spread between VT-regio's (working practices differ)
    jitter: float = 0.06  # period-to-period log-noise of a gemeente of 20,000 inhabitants


BASE_MEASURES: dict[str, BaseMeasure] = {
    "adviezen": BaseMeasure(None, spread=0.12, vt_spread=0.15),
    "afgeronde_adviezen": BaseMeasure("adviezen", 0.985, 0.02, 0.02, 0.03),
    "meldingen": BaseMeasure(None, spread=0.10, vt_spread=0.12),
    "afgeronde_meldingen": BaseMeasure("meldingen", 0.975, 0.02, 0.02, 0.03),
    "afgeronde_triages": BaseMeasure("meldingen", 0.97, 0.02, 0.03, 0.03),
    "veiligheidsbeoordelingen": BaseMeasure("meldingen", 0.93, 0.03, 0.04, 0.03),
    "gestarte_onderzoeken": BaseMeasure("meldingen", 0.059, 0.15, 0.25, 0.2),
    # 7,350 afgeronde onderzoeken in 2023 of 127,340 meldingen
    "afgeronde_onderzoeken": BaseMeasure("gestarte_onderzoeken", 0.978, 0.03, 0.03, 0.1),
    "overdrachten": BaseMeasure("meldingen", 0.42, 0.10, 0.15, 0.06),
    "gestarte_monitoring": BaseMeasure("meldingen", 0.20, 0.12, 0.30, 0.1),
    "afgeronde_monitoring": BaseMeasure("gestarte_monitoring", 0.95, 0.03, 0.03, 0.05),
}

SUPPRESS_BELOW = 10  # a true count below this is published as null ('.')
ROUND_TO = 5
# Log-spread of category shares: lasting differences between gemeenten and
# VT-regio's, and period-to-period noise (for a gemeente of 20,000 inhabitants;
# smaller in larger gemeenten, as with counts).
GEMEENTE_SPREAD, VT_SPREAD = 0.12, 0.10
GEMEENTE_JITTER, VT_JITTER = 0.10, 0.03


class Context:
    """The geography, arranged per half year, shared by every table of one build."""

    def __init__(self, geo: Geography):
        self.geo = geo
        self.years = np.array([int(p[:4]) - FIRST_YEAR for p in HALF_YEARS])  # year index per half year
        self.t = np.arange(len(HALF_YEARS)) / 2.0  # years since 2019HJ01
        self.vt_gh = geo.vt_of[:, self.years]  # (G, H) VT index, -1 when not existing
        self.exists_gh = self.vt_gh >= 0
        self.shape = self.vt_gh.shape
        self.jitter_scale = np.clip(np.sqrt(20_000 / geo.sizes), 0.15, 3.0)[:, None]  # noise ~ 1/sqrt(size)

    def gemeente_normal(self, *salt: str) -> np.ndarray:
        return stable_rng("gm", *salt).standard_normal(self.shape)

    def gemeente_level(self, *salt: str) -> np.ndarray:
        """A fixed draw per gemeente (its character), the same in every half year."""
        return np.repeat(stable_rng("gm-fixed", *salt).standard_normal((self.shape[0], 1)), self.shape[1], axis=1)

    def vt_normal(self, *salt: str) -> np.ndarray:
        """One draw per VT-regio and half year, spread over its gemeenten."""
        draws = stable_rng("vt", *salt).standard_normal((len(self.geo.vt_codes), len(HALF_YEARS)))
        return draws[np.clip(self.vt_gh, 0, None), np.arange(len(HALF_YEARS))]

    def vt_level(self, *salt: str) -> np.ndarray:
        """A fixed draw per VT-regio (its character), spread over its gemeenten per half year."""
        draws = stable_rng("vt-fixed", *salt).standard_normal(len(self.geo.vt_codes))
        return draws[np.clip(self.vt_gh, 0, None)]

    def in_vt(self, vt_code: str) -> np.ndarray:
        return self.vt_gh == self.geo.vt_codes.index(vt_code)


@lru_cache(maxsize=1)
def context() -> Context:
    return Context(geography())


@lru_cache(maxsize=1)
def base_values() -> dict[str, np.ndarray]:
    """(G, H) true counts per base measure, shared by all tables so they agree."""
    ctx = context()
    geo = ctx.geo
    rate = np.exp(0.12 * np.array([stable_rng("rate", c).standard_normal() for c in geo.gemeenten]))
    trend = 1.0 + 0.025 * ctx.vt_level("trend") * ctx.t  # some VT-regio's grow, others shrink
    common = geo.sizes[:, None] * rate[:, None] * np.exp(0.12 * ctx.vt_level("rate")) * trend * ctx.exists_gh

    intensity: dict[str, np.ndarray] = {}
    national: dict[str, np.ndarray] = {}
    values: dict[str, np.ndarray] = {}
    for name, m in BASE_MEASURES.items():  # drivers come before the measures that follow them
        driver = common if m.driver is None else intensity[m.driver]
        noise = np.exp(m.spread * ctx.gemeente_level(name) + m.vt_spread * ctx.vt_level(name)
                       + m.jitter * ctx.jitter_scale * ctx.gemeente_normal(name))
        intensity[name] = driver * noise
        national[name] = np.array(NATIONAL[name], float) if m.driver is None else m.ratio * national[m.driver]
        values[name] = national[name] * intensity[name] / intensity[name].sum(axis=0)
    return values


def _part_weights(ctx: Context, part: Cat, source: str, salt: str) -> np.ndarray:
    """(G, H) share of `part` in its parent, before normalising an exclusive split."""
    noise = (
        GEMEENTE_SPREAD * ctx.gemeente_level(salt, part.title, source)
        + (VT_SPREAD + part.vt_spread) * ctx.vt_level(salt, part.title)
        + GEMEENTE_JITTER * ctx.jitter_scale * ctx.gemeente_normal(salt, part.title, source)
        + VT_JITTER * ctx.vt_normal(salt, part.title, source)
    )
    weight = share_of(part, source) * np.exp(noise)
    for r in part.regional:
        weight = np.where(ctx.in_vt(r.vt_region), weight * r.factor * (1.0 + r.growth * ctx.t), weight)
    return weight


def tree_values(ctx: Context, root: Cat, total: np.ndarray, source: str, salt: str) -> list[np.ndarray]:
    """(G, H) true values of every category of the tree, in `walk` order."""
    out: list[np.ndarray] = []

    def visit(cat: Cat, value: np.ndarray) -> None:
        out.append(value)
        for split in cat.splits:
            weights = [_part_weights(ctx, p, source, salt) for p in split.parts]
            if split.exclusive:
                norm = np.sum(weights, axis=0)
                shares = [w / norm for w in weights]
            else:  # each part is its own fraction of the parent
                shares = [np.minimum(w, 1.0) for w in weights]
            for part, share in zip(split.parts, shares):
                visit(part, value * share)

    visit(root, total)
    return out


def _aggregation(root: Cat) -> np.ndarray:
    """(categories, leaves) 0/1: which leaves add up to each category (exclusive trees)."""
    cats, leaf_list = list(walk(root)), leaves(root)
    leaf_pos = {id(c): i for i, c in enumerate(leaf_list)}
    matrix = np.zeros((len(cats), len(leaf_list)))
    for row, cat in enumerate(cats):
        for leaf in leaves(cat):
            matrix[row, leaf_pos[id(leaf)]] = 1.0
    return matrix


def _joint_values(ctx: Context, spec: TableSpec, total: np.ndarray, source: str) -> np.ndarray:
    """(G, H, C1, C2) for a table with two dimensions: leaf shares crossed, with interactions."""
    a, b = spec.dims
    assert all(s.exclusive for d in spec.dims for c in walk(d.root) for s in c.splits)
    ones = np.ones(ctx.shape)
    share_a = _leaf_shares(ctx, a, ones, source)
    share_b = _leaf_shares(ctx, b, ones, source)
    inter = np.array([[spec.interactions.get((la.title, lb.title), 1.0) for lb in leaves(b.root)] for la in leaves(a.root)])
    joint = share_a[..., :, None] * share_b[..., None, :] * inter
    joint /= joint.sum(axis=(-2, -1), keepdims=True)
    leaf_values = total[..., None, None] * joint
    return np.einsum("ghij,ai,bj->ghab", leaf_values, _aggregation(a.root), _aggregation(b.root), optimize=True)


def _leaf_shares(ctx: Context, dim: Dimension, ones: np.ndarray, source: str) -> np.ndarray:
    values = tree_values(ctx, dim.root, ones, source, dim.key)
    cats = list(walk(dim.root))
    leaf_ids = {id(c) for c in leaves(dim.root)}
    return np.stack([v for c, v in zip(cats, values) if id(c) in leaf_ids], axis=-1)


def gemeente_values(spec: TableSpec) -> np.ndarray:
    """(G, H, *categories, counted topics) true counts at gemeente level."""
    ctx, base = context(), base_values()
    counted = [t for t in flat_topics(spec.topics) if t.relative_to is None]
    columns = []
    if spec.hidden is not None:  # topic-only table: topics are nodes of a hidden tree
        nodes = {c.ref: v for c, v in zip(walk(spec.hidden), tree_values(ctx, spec.hidden, base["meldingen"], "meldingen", spec.id))}
        columns = [nodes[t.source] if t.source in nodes else base[t.source] for t in counted]
    elif not spec.dims:
        columns = [base[t.source] for t in counted]
    elif len(spec.dims) == 1:
        dim = spec.dims[0]
        columns = [np.stack(tree_values(ctx, dim.root, base[t.source], t.source, dim.key), axis=-1) for t in counted]
    else:
        columns = [_joint_values(ctx, spec, base[t.source], t.source) for t in counted]
    return np.stack(columns, axis=-1)


def regional_values(values_g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum gemeenten into every region and half years into years.

    Returns (R, P, ...) true values in PERIODS order and an (R, P) mask of the
    regions that exist in each period.
    """
    ctx = context()
    geo = ctx.geo
    memberships = {y: geo.membership(FIRST_YEAR + y) for y in sorted(set(ctx.years.tolist()))}
    halves = np.stack([np.tensordot(memberships[y], values_g[:, h], axes=(1, 0)) for h, y in enumerate(ctx.years)], axis=1)
    exists_h = np.stack([memberships[y].sum(axis=1) > 0 for y in ctx.years], axis=1)

    by_code = {p: i for i, p in enumerate(HALF_YEARS)}
    values, exists = [], []
    for period in PERIODS:
        if period in by_code:
            h = by_code[period]
            values.append(halves[:, h])
            exists.append(exists_h[:, h])
        else:  # a year is the sum of its two halves
            h1, h2 = by_code[period[:4] + "HJ01"], by_code[period[:4] + "HJ02"]
            values.append(halves[:, h1] + halves[:, h2])
            exists.append(exists_h[:, h1])
    return np.stack(values, axis=1), np.stack(exists, axis=1)


def publish(true: np.ndarray, exists: np.ndarray) -> np.ndarray:
    """CBS practice: round to a multiple of 5, suppress small cells; NaN = null."""
    mask = exists.reshape(exists.shape + (1,) * (true.ndim - exists.ndim))
    rounded = ROUND_TO * np.round(true / ROUND_TO)
    return np.where(mask & (true >= SUPPRESS_BELOW), rounded, np.nan)


def percentage(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """A relative topic, from the published (rounded) counts, one decimal; null when either is."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.round(100.0 * part / whole, 1)
    return np.where(np.isfinite(pct) & (whole > 0), pct, np.nan)
