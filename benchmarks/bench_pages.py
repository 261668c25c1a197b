"""Page speed: each page's warm rerun against the floor of shipping its elements, and the first visit, under AppTest.

    python benchmarks/bench_pages.py [--runs 9] [--db PATH] [--pages /kerncijfers ...]

Builds a demo database in a temporary directory (or uses --db), then for every
URL path of the contract runs the real app (`streamlit_app.py`, which builds the
`st.navigation` and the global selectors) with `AppTest`, with region GM0363 (its
VT-regio for a theme held only in VT-regio tables) and period 2023HJ01:

- warm rerun: the page is selected (`at.switch_page("app_pages/<page>.py")` after
  one run of the shell) and rerun N times; the median is what a user waits for
  after each click;
- floor: the element messages of the page's last rerun (Vega-Lite specs with
  their rows, tables, texts, map JSON, the sidebar's widgets, with their places
  in the page) are captured and sent again, prebuilt, by a one-line replay page
  (`benchmarks/replay.py`), rerun N times the same way, in turns with the page's
  reruns (so a busy moment hits both). page / floor is what a rerun spends on
  building what did not change. Goal: at most 2x;
- first visit: a theme page opened as the very first request of a fresh process
  (a new Python running AppTest; its imports, caches and database connection
  cold, as right after the server started). Goal: at most 1.5 s.

Each run is checked to have shown the page's own title and no exception, so the
figure is the page and not an error or the home page. A trivial page (one
`st.write`) is shown for scale. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import benchmark_database, region_for_pages  # noqa: E402

REGION, PERIOD = "GM0363", "2023HJ01"
FLOOR_GOAL = 2.0
FIRST_VISIT_GOAL_MS = 1500
TIMEOUT = 300


def _pages():
    from vtdata.model.catalog import THEMES

    pages = [("/", "app_pages/home.py", ("Handelingsprotocol", "Veilig Thuis in cijfers"))]
    pages += [(f"/{t.slug}", f"app_pages/{t.slug.replace('-', '_')}.py", (t.title,)) for t in THEMES]
    pages.append(("/regioprofiel", "app_pages/regioprofiel.py", ("Regioprofiel",)))
    pages.append(("/colofon", "app_pages/colofon.py", ("Colofon",)))
    return pages


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def _timed_run(at) -> float:
    return _timed(at.run)


def _check(at, title: tuple[str, ...], where: str) -> None:
    if at.exception:
        raise SystemExit(f"{where}: exception on the page: {at.exception[0].value}")
    titles = [str(t.value) for t in at.title]
    # a page drawn as HTML (the region profile) has its title in an <h1>
    titles += [re.sub(r"<[^>]+>", "", h) for e in at.get("html") for h in re.findall(r"<h1[^>]*>(.*?)</h1>", e.proto.body, re.S)]
    if not any(t.casefold().startswith(prefix.casefold()) for t in titles for prefix in title):
        raise SystemExit(f"{where}: expected the title {title!r}, got {titles}: not measuring this page")


def _app(region: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.query_params["region"] = region
    at.query_params["period"] = PERIOD
    return at


def bench_page(script: str, title: tuple[str, ...], region: str, runs: int) -> tuple[float, float, int, int]:
    """(warm rerun of the page, its floor, in ms; number of element messages, of widgets)."""
    from benchmarks import replay
    from streamlit.testing.v1 import AppTest

    at = _app(region)
    at.run()  # the shell's first run (home page), not counted
    at.switch_page(script)
    at.run()  # the page's first run: caches cold for what only this page needs
    _check(at, title, script)
    with replay.capture([]) as messages:
        at.run()
    _check(at, title, script)

    replay.prepare(messages)
    floor_app = AppTest.from_string(replay.REPLAY_SCRIPT, default_timeout=TIMEOUT)
    floor_app.run()
    _check(floor_app, title, f"replay of {script}")
    warm, floor = _in_turns(at, floor_app, runs)
    _check(at, title, script)
    _check(floor_app, title, f"replay of {script}")
    return warm, floor, len(messages), sum(1 for m in messages if _is_widget(m))


def _in_turns(page_app, floor_app, runs: int) -> tuple[float, float]:
    """Median reruns of a page and of its replay, taken in turns so a busy moment hits both."""
    warm, floor = [], []
    for _ in range(runs):
        warm.append(_timed_run(page_app))
        # without collecting widget states: the replayed widgets are not registered in its session
        floor.append(_timed(lambda: floor_app._run(None)))
    return statistics.median(warm), statistics.median(floor)


def bench_trivial(runs: int) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.write('Hallo')\n", default_timeout=TIMEOUT)
    at.run()
    warm = [_timed_run(at) for _ in range(runs)]
    if at.exception or not at.markdown:
        raise SystemExit("the trivial page did not run")
    return statistics.median(warm)


# The controls of a theme page's first tab, with nothing else: what widgets alone cost.
# Each widget is registered and checked against Session State on every run, which a
# replay of its message skips; this page shows how near to its floor a page with
# these controls can get at all.
WIDGETS_ONLY = """
import streamlit as st
regions = [f"GM{i:04d}" for i in range(400)]
with st.sidebar:
    st.selectbox("Regio", regions, format_func=str.lower, key="region")
    st.selectbox("Periode", [f"{y}HJ0{h}" for y in range(2019, 2026) for h in (1, 2)], key="period")
    st.toggle("Presentatie", key="presenting")
    st.download_button("Gespreksverslag", data=b"", key="notes")
st.selectbox("Onderwerp", ["a", "b", "c"], key="measure")
st.radio("Uitsplitsen naar", ["x", "y"], key="dimension", horizontal=True)
st.segmented_control("Toon", ["per1000", "aandeel", "aantal"], key="show")
tab = st.tabs(["Overzicht", "Ranglijst", "Verandering", "Vergelijken"], key="tab", on_change="rerun")[0]
with tab:
    st.selectbox("Categorie op de kaart", [str(i) for i in range(12)], key="category")
    st.radio("Niveau", ["GM", "VT"], key="level", horizontal=True)
    for chart in range(4):
        st.popover("Afbeelding", key=f"image-{chart}", on_change="rerun")
        st.expander("Tabel", key=f"table-{chart}", on_change="rerun")
    st.expander("Notities", key="notes-box", on_change="rerun")  # its text area is built once opened
"""


def bench_widgets_only(runs: int) -> tuple[float, float, int]:
    """(warm rerun, floor, widgets) of a page that holds only a theme page's controls."""
    from benchmarks import replay
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(WIDGETS_ONLY, default_timeout=TIMEOUT)
    at.run()
    if at.exception:
        raise SystemExit(f"the widgets-only page failed: {at.exception[0].value}")
    with replay.capture([]) as messages:
        at.run()
    replay.prepare(messages)
    floor_app = AppTest.from_string(replay.REPLAY_SCRIPT, default_timeout=TIMEOUT)
    floor_app.run()
    warm, floor = _in_turns(at, floor_app, runs)
    return warm, floor, sum(1 for m in messages if _is_widget(m))


def _is_widget(message) -> bool:
    """Whether an element message is a widget (elements and blocks with state carry an id)."""
    delta = message.delta
    if delta.WhichOneof("type") == "new_element":
        element = delta.new_element
        return bool(getattr(getattr(element, element.WhichOneof("type")), "id", ""))
    return bool(getattr(delta.add_block, "id", ""))


def first_visit(url_path: str, title: tuple[str, ...], region: str) -> float:
    """This process's first run of the app, opened at `url_path` (run in a fresh process)."""
    from streamlit.util import calc_hash

    at = _app(region)
    # A browser asks for the page by its URL path; st.Page hashes that path to the script hash.
    at._page_hash = calc_hash(url_path.strip("/"))
    ms = _timed_run(at)
    _check(at, title, f"first visit of {url_path}")
    return ms


def _first_visit_in_fresh_process(url_path: str, region: str, db: Path) -> float:
    done = subprocess.run(
        [sys.executable, __file__, "--first-visit", url_path, "--region", region, "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
    )
    if done.returncode != 0:
        raise SystemExit(f"first visit of {url_path} failed:\n{done.stderr[-2000:]}{done.stdout[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["ms"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="warm reruns per page (median)")
    parser.add_argument("--db", help="an existing database (default: build a demo database in a temporary directory)")
    parser.add_argument("--pages", nargs="+", help="URL paths to measure (default: all)")
    parser.add_argument("--first-visit", help=argparse.SUPPRESS)  # internal: one first visit, in this process
    parser.add_argument("--region", default=REGION, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # page paths and .streamlit/ are relative to the project

    if args.first_visit:
        os.environ["VTDATA_DB"] = str(args.db)
        title = next(t for path, _, t in _pages() if path == args.first_visit)
        print(json.dumps({"ms": first_visit(args.first_visit, title, args.region)}), flush=True)
        # Leave at once: the app's background cache warming may still be inside DuckDB, and
        # interpreter shutdown under a running daemon thread aborts the process.
        os._exit(0)

    with tempfile.TemporaryDirectory(prefix="vtdata-bench-pages-") as tmp:
        db = benchmark_database(args.db, tmp)
        os.environ["VTDATA_DB"] = str(db)
        from vtdata.model.catalog import THEMES_BY_SLUG

        region_for = region_for_pages(db, REGION, PERIOD)
        pages = [p for p in _pages() if not args.pages or p[0] in args.pages]

        # First visits first, each in its own process, before this process loads anything of the app.
        first = {
            path: _first_visit_in_fresh_process(path, region_for(path), db)
            for path, _, _ in pages
            if THEMES_BY_SLUG.get(path.strip("/"))
        }
        trivial = bench_trivial(args.runs)
        widgets_warm, widgets_floor, n_widgets = bench_widgets_only(args.runs)
        rows = []
        for path, script, title in pages:
            warm, floor, n_messages, n_widgets_page = bench_page(script, title, region_for(path), args.runs)
            rows.append((path, region_for(path), first.get(path), warm, floor, n_messages, n_widgets_page))

    print(
        f"AppTest, demo database, region {REGION}, period {PERIOD}; warm and floor = median of {args.runs} reruns. "
        f"Floor: the same element messages sent prebuilt by a replay page. Goals: warm rerun at most "
        f"{FLOOR_GOAL:.0f}x the floor; first visit of a theme page (first run in a fresh process) at most "
        f"{FIRST_VISIT_GOAL_MS / 1000:.1f} s. A trivial page (one `st.write`) reruns in {trivial:.1f} ms.\n"
    )
    print("| page | region | first visit | warm rerun | floor (replay) | elements | widgets | page / floor | within goals |")
    print("|---|---|---:|---:|---:|---:|---:|---:|:---:|")
    missed = []
    for path, region, first_ms, warm, floor, n_messages, n_widgets_page in rows:
        ratio = warm / floor if floor else float("inf")
        ok = ratio <= FLOOR_GOAL and (first_ms is None or first_ms <= FIRST_VISIT_GOAL_MS)
        if not ok:
            missed.append(path)
        first_cell = f"{first_ms:.0f} ms" if first_ms is not None else ""
        print(
            f"| `{path}` | {region} | {first_cell} | {warm:.0f} ms | {floor:.1f} ms | {n_messages} | {n_widgets_page} | "
            f"{ratio:.1f}x | {'yes' if ok else 'no'} |"
        )
    print()
    print(
        f"For comparison, a page with only the {n_widgets} controls of a theme page's first tab "
        f"(selectors, choices, tabs, the lazy 'Afbeelding' menus, 'Tabel' and 'Notities' expanders) "
        f"and nothing else reruns in {widgets_warm:.1f} ms against its floor of {widgets_floor:.1f} ms "
        f"({widgets_warm / widgets_floor:.1f}x): every widget is registered on each run, which a replay skips.\n"
    )
    if missed:
        print(f"Not within the goals: {', '.join(f'`{p}`' for p in missed)}.")
    else:
        print("Every page is within the goals.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
