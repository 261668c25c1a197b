"""Build time and browser payload of the choropleth maps.

    python benchmarks/bench_map.py [--runs 7]

For the largest gemeente year and the newest VT-regio year: the median time of
`build_choropleth` (plus the deck's JSON serialisation, which st.pydeck_chart
does on every rerun) and the size of what st.pydeck_chart sends to the browser
(spec JSON and tooltip JSON), next to what pydeck's default indented JSON would
have been. Prints a Markdown table; then the time `geo.load_into` takes to put
every bundled boundary year into a fresh database (part of every refresh).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from pydeck.bindings.json_tools import serialize  # noqa: E402

from vtdata.storage import geo  # noqa: E402
from vtdata.ui.maps import build_choropleth, payload_bytes  # noqa: E402


def _values(shapes: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    values = pd.DataFrame(
        {"code": shapes["code"], "value": (rng.gamma(2.0, 300.0, len(shapes)) // 5) * 5, "suppressed": False}
    )
    secret = values.index[::17]
    values.loc[secret, "value"] = np.nan
    values.loc[secret, "suppressed"] = True
    return values.iloc[:-3]  # a few regions without a row


def bench(level: str, year: int, runs: int) -> dict:
    shapes = geo.load_shapes(level, year)
    values = _values(shapes)
    selected = shapes["code"].iloc[len(shapes) // 2]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        chart = build_choropleth(shapes, values, selected=selected, value_label="Meldingen")
        chart.deck.to_json()
        timings.append(time.perf_counter() - start)
    return {
        "map": f"{level} {year}",
        "features": chart.n_features,
        "build_ms": statistics.median(timings) * 1000,
        "payload_kb": payload_bytes(chart.deck) / 1024,
        "indented_kb": len(serialize(chart.deck).encode("utf-8")) / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    def gm_size(year: int) -> int:
        return int(geo.load_shapes("GM", year)["geometry"].str.len().sum())

    largest_gm = max(geo.bundled_years("GM"), key=gm_size)
    rows = [bench("GM", largest_gm, args.runs), bench("VT", geo.bundled_years("VT")[-1], args.runs)]
    print(f"| map | features | build + serialise (median of {args.runs}) | payload to browser | pydeck default (indented) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['map']} | {r['features']} | {r['build_ms']:.0f} ms | {r['payload_kb']:.0f} KB | {r['indented_kb']:.0f} KB |"
        )
    print()
    print(f"Loading all bundled boundaries ({geo.bundled_years('GM')[0]}–{geo.bundled_years('GM')[-1]}) into a new "
          f"database with `geo.load_into`: {load_into_ms(args.runs):.0f} ms (median of {args.runs}).")
    return 0


def load_into_ms(runs: int) -> float:
    import duckdb

    from vtdata.storage.schema import SCHEMA_SQL

    years = range(geo.bundled_years("GM")[0], geo.bundled_years("GM")[-1] + 1)
    timings = []
    for _ in range(runs):
        con = duckdb.connect()
        con.execute(SCHEMA_SQL)
        start = time.perf_counter()
        geo.load_into(con, years)
        timings.append(time.perf_counter() - start)
        con.close()
    return statistics.median(timings) * 1000


if __name__ == "__main__":
    sys.exit(main())
