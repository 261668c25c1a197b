"""A small in-process memo for what a view builds, bounded and per database version.

`st.cache_data` hashes (and pickles) its arguments and results on every call,
which cost a theme page about 1.5 ms per lookup; view keys here are small
hashable tuples (frozen dataclasses, strings), so a plain dict lookup does.
Results are shared between sessions and must be treated as read-only.

Every key starts with the database version. When a new version is published
the entries of older versions are dropped, so memory stays bounded by one
version's views (and by `maxsize`).

A key being built by one thread is waited for by another that asks for it
(a page and the background warm-up of `vtdata.ui.warmup`), not built twice.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict


def memo(maxsize: int = 256):
    """Memoise a function whose first argument is the database version."""

    def decorate(fn):
        entries: OrderedDict = OrderedDict()
        building: dict = {}  # key -> Event, set once that key's build ended
        lock = threading.Lock()
        latest: list[str] = [""]

        @functools.wraps(fn)
        def wrapper(version: str, *args, **kwargs):
            key = (version, args, tuple(sorted(kwargs.items())))
            while True:
                with lock:
                    if version != latest[0]:
                        for old in [k for k in entries if k[0] != version]:
                            del entries[old]
                        latest[0] = version
                    if key in entries:
                        entries.move_to_end(key)
                        return entries[key]
                    other = building.get(key)
                    if other is None:
                        done = building[key] = threading.Event()
                        break
                other.wait()  # then found, or built here when that build failed
            try:
                value = fn(version, *args, **kwargs)
                with lock:
                    entries[key] = value
                    while len(entries) > maxsize:
                        entries.popitem(last=False)
                return value
            finally:
                with lock:
                    del building[key]
                done.set()

        wrapper.cache_clear = entries.clear  # type: ignore[attr-defined]
        wrapper.cache_len = lambda: len(entries)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def built(version: str, key: tuple, build):
    """The result of `build()` for `key`, built once per database version (e.g. a chart spec)."""
    return _built(version, key, _Thunk(build))


class _Thunk:
    """Wraps the builder so it does not take part in the memo key."""

    __slots__ = ("build",)

    def __init__(self, build):
        self.build = build

    def __hash__(self):
        return 0

    def __eq__(self, other):
        return isinstance(other, _Thunk)


@memo(maxsize=512)
def _built(version: str, key: tuple, thunk: _Thunk):
    return thunk.build()
