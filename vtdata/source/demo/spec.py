"""The vocabulary in which the ten demo tables are described (see `tables.py`).

A table is a set of dimensions (each a tree of categories) and topics. A
category's children come in `Split`s: an exclusive split divides the parent
over its parts (the parts add up to it), a non-exclusive split gives each part
its own fraction of the parent (several answers possible).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

Share = float | Mapping[str, float]  # one share, or one per source measure


@dataclass(frozen=True)
class Regional:
    """A regional pattern on a category's share: `factor`, growing `growth` per year since 2019."""

    vt_region: str
    factor: float = 1.0
    growth: float = 0.0


@dataclass(frozen=True)
class Cat:
    title: str
    share: Share = 1.0  # of the parent; relative weight in an exclusive split
    splits: tuple[Split, ...] = ()
    description: str | None = None
    vt_spread: float = 0.0  # extra log-spread between VT-regio's, so regions differ
    regional: tuple[Regional, ...] = ()
    ref: str | None = None  # name by which a topic can refer to this category


@dataclass(frozen=True)
class Split:
    parts: tuple[Cat, ...]
    group: str | None = None  # CategoryGroup title; None stays in the enclosing group
    exclusive: bool = True
    description: str | None = None


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    root: Cat  # the "Totaal" category
    code_prefix: str  # category keys: root "T001038", others prefix + running number
    code_start: int
    description: str | None = None


@dataclass(frozen=True)
class Topic:
    title: str
    source: str  # a base measure (see values.BASE_MEASURES) or a Cat.ref of the table's hidden tree
    unit: str = "aantal"
    relative_to: str | None = None  # for a %: the source of the denominator; `source` is the numerator
    description: str | None = None


@dataclass(frozen=True)
class TopicGroup:
    title: str
    items: tuple[Topic | TopicGroup, ...]
    description: str | None = None


@dataclass(frozen=True)
class TableSpec:
    id: str
    short_title: str
    summary: str
    levels: tuple[str, ...]  # region levels, e.g. ("NL", "VT")
    topics: tuple[Topic | TopicGroup, ...]
    dims: tuple[Dimension, ...] = ()
    hidden: Cat | None = None  # tree of a topic-only table (85361NED): topics refer to its Cat.refs
    interactions: Mapping[tuple[str, str], float] = field(default_factory=dict)  # two-dimension tables


def share_of(cat: Cat, source: str) -> float:
    if isinstance(cat.share, Mapping):
        return cat.share[source]
    return cat.share


def walk(cat: Cat):
    """Depth-first, pre-order: the order in which StatLine lists the categories."""
    yield cat
    for split in cat.splits:
        for part in split.parts:
            yield from walk(part)


def leaves(cat: Cat) -> list[Cat]:
    return [c for c in walk(cat) if not c.splits]


def flat_topics(items) -> list[Topic]:
    out: list[Topic] = []
    for item in items:
        out += flat_topics(item.items) if isinstance(item, TopicGroup) else [item]
    return out


def seed(*parts: str) -> int:
    """A stable seed: Python's hash() is salted per process, crc32 is not."""
    return zlib.crc32("\x1f".join(parts).encode("utf-8"))


def stable_rng(*parts: str) -> np.random.Generator:
    return np.random.default_rng(seed(*parts))


def topic_key(title: str, number: int) -> str:
    """StatLine style: the title in CamelCase without punctuation, '_' and the running number."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_title)
    camel = "".join(w[:1].upper() + w[1:] for w in words)
    return f"{camel[:40]}_{number}"
