"""Shared by the benchmark scripts (not a benchmark itself: run_all only runs bench_*.py)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def benchmark_database(given: str | None, tmp: str) -> Path:
    """The database to measure: the one given, else a fresh demo database in `tmp`."""
    if given:
        return Path(given)
    from vtdata.refresh import refresh

    path = Path(tmp) / "vtdata.duckdb"
    refresh(source="demo", db=path)
    return path


def start_server(db: Path, log_path: Path, timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """`streamlit run` on a free loopback port serving `db`, once /_stcore/health answers ok: (process, base URL)."""
    from tests.e2e.conftest import _free_port, _healthy, _stop
    from tests.e2e.helpers import streamlit_server

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = streamlit_server(db, port, log)
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise SystemExit(f"streamlit did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.25)
    return process, url


def region_for_pages(db: Path, region: str, period: str) -> Callable[[str], str]:
    """The region to measure a URL path for: `region`, or its VT-regio for a theme held only in VT-regio tables.

    Such a theme shows just a message for a gemeente: measured for the gemeente's
    VT-regio, its charts and map are in the figure.
    """
    from vtdata.catalog import THEMES_BY_SLUG
    from vtdata.queries import open_database

    database = open_database(db)
    holding = set(database.tables_holding(region))
    vt_region = database.vt_region_of(region, int(period[:4]))

    def region_for(path: str) -> str:
        theme = THEMES_BY_SLUG.get(path.strip("/"))
        return region if theme is None or holding & set(theme.tables) else vt_region

    return region_for
