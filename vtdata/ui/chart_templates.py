"""Chart specs from cached templates: Altair builds a chart's shape once, later charts of the
same shape only get their own rows.

Building a chart with Altair (its schema objects, the copies made when layering and faceting,
`to_dict`) was half of a page run that shows a region or period for the first time, though the
charts of two regions differ only in their rows (and description). A builder names everything
else its spec depends on (the `shape`: measure, titles, category and period orders, the height,
the legends) and gets the spec Altair would make: Altair's own rows and dataset name, the
template's everything else. `tests/test_chart_templates.py` checks that they are equal.
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


def from_template(shape: tuple, data: pd.DataFrame, description: str, build: Callable[[pd.DataFrame], alt.TopLevelMixin]) -> BuiltSpec:
    """The spec of `build(data)` with `description`: built by Altair once per `shape`, which must
    name everything besides the rows and the description that `build` puts into the spec."""
    with _lock:
        found = _templates.get(shape)
        if found is not None:
            _templates.move_to_end(shape)
    if found is None:
        found = _template(build(data).to_dict(validate=False))
        with _lock:
            _templates[shape] = found
            while len(_templates) > TEMPLATES:
                _templates.popitem(last=False)
    template, placeholder = found
    values = alt.data_transformers.get()(data)["values"]  # the rows exactly as Altair sends them
    name = _dataset_name(values)
    spec = _renamed(template, placeholder, name)
    return BuiltSpec({**spec, "description": description, "datasets": {name: values}})


def _template(spec: dict) -> tuple[dict, str]:
    datasets = spec.pop("datasets", {})
    if len(datasets) != 1:
        raise ValueError(f"a chart template needs exactly one dataset, found {len(datasets)}")
    (name,) = datasets
    return spec, name


def _renamed(value, old: str, new: str):
    """`value` with every data reference `{"name": old}` pointing at `new` (a fresh structure)."""
    if isinstance(value, dict):
        if value.get("name") == old and set(value) == {"name"}:
            return {"name": new}
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    return value
