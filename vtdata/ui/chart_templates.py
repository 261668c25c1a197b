"""Chart specs from cached templates: Altair builds a chart's shape once, later charts of the
same shape only get their own rows.

Building a chart with Altair (its schema objects, the copies made when layering and faceting,
`to_dict`) was half of a page run that shows a region or period for the first time, though the
charts of two regions differ only in their rows (and description). A builder names everything
else its spec depends on (the `shape`: measure, titles, category and period orders, the height,
the legends) and gets the spec Altair would make: Altair's own rows and dataset name, the
template's everything else. Names that vary between charts of one shape (the regions a
comparison shows, the categories a trend shows) are `names`: the template holds placeholders
where they go, so a new region reuses it. `tests/test_chart_templates.py` checks that they are equal.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import altair as alt
import pandas as pd
from altair.vegalite.v6.api import _dataset_name  # the name Altair gives a dataset, so specs stay identical

TEMPLATES = 128  # shapes kept (a few KB each)

_templates: OrderedDict[tuple, tuple[dict, str]] = OrderedDict()
_lock = threading.Lock()


class BuiltSpec:
    """A chart's Vega-Lite spec; answers `to_dict` like the Altair chart it stands for."""

    def __init__(self, spec: dict):
        self.spec = spec

    def to_dict(self, validate: bool = False) -> dict:
        return dict(self.spec)


Builder = Callable[[pd.DataFrame, tuple[str, ...]], alt.TopLevelMixin]


def from_template(shape: tuple, data: pd.DataFrame, description: str, build: Builder, names: tuple[str, ...] = ()) -> BuiltSpec:
    """The spec of `build(data, names)` with `description`: built by Altair once per `shape`, which
    must name everything besides the rows, the names and the description that `build` puts into
    the spec. `build` may use `names` only as strings the spec shows (sort orders, domains)."""
    placeholders = _placeholders(len(names))
    with _lock:
        found = _templates.get(shape)
        if found is not None:
            _templates.move_to_end(shape)
    if found is None:
        found = _template(build(data, placeholders).to_dict(validate=False))
        with _lock:
            _templates[shape] = found
            while len(_templates) > TEMPLATES:
                _templates.popitem(last=False)
    template, dataset = found
    values = alt.data_transformers.get()(data)["values"]  # the rows exactly as Altair sends them
    name = _dataset_name(values)
    spec = _filled(template, {dataset: name, **dict(zip(placeholders, names))})
    return BuiltSpec({**spec, "description": description, "datasets": {name: values}})


def _placeholders(count: int) -> tuple[str, ...]:
    """Strings no chart shows, standing in for `names` in a template."""
    return tuple(f"\x00name{i}\x00" for i in range(count))


def _template(spec: dict) -> tuple[dict, str]:
    datasets = spec.pop("datasets", {})
    if len(datasets) != 1:
        raise ValueError(f"a chart template needs exactly one dataset, found {len(datasets)}")
    (name,) = datasets
    return spec, name


def _filled(value, strings: dict[str, str]):
    """`value` with every string that is a key of `strings` replaced by its value (a fresh structure):
    the template's dataset name in data references, and the placeholders of the names."""
    if isinstance(value, str):
        return strings.get(value, value)
    if isinstance(value, dict):
        return {k: _filled(v, strings) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, strings) for v in value]
    return value
