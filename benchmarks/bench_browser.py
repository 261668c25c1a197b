"""What a user waits for in a browser: `streamlit run` on the demo database in headless chromium, from a fresh server to a click.

    python benchmarks/bench_browser.py [--repeats 3] [--db PATH]

Starts `streamlit run streamlit_app.py` on a free loopback port with a demo
database (built in a temporary directory unless --db is given), waits until
/_stcore/health answers, and opens pages in headless Debian chromium (Playwright;
viewport 1280x720, a new browser context per measurement), region GM0363 (its
VT-regio for a theme held only in VT-regio tables), period 2023HJ01:

1. first visit after the server started: /overdrachten;
2. first visit of each other theme page, after the server had ~10 s to warm the
   default views in the background (`vtdata.ui.warmup`);
3. revisit of /overdrachten (everything cached);
4. a click: on that page, the "Toon" segmented control (or the tab "Ranglijst"),
   alternating between two options; the median of 5 clicks;
5. on the now warm server, against a minimal Streamlit page served by its own
   `streamlit run` for the whole run (`benchmarks/browser_floor.py`): first
   visits with the bytes they download, tab clicks, region and period changes
   (the minimal page: its selectbox), presentation steps and a map click, shown
   beside the minimal page's figure of the same kind and the ratio; the map's
   first frame and a map click also beside the minimal page's own map.

A visit is timed from `page.goto` until the headline table (`table.vt-head` in
the main area) is visible, and until the script run has finished and every
element has drawn, each at the first frame painted so, on the page's own clock;
a click from the click until its rerun has finished. The
whole is repeated for a fresh server each time (--repeats); the table shows
medians. Bounded: no new repeat starts when it would pass ~5 minutes. Nothing
leaves the machine: chromium's proxy is a closed port that only 127.0.0.1 bypasses
(`tests.e2e.helpers.OFFLINE_ARGS`, as in the browser tests).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.browser_floor import HEADLINE, MINIMAL_DRAWN, VIEWPORT, first_visit, floor_table, opened, timed_rerun  # noqa: E402
from benchmarks.browser_floor import measure_map_click, measure_minimal, measure_minimal_maps, measure_vtdata, warm_minimal  # noqa: E402
from benchmarks.support import benchmark_database, region_for_pages, start_minimal_server, start_server, write_minimal_shapes  # noqa: E402
from tests.e2e.conftest import _stop  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, GEMEENTE, OFFLINE_ARGS, PAGES, PERIOD  # noqa: E402
from tests.e2e.helpers import url_for  # noqa: E402

FIRST_PAGE = "/overdrachten"
WARM_UP_S = 10
CLICKS = 5
DEADLINE_S = 5 * 60

def theme_pages() -> list[str]:
    from vtdata.model.catalog import THEMES_BY_SLUG

    return [path for path in PAGES if path.strip("/") in THEMES_BY_SLUG]


@contextlib.contextmanager
def visit(browser, url: str, path: str, region: str):
    """Open `path` in a new browser context: (page, ms until the headline is visible, ms until the run finished)."""
    full_url = url_for(url, path, region=region, period=PERIOD)
    with opened(browser, full_url, HEADLINE, what=f"{path} {region}") as visited:
        yield visited.page, visited.drawn_ms, visited.finished_ms


def click_targets(page) -> tuple[str, list]:
    """What the clicks alternate between: the "Toon" options, else two tabs."""
    show = page.get_by_role("radiogroup", name="Toon")
    if show.count():
        names = ("Aandeel", "Per 1.000 inwoners")
        return "Toon: Aandeel / Per 1.000 inwoners", [show.get_by_role("radio", name=n, exact=True) for n in names]
    names = ("Ranglijst", "Overzicht per categorie")
    return "tab Ranglijst / Overzicht per categorie", [page.get_by_role("tab", name=n, exact=True) for n in names]


def timed_click(page, target) -> float:
    """ms from the click until the rerun it starts has finished."""
    return timed_rerun(
        page, target.click, lambda: "true" in (target.get_attribute("aria-checked"), target.get_attribute("aria-selected"))
    )


@dataclass
class Floor:
    """Samples of vtdata and of the minimal page, by kind, over every server (see browser_floor)."""

    minimal_url: str
    vtdata: defaultdict = field(default_factory=lambda: defaultdict(list))
    minimal: defaultdict = field(default_factory=lambda: defaultdict(list))


def cold_minimal_visit(browser, folder: Path) -> tuple[float, float]:
    """(ms until its text shows, ms until its run finished) of the first visit to a minimal page right after
    its own server started (as vtdata's first visit)."""
    process, url = start_minimal_server(folder, folder / "minimal-cold.log")
    try:
        with first_visit(browser, url + "/", MINIMAL_DRAWN) as visited:
            return visited.drawn_ms, visited.finished_ms
    finally:
        _stop(process)


def one_server(browser, db: Path, log_path: Path, region_for, floor: Floor) -> list[tuple[str, str, float | None, float]]:
    """Every case against a freshly started server: (case, page, headline ms, run finished ms).

    Then, on the now warm server, the clicks and visits compared with the minimal page (into `floor`).
    """
    rows = []
    process, url = start_server(db, log_path)
    try:
        with visit(browser, url, FIRST_PAGE, region_for(FIRST_PAGE)) as (_, headline, finished):
            rows.append(("first visit after the server started", FIRST_PAGE, headline, finished))
        floor.vtdata["cold_visit"].append(finished)
        floor.vtdata["cold_visit_seen"].append(headline)
        minimal_seen, minimal_finished = cold_minimal_visit(browser, log_path.parent)
        floor.minimal["cold_visit"].append(minimal_finished)
        floor.minimal["cold_visit_seen"].append(minimal_seen)
        time.sleep(WARM_UP_S)
        for path in theme_pages():
            if path != FIRST_PAGE:
                with visit(browser, url, path, region_for(path)) as (_, headline, finished):
                    rows.append(("first visit on a warm server", path, headline, finished))
        with visit(browser, url, FIRST_PAGE, region_for(FIRST_PAGE)) as (page, headline, finished):
            rows.append(("revisit", FIRST_PAGE, headline, finished))
            what, targets = click_targets(page)
            clicks = [timed_click(page, targets[i % 2]) for i in range(CLICKS)]
            rows.append((f"a click ({what}), median of {CLICKS}", FIRST_PAGE, None, statistics.median(clicks)))
        measure_minimal(browser, floor.minimal_url, floor.minimal)
        measure_vtdata(browser, url, region_for(FIRST_PAGE), floor.vtdata)
        measure_map_click(browser, url, floor.vtdata)
        measure_minimal_maps(browser, floor.minimal_url, floor.vtdata, floor.minimal)
    finally:
        _stop(process)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh servers measured (default 3)")
    parser.add_argument("--db", help="an existing database (default: build a demo database in a temporary directory)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        raise SystemExit("--repeats must be at least 1")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"chromium not found at {CHROMIUM} (make system-deps installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    runs = []
    with tempfile.TemporaryDirectory(prefix="vtdata-bench-browser-") as tmp:
        db = benchmark_database(args.db, tmp)
        region_for = region_for_pages(db, GEMEENTE, PERIOD)
        deadline, longest = time.monotonic() + DEADLINE_S, 0.0
        write_minimal_shapes(Path(tmp), db)
        minimal_process, minimal_url = start_minimal_server(Path(tmp), Path(tmp) / "minimal.log")
        floor = Floor(minimal_url)
        with sync_playwright() as playwright:
            # nothing leaves the machine, and no request waits for this process as a Playwright route would
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *OFFLINE_ARGS], headless=True)
            try:
                warm_minimal(browser, minimal_url)
                for repeat in range(args.repeats):
                    if runs and time.monotonic() + longest > deadline:
                        print(f"(stopped after {len(runs)} servers: time limit)", file=sys.stderr)
                        break
                    start = time.monotonic()
                    runs.append(one_server(browser, db, Path(tmp) / f"streamlit-{repeat}.log", region_for, floor))
                    longest = max(longest, time.monotonic() - start)
                    print(f"  server {repeat + 1}: {time.monotonic() - start:.0f} s", file=sys.stderr)
            finally:
                browser.close()
                _stop(minimal_process)

    print(
        f"Headless chromium against `streamlit run` on the demo database (region {GEMEENTE}, period {PERIOD}, "
        f"viewport {VIEWPORT['width']}x{VIEWPORT['height']}, a new browser context per visit, so an empty browser "
        f"cache: every visit also loads Streamlit's JavaScript): ms from `page.goto` "
        f"until the headline table is visible and until the run has finished, and from a click until its rerun "
        f"has finished; median over {len(runs)} freshly started servers. Warm server: {WARM_UP_S} s after the "
        f"first visit.\n"
    )
    print(f"Machine load before starting (1, 5, 15 min): {load}.\n")
    print("| case | page | headline visible ms | run finished ms |")
    print("|---|---|---:|---:|")
    for i, (case, path, _, _) in enumerate(runs[0]):
        headline = [run[i][2] for run in runs if run[i][2] is not None]
        finished = statistics.median(run[i][3] for run in runs)
        region = region_for(path)
        page = f"`{path}`" + ("" if region == GEMEENTE else f" ({region})")
        print(f"| {case} | {page} | {f'{statistics.median(headline):.0f}' if headline else '–'} | {finished:.0f} |")
    print()
    print("\n".join(floor_table(floor.vtdata, floor.minimal, len(runs))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
