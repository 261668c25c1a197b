"""Typical page queries through the query API against filtering the same data in pandas.

    python benchmarks/bench_queries.py [--runs 15] [--db PATH]

On a demo database (built in a temporary directory unless --db is given), table
84852NED (veiligheidsbeoordeling en -taxatie, two category dimensions):

- one region, all half-years: what the trend chart of a theme page needs;
- one period, all gemeenten: what the map and the ranking need;
- one region and period, totals of one dimension: what a distribution chart needs.

"query API" is `Database.observations(...)`: one DuckDB scan of the cells (stored
sorted by table, region and period), titles and order from the table's keys,
the same tidy frame as ever. "pandas" is boolean filtering of a DataFrame
holding all observations of that table, loaded once through the same API (the
load time is shown separately). Both must return the same cells. Median of N
runs; goal: the query API at most as slow as pandas (1x). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import benchmark_database  # noqa: E402

TABLE = "84852NED"
REGION = "GM0363"
PERIOD = "2023HJ01"
GOAL = 1.0  # query API time / pandas time


def _timed_ms(func) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return (time.perf_counter() - start) * 1000, result


def _medians_ms(first, second, runs: int) -> tuple[float, object, float, object]:
    """Median times of two functions run in turns, so a busy spell of the machine hits both alike."""
    first(), second()  # warm
    times_first, times_second = [], []
    for _ in range(runs):
        ms, first_result = _timed_ms(first)
        times_first.append(ms)
        ms, second_result = _timed_ms(second)
        times_second.append(ms)
    return statistics.median(times_first), first_result, statistics.median(times_second), second_result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", help="an existing database (default: build a demo database in a temporary directory)")
    args = parser.parse_args(argv)

    from vtdata.storage.queries import open_database

    with tempfile.TemporaryDirectory(prefix="vtdata-bench-queries-") as tmp:
        path = benchmark_database(args.db, tmp)
        db = open_database(path)

        periods = db.periods()
        half_years = periods.loc[periods["kind"] == "HJ", "code"].tolist()
        regions = db.regions()
        gemeenten = regions.loc[regions["level"] == "GM", "code"].tolist()
        dims = db.dimensions(TABLE)
        first_dim, second_dim = dims["key"].iloc[0], dims["key"].iloc[1]
        total = db.categories(TABLE, second_dim)
        total_key = total.loc[total["title"].str.casefold() == "totaal", "key"].iloc[0]

        start = time.perf_counter()
        everything = db.observations(TABLE)
        load_ms = (time.perf_counter() - start) * 1000

        cases = [
            (
                f"one region ({REGION}), all {len(half_years)} half-years",
                lambda: db.observations(TABLE, regions=[REGION], periods=half_years),
                lambda: everything[(everything["region"] == REGION) & everything["period"].isin(half_years)],
            ),
            (
                f"one period ({PERIOD}), all {len(gemeenten)} gemeenten",
                lambda: db.observations(TABLE, regions=gemeenten, periods=[PERIOD]),
                lambda: everything[everything["region"].isin(gemeenten) & (everything["period"] == PERIOD)],
            ),
            (
                f"one region and period, {first_dim} by {second_dim} = Totaal",
                lambda: db.observations(
                    TABLE, regions=[REGION], periods=[PERIOD], categories={second_dim: [total_key]}
                ),
                lambda: everything[
                    (everything["region"] == REGION)
                    & (everything["period"] == PERIOD)
                    & (everything[second_dim] == total_key)
                ],
            ),
        ]
        rows = []
        for name, api, frame in cases:
            api_ms, api_result, pandas_ms, pandas_result = _medians_ms(api, frame, args.runs)
            if len(api_result) != len(pandas_result) or not len(api_result):
                raise SystemExit(f"{name}: the query API gives {len(api_result)} rows, pandas {len(pandas_result)}")
            if abs(api_result["value"].sum() - pandas_result["value"].sum()) > 1e-6:
                raise SystemExit(f"{name}: different values from the query API and pandas")
            rows.append((name, len(api_result), api_ms, pandas_ms))

    print(
        f"Table {TABLE}, {len(everything):,} observations (demo data); median of {args.runs} runs, "
        "query API and pandas in turns. "
        f"Loading all observations of the table into pandas once: {load_ms:.0f} ms.\n"
    )
    print("| query | rows | query API (DuckDB) | pandas filter (preloaded) | API / pandas | within goal |")
    print("|---|---:|---:|---:|---:|:---:|")
    for name, n, api_ms, pandas_ms in rows:
        ratio = api_ms / pandas_ms if pandas_ms else float("inf")
        ok = "yes" if ratio <= GOAL else "no"
        print(f"| {name} | {n:,} | {api_ms:.1f} ms | {pandas_ms:.1f} ms | {ratio:.2f}x | {ok} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
