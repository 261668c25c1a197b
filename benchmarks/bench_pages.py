"""Page speed: the warm rerun of every page against a trivial page, under AppTest.

    python benchmarks/bench_pages.py [--runs 5] [--db PATH]

Builds a demo database in a temporary directory (or uses --db), then for every
URL path of the contract runs the real app (`streamlit_app.py`, which builds the
`st.navigation` and the global selectors) with `AppTest`, selects the page
script (`at.switch_page("app_pages/<page>.py")`, which is how AppTest 1.67 selects
a page of an `st.navigation` app: the main script runs and `page.run()` runs that
page) with region GM0363 (its VT-regio for a theme held only in VT-regio tables) and
period 2023HJ01, and times

- the first run of the page after the shell has run once (home), with the Streamlit
  caches cold for what only that page needs (pages run in this order in one
  process, so shared lookups such as the region list are warm by then; switching
  before the first run is unreliable in AppTest 1.67: it sometimes runs the home page),
- the median of N reruns (warm: what a user waits for after each click).

Each run is checked to have shown the page's own title and no exception, so the
figure is the page and not an error or the home page. The baseline is a trivial
app with a single `st.write`, run the same way. Goal: every page's warm rerun
within 3x the baseline's. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import benchmark_database  # noqa: E402

REGION, PERIOD = "GM0363", "2023HJ01"
GOAL = 3.0
TIMEOUT = 300


def _pages():
    from vtdata.catalog import THEMES

    pages = [("/", "app_pages/home.py", ("Handelingsprotocol", "Veilig Thuis in cijfers"))]
    pages += [(f"/{t.slug}", f"app_pages/{t.slug.replace('-', '_')}.py", (t.title,)) for t in THEMES]
    pages.append(("/colofon", "app_pages/colofon.py", ("Colofon",)))
    return pages


def _timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    return (time.perf_counter() - start) * 1000


def _check(at, title: tuple[str, ...], where: str) -> None:
    if at.exception:
        raise SystemExit(f"{where}: exception on the page: {at.exception[0].value}")
    titles = [str(t.value) for t in at.title]
    if not any(t.casefold().startswith(prefix.casefold()) for t in titles for prefix in title):
        raise SystemExit(f"{where}: expected the title {title!r}, got {titles}: not measuring this page")


def bench_page(script: str, title: tuple[str, ...], region: str, runs: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.query_params["region"] = region
    at.query_params["period"] = PERIOD
    at.run()  # the shell's first run (home page), not counted
    at.switch_page(script)
    first = _timed_run(at)
    _check(at, title, script)
    warm = []
    for _ in range(runs):
        warm.append(_timed_run(at))
        _check(at, title, script)
    return first, statistics.median(warm)


def bench_trivial(runs: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.write('Hallo')\n", default_timeout=TIMEOUT)
    first = _timed_run(at)
    warm = [_timed_run(at) for _ in range(runs)]
    if at.exception or not at.markdown:
        raise SystemExit("the trivial page did not run")
    return first, statistics.median(warm)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm reruns per page (median)")
    parser.add_argument("--db", help="an existing database (default: build a demo database in a temporary directory)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vtdata-bench-pages-") as tmp:
        db = benchmark_database(args.db, tmp)
        os.environ["VTDATA_DB"] = str(db)
        os.chdir(ROOT)  # page paths and .streamlit/ are relative to the project

        base_first, base_warm = bench_trivial(args.runs)
        rows = []
        from vtdata.catalog import THEMES_BY_SLUG
        from vtdata.queries import open_database

        database = open_database(db)
        holding = set(database.tables_holding(REGION))
        vt_region = database.vt_region_of(REGION, int(PERIOD[:4]))
        for path, script, title in _pages():
            theme = THEMES_BY_SLUG.get(path.strip("/"))
            # A theme only in Veilig Thuis-regio tables shows just a message for a gemeente:
            # measure it for the gemeente's VT-regio, so the charts and map are in the figure.
            region = REGION if theme is None or holding & set(theme.tables) else vt_region
            first, warm = bench_page(script, title, region, args.runs)
            rows.append((path, region, first, warm))

    print(f"AppTest, demo database, region {REGION}, period {PERIOD}; warm = median of {args.runs} reruns; "
          f"goal: warm rerun within {GOAL:.0f}x the trivial page.\n")
    print("| page | region | first run | warm rerun | ratio to trivial | within goal |")
    print("|---|---|---:|---:|---:|:---:|")
    print(f"| trivial page (one `st.write`) | | {base_first:.0f} ms | {base_warm:.1f} ms | 1.0x | |")
    slow = []
    for path, region, first, warm in rows:
        ratio = warm / base_warm if base_warm else float("inf")
        ok = ratio <= GOAL
        if not ok:
            slow.append(path)
        print(f"| `{path}` | {region} | {first:.0f} ms | {warm:.0f} ms | {ratio:.1f}x | {'yes' if ok else 'no'} |")
    print()
    if slow:
        print(f"Not within {GOAL:.0f}x of the trivial page: {', '.join(f'`{p}`' for p in slow)}.")
    else:
        print(f"Every page reruns within {GOAL:.0f}x of the trivial page.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
