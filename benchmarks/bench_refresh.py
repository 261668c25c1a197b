"""Benchmark: bare cbsodata versus vtdata.source.statline (and the full refresh) on the fake StatLine.

Run from the project root:

    python benchmarks/bench_refresh.py                 # all ten demo tables, latency 0 and 0.2 s
    python benchmarks/bench_refresh.py --latency 0.5 --tables 84851NED 84852NED

The fake server runs in its own process (so it does not share the client's GIL),
serves the demo data set (`vtdata.source.demo`, StatLine shape and realistic sizes; the
sized sample table when the demo is missing) in pages of 10,000 rows, and adds
`--latency` seconds to every response to stand in for the network and CBS.

Timed, per latency:
  (a) bare cbsodata: ``download_data(id)`` of each table, one after the other;
  (b) ``vtdata.source.statline.download_tables(ids)``: tables and period parts in parallel,
      with timeouts and retries;
  (c) ``vtdata.storage.refresh.refresh(source="statline", db=<temp>)``: download, load DuckDB,
      validate, publish (when vtdata.storage.refresh exists and serves these tables).

Note: in cbsodata 1.3.5 ``download_data(typed=True)`` downloads the *Untyped* data
set (the flag is inverted), so (a) passes ``typed=False`` to get the same
TypedDataSet that (b) downloads.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cbsodata  # noqa: E402

from vtdata.source import statline  # noqa: E402


def start_server(latency: float, page_size: int, demo: bool, cells: int) -> tuple[subprocess.Popen, str]:
    args = [sys.executable, "-m", "tests.fake_statline", "--port", "0", "--page-size", str(page_size)]
    args += ["--latency", str(latency)]
    args += ["--demo"] if demo else ["--sized", str(cells)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"fake server did not start: {line!r}")
    url = line.split(" on ", 1)[1].strip()
    return proc, url


def served_tables(url: str) -> list[str]:
    statline.configure(url)
    return [t["Identifier"] for t in cbsodata.get_table_list()]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bare_download(ids: list[str]) -> dict[str, list]:
    out = {}
    for table_id in ids:
        data = cbsodata.download_data(table_id, typed=False)  # typed=False gives the TypedDataSet (see above)
        out[table_id] = data["TypedDataSet"]
    return out


def full_refresh(url: str, ids: list[str]):
    try:
        from vtdata.storage.refresh import refresh
    except ImportError:
        return None
    os.environ["VTDATA_STATLINE_URL"] = url
    with tempfile.TemporaryDirectory() as tmp:
        kwargs = {"table_ids": ids} if ids else {}
        try:
            return timed(lambda: refresh(source="statline", db=Path(tmp) / "vtdata.duckdb", **kwargs))[0]
        except Exception as exc:  # e.g. a catalog that does not know the sized sample table
            print(f"  (c) refresh failed: {exc}", file=sys.stderr)
            return None


def bench(latency: float, args) -> list[tuple[str, float]]:
    proc, url = start_server(latency, args.page_size, not args.sized, args.cells)
    try:
        ids = args.tables or served_tables(url)
        statline.configure(url)
        rows = []
        t_bare, bare = timed(lambda: bare_download(ids))
        rows.append(("(a) bare cbsodata, one table after the other", t_bare))
        t_ours, snaps = timed(lambda: statline.download_tables(ids, workers=args.workers))
        rows.append((f"(b) vtdata.source.statline.download_tables (workers={args.workers})", t_ours))
        mismatched = [s.table_id for s in snaps if s.rows != bare[s.table_id]]
        if mismatched:
            print(f"  WARNING: different rows for {mismatched}", file=sys.stderr)
        n_rows = sum(len(s.rows) for s in snaps)
        n_cells = sum(len(s.rows) * len(s.topic_keys) for s in snaps)
        if not args.no_refresh:
            t_refresh = full_refresh(url, ids if args.tables or args.sized else [])
            if t_refresh is not None:
                rows.append(("(c) vtdata.storage.refresh.refresh into a temporary DuckDB", t_refresh))
        print(
            f"\n### latency {latency:g} s per request, {len(ids)} tables, {n_rows:,} rows, {n_cells:,} cells, "
            f"pages of {args.page_size:,} rows\n"
        )
        print("| run | seconds | ratio to (a) |")
        print("|---|---:|---:|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.2f} | {seconds / t_bare:.2f} |")
        sys.stdout.flush()
        return rows
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.2], help="seconds added per response")
    parser.add_argument("--tables", nargs="+", help="table ids (default: all the server holds)")
    parser.add_argument("--page-size", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--sized", action="store_true", help="serve one sized sample table instead of the demo")
    parser.add_argument("--cells", type=int, default=400_000, help="cells of the sized table")
    parser.add_argument("--no-refresh", action="store_true", help="skip (c)")
    args = parser.parse_args(argv)
    for latency in args.latency:
        bench(latency, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
