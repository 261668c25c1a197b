"""Server memory per browser session: `streamlit run` on the demo database, 20 sessions on different pages.

    python benchmarks/bench_memory.py [--sessions 20] [--db PATH]

Starts `streamlit run streamlit_app.py` on a free loopback port (127.0.0.1 only)
with a demo database (built in a temporary directory unless --db is given), then
opens N browser sessions one after another in headless Debian chromium (Playwright;
one browser context each, all kept open), every one on another page: the ten URL
paths of the contract, each for two regions in turn. After each page has rendered
it reads the server's resident memory (VmRSS of the streamlit process).

The first session pays for the app's imports, the database connection and the
caches every page shares; "per additional session" is the growth from then on,
divided by the further sessions. Goal: at most 20 MB per additional session.
Bounded: at most 40 sessions, and the whole run gives up after 15 minutes.
Nothing leaves the machine: chromium runs with background networking off and a
proxy on a closed port that only 127.0.0.1 bypasses. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import benchmark_database, start_server  # noqa: E402
from tests.e2e.conftest import _stop  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, OFFLINE_ARGS, PAGES, PERIOD, url_for, wait_rendered  # noqa: E402

GOAL_MB = 20.0
MAX_SESSIONS = 40
DEADLINE_S = 15 * 60
REGIONS = ("GM0363", "GM0599")  # Amsterdam, Rotterdam
SETTLE_S = 1.0  # after a page rendered, before reading the RSS


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def sessions(n: int) -> list[tuple[str, str]]:
    """(URL path, region) of each session: every page, then every page for the next region."""
    paths = list(PAGES)
    return [(paths[i % len(paths)], REGIONS[(i // len(paths)) % len(REGIONS)]) for i in range(n)]


def measure(url: str, pid: int, plan: list[tuple[str, str]], deadline: float) -> list[tuple[str, str, float]]:
    from playwright.sync_api import sync_playwright

    readings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *OFFLINE_ARGS], headless=True)
        try:
            for path, region in plan:
                if time.monotonic() > deadline:
                    print(f"(stopped after {len(readings)} sessions: time limit)", file=sys.stderr)
                    break
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
                page = context.new_page()  # kept open: its session stays alive on the server
                page.goto(url_for(url, path, region=region, period=PERIOD), wait_until="domcontentloaded")
                wait_rendered(page)
                time.sleep(SETTLE_S)
                readings.append((path, region, rss_mb(pid)))
                print(f"  session {len(readings)}: {path} {region}: {readings[-1][2]:.0f} MB", file=sys.stderr)
        finally:
            browser.close()
    return readings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--db", help="an existing database (default: build a demo database in a temporary directory)")
    args = parser.parse_args(argv)
    if not 2 <= args.sessions <= MAX_SESSIONS:
        raise SystemExit(f"--sessions must be between 2 and {MAX_SESSIONS}")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"chromium not found at {CHROMIUM} (make system-deps installs Debian's chromium)")
    deadline = time.monotonic() + DEADLINE_S

    with tempfile.TemporaryDirectory(prefix="vtdata-bench-memory-") as tmp:
        db = benchmark_database(args.db, tmp)
        process, url = start_server(db, Path(tmp) / "streamlit.log")
        try:
            time.sleep(SETTLE_S)
            before = rss_mb(process.pid)
            readings = measure(url, process.pid, sessions(args.sessions), deadline)
        finally:
            _stop(process)
    if len(readings) < 2:
        raise SystemExit("fewer than two sessions measured")

    first = readings[0][2]
    after = readings[-1][2]
    per_session = (after - first) / (len(readings) - 1)
    print(
        f"`streamlit run` on the demo database, {len(readings)} browser sessions (headless chromium, one context "
        f"each, all kept open) on {len({(p, r) for p, r, _ in readings})} different pages (the ten URL paths for "
        f"{' and '.join(REGIONS)}, period {PERIOD}); server RSS read {SETTLE_S:.0f} s after each page rendered. "
        f"Goal: at most {GOAL_MB:.0f} MB per additional session.\n"
    )
    print("| server RSS | MB |")
    print("|---|---:|")
    print(f"| started, no session | {before:.0f} |")
    print(f"| after the first session (`{readings[0][0]}`, imports and shared caches) | {first:.0f} |")
    print(f"| after {len(readings)} sessions | {after:.0f} |")
    print(f"| **per additional session** ({len(readings) - 1} sessions) | **{per_session:.1f}** |")
    print(f"| largest step between two sessions | {max(b[2] - a[2] for a, b in zip(readings, readings[1:])):.1f} |")
    print()
    verdict = "within" if per_session <= GOAL_MB else "NOT within"
    print(f"{verdict} the goal of {GOAL_MB:.0f} MB per additional session.")
    print()
    print("RSS after each session (MB): " + ", ".join(f"{r[2]:.0f}" for r in readings) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
