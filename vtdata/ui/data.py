"""The app's access to the published database, with Streamlit caching.

`get_db()` returns the process-wide read-only `Database`; when there is no
database (or it cannot be read) it shows a Dutch message and stops the run, so
no traceback reaches the user.

The cached wrappers take the same arguments as the `Database` methods. Every
cache entry is keyed on `db.version` (`vtdata.ui.memo`), so a refresh that
publishes a new version invalidates them all, and the entries of the old version
are dropped when the new one is first asked for, so a long-running server does
not grow with each refresh. Arguments are normalised (lists -> sorted tuples) so equal
requests share one entry.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from vtdata.ui.memo import memo

log = logging.getLogger(__name__)

NO_DATABASE_MESSAGE = (
    "**Er is nog geen database met cijfers.**\n\n"
    "Bouw er een met `python -m vtdata refresh` (haalt de tabellen op bij CBS StatLine) "
    "of, zonder internet, met `python -m vtdata refresh --source demo` "
    "(demonstratiegegevens). Herlaad daarna deze pagina."
)

UNREADABLE_DATABASE_MESSAGE = (
    "**De database met cijfers kan niet worden gelezen.**\n\n"
    "Bouw hem opnieuw met `python -m vtdata refresh` (of `python -m vtdata refresh "
    "--source demo` voor demonstratiegegevens) en herlaad daarna deze pagina."
)


def auto_build_enabled() -> bool:
    """Build a database on first start (as on Streamlit Community Cloud), and on a later start with
    demo data try StatLine again in the background; VTDATA_AUTO_BUILD=0 turns both off."""
    return os.environ.get("VTDATA_AUTO_BUILD", "1") != "0"


_first_build_lock = threading.Lock()


def _build_first_database(path):
    """No database yet: build one now (demo at once, StatLine in the background)."""
    from vtdata.storage.bootstrap import ensure_database
    from vtdata.storage.store import current_version

    with _first_build_lock, st.spinner("De database wordt voor het eerst aangemaakt; dit duurt ongeveer een halve minuut…"):
        try:
            message = ensure_database(path)
        except Exception:  # another session may be building it; or the disk is full
            log.exception("first database build failed at %s", path)
            message = None
    if message:
        st.session_state["vtdata_first_build_message"] = message
    return current_version(path)


def show_first_build_message() -> None:
    """Tell once, after the first build, where the figures come from."""
    message = st.session_state.pop("vtdata_first_build_message", None)
    if message:
        st.info(message, icon=":material/info:")


def database():
    """The process-wide Database for $VTDATA_DB; exceptions propagate to the caller."""
    from vtdata.storage.queries import open_database

    return open_database()


# A page run asks for the database some twenty times; one resolution serves them all.
# A newly published version is picked up at most this many seconds later.
_RESOLVE_TTL = 0.25
_recent: dict[str, tuple[float, object]] = {}


def get_db():
    """The published database, or a Dutch message and `st.stop()`."""
    from vtdata.storage.store import current_version, db_path

    path = db_path()
    hit = _recent.get(str(path))
    if hit is not None and time.monotonic() - hit[0] < _RESOLVE_TTL:
        return hit[1]
    try:
        published = current_version(path)
    except OSError:
        published = None
    if (published is None or not published.exists()) and auto_build_enabled():
        published = _build_first_database(path)
    if published is None or not published.exists():
        st.error(NO_DATABASE_MESSAGE, icon=":material/database:")
        st.stop()
    try:
        db = database()
        db.meta()
    except Exception:  # any driver, store or schema error: tell the user, log the details
        log.exception("cannot open the database at %s", path)
        st.error(UNREADABLE_DATABASE_MESSAGE, icon=":material/error:")
        st.stop()
    if db.is_demo and auto_build_enabled():
        from vtdata.storage.bootstrap import retry_statline_in_background

        retry_statline_in_background(path)  # once per server start, never blocks this page
    _recent[str(path)] = (time.monotonic(), db)
    return db


def _tuple(values: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(sorted(dict.fromkeys(values)))


def _categories_key(categories: Mapping[str, Iterable[str]] | None):
    if not categories:
        return None
    return tuple(sorted((dim, _tuple(keys)) for dim, keys in categories.items()))


# --- cached queries --------------------------------------------------------
# The leading `version` argument is only the cache key; `database()` returns the
# Database that currently serves that version. One cache for every value the app
# keeps, `memo` (keyed on the version first; `built` and the element replay of
# `segments` use it too): it hands out the same object, so results are read-only,
# where st.cache_data would unpickle a copy per call.


@memo(maxsize=64)
def _meta(version: str) -> dict:
    return dict(database().meta())


@memo(maxsize=64)
def _tables(version: str) -> pd.DataFrame:
    return database().tables()


@memo(maxsize=64)
def regions_at(version: str, levels: tuple[str, ...] | None) -> pd.DataFrame:
    return database().regions(list(levels) if levels else None)


@memo(maxsize=64)
def periods_at(version: str) -> pd.DataFrame:
    return database().periods()


@memo(maxsize=256)
def _measures(version: str, table_id: str) -> pd.DataFrame:
    return database().measures(table_id)


@memo(maxsize=256)
def _dimensions(version: str, table_id: str) -> pd.DataFrame:
    return database().dimensions(table_id)


@memo(maxsize=512)
def _categories(version: str, table_id: str, dimension: str) -> pd.DataFrame:
    return database().categories(table_id, dimension)


@memo(maxsize=512)
def _observations(version, table_id, regions, periods, measures, categories) -> pd.DataFrame:
    return database().observations(
        table_id,
        regions=list(regions) if regions is not None else None,
        periods=list(periods) if periods is not None else None,
        measures=list(measures) if measures is not None else None,
        categories={dim: list(keys) for dim, keys in categories} if categories else None,
    )


@memo(maxsize=1024)
def _tables_holding(version: str, region: str) -> list[str]:
    return list(database().tables_holding(region))


@memo(maxsize=64)
def _vt_regions(version: str, year: int) -> dict[str, str]:
    """gemeente -> VT-regio in `year` in one query: a change or ranking view asks for hundreds."""
    frame = database().memberships([year])
    return dict(zip(frame["gemeente"], frame["vt_region"]))


@memo(maxsize=2048)
def _gemeenten_of(version: str, vt_region: str, year: int) -> list[str]:
    return list(database().gemeenten_of(vt_region, year))


@memo(maxsize=64)
def _shapes(version: str, level: str, year: int) -> pd.DataFrame:
    return database().shapes(level, year)


# --- public wrappers -------------------------------------------------------


def meta() -> dict:
    return _meta(get_db().version)


def is_demo() -> bool:
    return bool(get_db().is_demo)


def tables() -> pd.DataFrame:
    return _tables(get_db().version)


def regions(levels: Iterable[str] | None = None) -> pd.DataFrame:
    """`code, title, name, level` of every region (optionally of some levels)."""
    return regions_at(get_db().version, _tuple(levels))


def periods() -> pd.DataFrame:
    """`code, title, year, kind, status`, oldest first."""
    return periods_at(get_db().version)


def measures(table_id: str) -> pd.DataFrame:
    return _measures(get_db().version, table_id)


def dimensions(table_id: str) -> pd.DataFrame:
    return _dimensions(get_db().version, table_id)


def categories(table_id: str, dimension: str) -> pd.DataFrame:
    return _categories(get_db().version, table_id, dimension)


def observations(
    table_id: str,
    regions: Iterable[str] | str | None = None,
    periods: Iterable[str] | str | None = None,
    measures: Iterable[str] | str | None = None,
    categories: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Tidy observations, as `Database.observations` (suppressed: value NaN, suppressed True)."""
    return _observations(
        get_db().version,
        table_id,
        _tuple(regions),
        _tuple(periods),
        _tuple(measures),
        _categories_key(categories),
    )


def tables_holding(region: str) -> list[str]:
    return _tables_holding(get_db().version, region)


def vt_region_of(gemeente: str, year: int) -> str | None:
    """As `Database.vt_region_of`, looked up in that year's memberships (one query per year)."""
    return _vt_regions(get_db().version, int(year)).get(gemeente)


def gemeenten_of(vt_region: str, year: int) -> list[str]:
    return _gemeenten_of(get_db().version, vt_region, int(year))


def shapes(level: str, year: int) -> pd.DataFrame:
    return _shapes(get_db().version, level, int(year))
