"""First start: make sure there is a database, so the app always opens.

Without a database the demo data is built at once (a few seconds) so the app
is usable; when StatLine answers, a full refresh then runs in the background
and its result replaces the demo as soon as it is published.

A later start that still finds demo data (StatLine was down, or its refresh
failed) tries StatLine again, once per server process and in a background
thread, so no page waits for it (`retry_statline_in_background`).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

from vtdata.storage import store
from vtdata.model.catalog import KERNCIJFERS_TABLE
from vtdata.storage.refresh import refresh, statline_url
from vtdata.source.urls import with_encoded_userinfo

PROBE_TABLE = KERNCIJFERS_TABLE
PROBE_TIMEOUT = 5

log = logging.getLogger(__name__)


def statline_reachable(timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether StatLine answers with the TableInfos of the probe table.

    A plain request, not through cbsodata: the probe may run in a background
    thread of the app and must not change cbsodata's process-wide settings.
    """
    import requests

    base = statline_url().strip().rstrip("/")
    base = with_encoded_userinfo(base if "://" in base else "https://" + base)
    try:
        response = requests.get(f"{base}/ODataApi/odata/{PROBE_TABLE}/TableInfos", params={"$format": "json"}, timeout=timeout)
        return response.ok and bool(response.json().get("value"))
    except (requests.RequestException, ValueError):  # any failure means: not usable now
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
    _first_try(db)  # this start has asked StatLine already: no retry on top
    reachable = statline_reachable()
    refresh(source="demo", db=db)
    if reachable:
        start_background_refresh(db)
        return (
            "StatLine is bereikbaar: de cijfers worden op de achtergrond opgehaald. "
            "Tot die klaar zijn toont de app demonstratiegegevens."
        )
    return "StatLine is niet bereikbaar; de app toont demonstratiegegevens (geen echte CBS-cijfers)."


# --- later starts on demo data ------------------------------------------------------

_tried: set[str] = set()
_tried_lock = threading.Lock()


def _first_try(db: Path) -> bool:
    """True the first time this process asks about `db`; False ever after."""
    key = str(Path(db).absolute())
    with _tried_lock:
        if key in _tried:
            return False
        _tried.add(key)
        return True


class StatLineRetry:
    """One background attempt to replace demo data by StatLine's figures."""

    def __init__(self, db: Path):
        self.db = db
        self.process: subprocess.Popen | None = None  # the refresh, when StatLine answered
        self.thread = threading.Thread(target=self._run, name="vtdata-statline-retry", daemon=True)

    def _run(self) -> None:
        try:
            if store.refresh_running(self.db):
                return  # a refresh is already on its way
            if not statline_reachable():
                log.info("StatLine not reachable; the app keeps the demo data at %s", self.db)
                return
            self.process = start_background_refresh(self.db)
            log.info("StatLine reachable: refreshing %s in the background (pid %s)", self.db, self.process.pid)
        except Exception:  # never disturb the app; the reason is in the log
            log.exception("retrying StatLine for %s failed", self.db)


def retry_statline_in_background(db=None) -> StatLineRetry | None:
    """The published database holds demo data: try StatLine again, in the background.

    At most once per process (server start) and database; None when this process
    already tried (or built the database itself). Returns at once: the probe and
    the start of the refresh run in a daemon thread.
    """
    db = store.db_path(db)
    if not _first_try(db):
        return None
    retry = StatLineRetry(db)
    retry.thread.start()
    return retry
