"""Shared fixtures: one demo database per test session.

`demo_db` builds the demo database once (in a temporary directory, offline)
and points `VTDATA_DB` at it, so `streamlit.testing.v1.AppTest` runs of the app
read it. The previous value of `VTDATA_DB` is restored when the session ends.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never use the internet: unless a test points it at its own fake server,
# StatLine is a closed local port (also for subprocesses, which inherit this).
os.environ["VTDATA_STATLINE_URL"] = "http://127.0.0.1:9"
os.environ["VTDATA_PDOK_URL"] = "http://127.0.0.1:9"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """Path of a complete demo database; `VTDATA_DB` points at it."""
    from vtdata.refresh import refresh

    path = tmp_path_factory.mktemp("demo-db") / "vtdata.duckdb"
    refresh(source="demo", db=path)
    previous = os.environ.get("VTDATA_DB")
    os.environ["VTDATA_DB"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("VTDATA_DB", None)
    else:
        os.environ["VTDATA_DB"] = previous
