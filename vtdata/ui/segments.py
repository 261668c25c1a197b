"""Parts of a page drawn once per database version and view; later runs resend them.

Every click reruns the whole page, but most of what a theme page shows
(headings, charts with their rows, the headline table, legends, captions)
depends only on the database version and the view, not on the click. Building
it again (pandas shaping, Altair, Arrow conversion of chart rows) cost a rerun
5-10x what sending the same elements costs.

`segment(version, key, draw)` runs `draw()` once per version and `key`.
Streamlit records the elements a function cached with `st.cache_resource` makes
and replays them on a later call, in the container the call is made from, so a
later run only resends them. Rules for `draw`: no widgets (Streamlit refuses
widgets in a cached function: keep choices, menus and expanders that track
their state outside), and everything it depends on must be in `key`. Its
return value is shared between sessions: read-only.
"""

from __future__ import annotations

import itertools
import threading

import streamlit as st

from vtdata.ui.memo import built

MAX_SEGMENTS = 600  # a segment holds at most a few hundred KB (a map's legend, a chart's rows)

_tokens = itertools.count()
_latest = {"version": ""}
_lock = threading.Lock()


def segment(version: str, key: tuple, draw):
    """The value of `draw()`, whose elements are drawn once per version and `key` and replayed after."""
    with _lock:
        if version != _latest["version"]:  # a new database: the old version's segments are never asked for again
            if _latest["version"]:
                _replayed.clear()
            _latest["version"] = version
    # a small int names the segment for Streamlit's cache: hashing view specs there on every call is slow
    token = built(version, ("segment", *key), lambda: next(_tokens))
    return _replayed(version, token, _draw=draw)


@st.cache_resource(show_spinner=False, max_entries=MAX_SEGMENTS)
def _replayed(version: str, token: int, _draw):
    return _draw()
