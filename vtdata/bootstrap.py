"""First start: make sure there is a database, so the app always opens.

Without a database the demo data is built at once (a few seconds) so the app
is usable; when StatLine answers, a full refresh then runs in the background
and its result replaces the demo as soon as it is published.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from vtdata import store
from vtdata.catalog import KERNCIJFERS_TABLE
from vtdata.refresh import refresh, statline_url

PROBE_TABLE = KERNCIJFERS_TABLE
PROBE_TIMEOUT = 5


def statline_reachable(timeout: float = PROBE_TIMEOUT) -> bool:
    from vtdata import statline

    try:
        statline.configure(statline_url())
        statline.fetch_table_info(PROBE_TABLE, timeout=timeout, retries=0)
        return True
    except Exception:  # any failure means: not usable now
        return False


def start_background_refresh(db: Path) -> subprocess.Popen:
    log = open(db.parent / "refresh.log", "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "vtdata", "refresh", "--source", "statline", "--db", str(db)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def ensure_database(db=None) -> str | None:
    """Build a database if none is published; returns a Dutch message when it did."""
    db = store.db_path(db)
    if store.current_version(db) is not None:
        return None
    reachable = statline_reachable()
    refresh(source="demo", db=db)
    if reachable:
        start_background_refresh(db)
        return (
            "StatLine is bereikbaar: de cijfers worden op de achtergrond opgehaald. "
            "Tot die klaar zijn toont de app demonstratiegegevens."
        )
    return "StatLine is niet bereikbaar; de app toont demonstratiegegevens (geen echte CBS-cijfers)."
