"""The URL of the page: the one module that reads and writes `st.query_params`.

Everything a user looks at is in the link (region, period, presentatie, stap and
each view's choices, see `vtdata.ui.views.choices`), so every view can be
shared. Keeping all access here means one place decides how a parameter is read
(the last of repeated values wins), written (only when it changes: Streamlit
re-sends the URL on every write) and dropped. Values are parsed by one parser,
`vtdata.model.view.View.from_query`: the pages read the `View` of the link
(`link_view`), and check its values only against what the database offers
(`state` the region and period, `params` a view's options).
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from vtdata.model.view import REPLACED, View


def get(name: str, default: str | None = None) -> str | None:
    """The last value of `name` in the URL, else `default`."""
    try:
        values = st.query_params.get_all(name)
    except Exception:  # outside a script run (e.g. a background thread)
        return default
    return values[-1] if values else default


def get_all(name: str) -> list[str]:
    """Every value of a repeated parameter (e.g. `extra`), in order."""
    return list(st.query_params.get_all(name))


def has(name: str) -> bool:
    return name in st.query_params


def put(name: str, value: str | list[str]) -> None:
    """Set `name` (a list for a repeated parameter), only when it differs from what the URL holds."""
    if isinstance(value, (list, tuple)):
        if get_all(name) != list(value):
            st.query_params[name] = list(value)
    elif get_all(name) != [value]:
        st.query_params[name] = value


def drop(name: str) -> None:
    if name in st.query_params:
        del st.query_params[name]


def pairs() -> list[tuple[str, str]]:
    """All (name, value) pairs of the URL, repeated parameters included."""
    return [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]


def current_link() -> str:
    """The URL of this view, query parameters included, as a shareable link."""
    items = pairs()
    return (st.context.url or "") + ("?" + urlencode(items) if items else "")


def link_view(page: str = "") -> View:
    """The `View` of this run's link, parsed by `View.from_query` (aliases resolved, bad syntax dropped)."""
    return View.from_query(page, pairs())[0]


def current_view(page: str) -> View:
    """The `View` of this run's link; an old word for a choice (`toon=rate`) is written back in today's."""
    view, notes = View.from_query(page, pairs())
    for note in notes:
        if note.status == REPLACED and view.get(note.name):
            put(note.name, view.get(note.name))
    return view
