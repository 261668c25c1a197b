"""Shared by the benchmark scripts (not a benchmark itself: run_all only runs bench_*.py)."""

from __future__ import annotations

from pathlib import Path


def benchmark_database(given: str | None, tmp: str) -> Path:
    """The database to measure: the one given, else a fresh demo database in `tmp`."""
    if given:
        return Path(given)
    from vtdata.refresh import refresh

    path = Path(tmp) / "vtdata.duckdb"
    refresh(source="demo", db=path)
    return path
