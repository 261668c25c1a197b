"""Capacity: how many browser sessions clicking through the app one `streamlit run` serves at a median click <= 1 s.

    python benchmarks/bench_capacity.py [--quick] [--sessions 1,2,4] [--seconds 20] [--think 2] [--db PATH]

Starts one `streamlit run streamlit_app.py` (one process, as one replica of the
container: compose runs one replica per core) on a free loopback port with a
demo database (built in a temporary directory unless --db is given). Then, for N
in an increasing series, N sessions at once in one headless chromium (one
browser context each, driven by Playwright's async API from this one process):
each opens a theme page (its first visit, timed apart), and once all are open,
each repeats a fixed click script for --seconds: change the region (typed in
the sidebar's selector), change the period, switch to another tab, switch to
another theme page through the sidebar; after each click a pause of about
--think seconds (0.5 to 1.5 times, fixed per session). Every click is timed
from the click until the rerun it starts has finished and every element has
drawn (`load_session.timed_rerun`). Clicks that fail (no answer within 60 s, or
an exception on the page) count as errors; the session then reloads its page.

The series stops after the first N whose median click exceeds 1 s, and when the
next step would pass the time budget (~5 minutes for the whole run). The
figure: the largest N before that, divided by the cores the server may use.
Where the machine has more than one core, the server is pinned to --server-cores
cores (default 1) and the browsers, Playwright and this script to the rest, so
that they do not take the server's core; their CPU use is reported beside the
server's, as is how busy each group of cores was (other work on the machine
included). Nothing leaves the machine: chromium resolves no host name but the
loopback address and runs with background networking off.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import benchmark_database, region_for_pages, start_server  # noqa: E402
from tests.e2e.conftest import _stop  # noqa: E402
from benchmarks.load_session import SCRIPT, Session  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, GEMEENTE, OFFLINE_ARGS, PAGES, PERIOD  # noqa: E402

GOAL_MS = 1000
SLOWDOWN = 1.5  # clicks "slow down" once the median is this many times one session's
SERIES = (1, 2, 4, 6, 8, 12, 16, 24, 32)
QUICK_SERIES = (1, 2)
SECONDS, QUICK_SECONDS = 20.0, 5.0
WARM_S, QUICK_WARM_S = 10.0, 0.0  # one untimed session clicks first: the views every step reuses are built
THINK_S = 2.0
MAX_SESSIONS = 64
BUDGET_S = 5 * 60
QUICK_NOTE = "**Quick run (`--quick`): a smoke test of the benchmark, not a capacity figure.**"


# --------------------------------------------------------------------------- cores and CPU time


def split_cores(server_cores: int) -> tuple[set[int], set[int]]:
    """(the server's cores, the browsers' cores) out of those this process may use; one set when too few to split."""
    usable = sorted(os.sched_getaffinity(0))
    if len(usable) <= server_cores:
        return set(usable), set(usable)
    return set(usable[:server_cores]), set(usable[server_cores:])


def process_cpu_s(pid: int) -> float:
    """User and system CPU seconds of a process, all its threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry.name}/stat") as f:
                    parent = int(f.read().rpartition(")")[2].split()[1])
                tree.setdefault(parent, []).append(int(entry.name))
    return tree


def client_cpu_s(server_pid: int) -> float:
    """CPU seconds of this process and everything it started except the server: chromium and Playwright's driver."""
    tree, total, todo = _children(), 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        if pid == server_pid:
            continue
        with contextlib.suppress(OSError):
            total += process_cpu_s(pid)
        todo.extend(tree.get(pid, []))
    return total


def cores_busy(cores: set[int]) -> tuple[int, int]:
    """(busy, total) jiffies of `cores` since boot, from /proc/stat: everything that ran on them."""
    busy = total = 0
    with open("/proc/stat") as f:
        for line in f:
            name, *values = line.split()
            if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
                ticks = [int(v) for v in values[:8]]  # user nice system idle iowait irq softirq steal
                total += sum(ticks)
                busy += sum(ticks) - ticks[3] - ticks[4]
    return busy, total


@dataclass
class Usage:
    """CPU between two readings: cores used by the server and by the browsers' side; how busy each core group was."""

    server: float
    client: float
    server_busy: float
    client_busy: float


class Meter:
    def __init__(self, server_pid: int, server_cores: set[int], client_cores: set[int]):
        self.pid, self.cores = server_pid, (server_cores, client_cores)

    def read(self) -> tuple:
        return time.monotonic(), process_cpu_s(self.pid), client_cpu_s(self.pid), *(cores_busy(c) for c in self.cores)

    @staticmethod
    def usage(before: tuple, after: tuple) -> Usage:
        wall = max(after[0] - before[0], 1e-9)

        def fraction(i: int) -> float:
            busy, total = (after[i][k] - before[i][k] for k in (0, 1))
            return busy / total if total else 0.0

        return Usage((after[1] - before[1]) / wall, (after[2] - before[2]) / wall, fraction(3), fraction(4))


# --------------------------------------------------------------------------- one step: N sessions


@dataclass
class Step:
    sessions: int
    clicks: list  # load_session.Click
    visits: list[float]
    failed_visits: int
    usage: Usage
    seconds: float

    @property
    def times(self) -> list[float]:
        return [c.ms for c in self.clicks if c.ms is not None]

    @property
    def errors(self) -> int:
        return self.failed_visits + sum(c.ms is None for c in self.clicks)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    def passed(self, limit_ms: float = GOAL_MS) -> bool:
        return self.median is not None and self.median <= limit_ms and not self.failed_visits


def p90(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


async def run_step(
    browser, url: str, pages: list[str], n: int, seconds: float, think: float, meter: Meter | None
) -> Step:
    sessions = [Session(i, browser, url, pages, think) for i in range(n)]
    try:
        opened = await asyncio.gather(*(s.open() for s in sessions), return_exceptions=True)
        live = [s for s, result in zip(sessions, opened) if not isinstance(result, BaseException)]
        before = meter.read() if meter else None
        start = time.monotonic()
        await asyncio.gather(*(s.click_until(start + seconds) for s in live))
        took = time.monotonic() - start
        usage = Meter.usage(before, meter.read()) if meter else None
    finally:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    clicks = [c for s in live for c in s.clicks]
    visits = [s.visit_ms for s in live]
    return Step(n, clicks, visits, n - len(live), usage, took)


async def run_series(url: str, pages: list[str], series: list[int], seconds: float, think: float, warm: float,
                     meter: Meter, deadline: float, stop_on_miss: bool = True) -> tuple[list[Step], str]:
    """Every step of `series` in one chromium, until a median misses the goal or time is up: (steps, why it stopped)."""
    from playwright.async_api import async_playwright

    steps, stopped = [], ""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *OFFLINE_ARGS], headless=True)
        try:
            if warm:
                await run_step(browser, url, pages, 1, warm, think, None)
            longest = 0.0
            for n in series:
                if steps and time.monotonic() + longest * 1.5 > deadline:
                    stopped = f"stopped before {n} sessions: time budget"
                    break
                begun = time.monotonic()
                steps.append(await run_step(browser, url, pages, n, seconds, think, meter))
                longest = max(longest, time.monotonic() - begun)
                shown = f"{steps[-1].median:.0f} ms" if steps[-1].median is not None else "–"
                print(f"  {n} sessions: {len(steps[-1].times)} clicks, median {shown}, "
                      f"{time.monotonic() - begun:.0f} s", file=sys.stderr, flush=True)
                if stop_on_miss and not steps[-1].passed(max(GOAL_MS, slowdown_limit(steps))):
                    stopped = (f"stopped after {n} sessions: median click above {GOAL_MS} ms and above {SLOWDOWN:g}x "
                               "one session's, or a session did not open")
                    break
        finally:
            await browser.close()
    return steps, stopped


# --------------------------------------------------------------------------- report


def _ms(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "–"


def capacity(steps: list[Step], limit_ms: float = GOAL_MS) -> int:
    """The largest N of the series before the first step whose median click is above `limit_ms` (0 when the first is)."""
    best = 0
    for step in steps:
        if not step.passed(limit_ms):
            break
        best = step.sessions
    return best


def slowdown_limit(steps: list[Step]) -> float:
    """`SLOWDOWN` times the median click of the first step (one session: a click's own latency), 0 when unknown."""
    first = steps[0].median if steps else None
    return SLOWDOWN * first if first else 0.0


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _intro(server_cores: set[int], client_cores: set[int], args, load: str) -> list[str]:
    if server_cores != client_cores:
        where = (
            f"The server was pinned to core {', '.join(map(str, sorted(server_cores)))} and the browsers, Playwright's "
            f"driver and this script to core {', '.join(map(str, sorted(client_cores)))} (`os.sched_setaffinity`): the "
            f"browsers did not take the server's core, but other work on the machine may have (see \"busy\")."
        )
    else:
        where = (f"Only {len(server_cores)} core(s) usable: the server and the browsers shared them, which makes the "
                 f"figure pessimistic.")
    return [
        *([QUICK_NOTE, ""] if args.quick else []),
        f"One `streamlit run` (one Python process: its sessions' script runs share one interpreter lock, so it can "
        f"use about one core, plus DuckDB's threads) on the demo database; N browser sessions at once in one headless "
        f"chromium (a browser context each), on the theme pages holding {GEMEENTE}'s data. Each session opens a page, "
        f"then repeats: change the region, change the period, switch the tab, switch the page; a pause of about "
        f"{args.think:g} s after each click; {args.seconds:g} s per step. A click is timed from the click until its "
        f"rerun has finished and every element has drawn (Playwright polling each animation frame). {where}",
        "",
        f"Machine load before starting (1, 5, 15 min): {load}.",
    ]


def _tables(steps: list[Step]) -> list[str]:
    lines = [
        "| sessions | clicks | median click ms | p90 click ms | errors | server CPU (cores) | server CPU ms per click "
        "| browsers' CPU (cores) | server core busy | browser cores busy |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in steps:
        use, clicks = step.usage, len(step.times)
        per_click = f"{use.server * step.seconds / clicks * 1000:.0f}" if clicks else "–"
        lines.append(
            f"| {step.sessions} | {clicks} | {_ms(step.median)} | {_ms(p90(step.times))} | {step.errors} "
            f"| {use.server:.2f} | {per_click} | {use.client:.2f} | {use.server_busy:.0%} | {use.client_busy:.0%} |"
        )
    lines += ["", "Median ms by kind of click, and of the first visits (before the clicks, not counted above):", "",
              "| sessions | region | period | tab | page | first visit |", "|---:|---:|---:|---:|---:|---:|"]
    for step in steps:
        kinds = [_median([c.ms for c in step.clicks if c.kind == kind and c.ms is not None]) for kind in SCRIPT]
        lines.append(f"| {step.sessions} | {' | '.join(_ms(v) for v in kinds)} | {_ms(_median(step.visits))} |")
    errors = [c.error for step in steps for c in step.clicks if c.ms is None]
    return lines + (["", f"First error: `{errors[0]}`."] if errors else [])


def _verdict(steps: list[Step], stopped: str, cores: int, think: float) -> str:
    best = capacity(steps)
    if best == 0:
        verdict = (f"**Capacity: none measured: with {steps[0].sessions} session(s) the median click was above "
                   f"{GOAL_MS} ms or a session did not open.**")
        stopped = ""  # says the same
    else:
        bound = "at least " if best == steps[-1].sessions else ""
        verdict = (f"**Capacity: {bound}{best} sessions with a median click of at most {GOAL_MS} ms on {cores} server "
                   f"core(s): {bound}{best / cores:g} sessions per core** (sessions pausing about {think:g} s "
                   f"between clicks).")
    unslowed = capacity(steps, slowdown_limit(steps))
    if unslowed:
        bound = "at least " if unslowed == steps[-1].sessions else ""
        verdict += (f"\n\n**Before clicks slow down** (median click at most {SLOWDOWN:g}x one session's "
                    f"{steps[0].median:.0f} ms): {bound}{unslowed} sessions on {cores} server core(s), "
                    f"{bound}{unslowed / cores:g} per core. One session's click time is latency (the script run and "
                    f"the browser drawing), not load; this figure says how many users the server takes before "
                    f"they wait longer than one does alone.")
    return verdict + (f" ({stopped}.)" if stopped else "")


def server_estimate(steps: list[Step], think: float) -> str:
    """Sessions one server core could take, from its CPU time per click: a user who clicks every
    (pause + click) seconds uses (CPU per click) / (pause + click) of a core."""
    measured = [s for s in steps if s.usage is not None and s.times and s.usage.server > 0]
    if not measured:
        return ""
    step = measured[0]  # the fewest sessions: the click's own time, least stretched by the browsers' CPU
    per_click_s = step.usage.server * step.seconds / len(step.times)
    cycle_s = think + step.median / 1000
    full = cycle_s / per_click_s
    return (f"**Server-side estimate:** the server spent {per_click_s * 1000:.0f} ms of CPU per click ({step.sessions} "
            f"session(s)); a user clicking every {cycle_s:.1f} s (pause {think:g} s + the median click) takes "
            f"{per_click_s / cycle_s:.0%} of a core, so one core would be saturated by about {full:.0f} such users and "
            f"stays responsive (70 % busy) up to about {0.7 * full:.0f}. An estimate from CPU time, not a measured "
            f"click time: on this machine the browsers, drawing deck.gl maps in software on one core, slow down "
            f"first.")


def report(steps: list[Step], stopped: str, server_cores: set[int], client_cores: set[int], args, load: str) -> list:
    cores = len(server_cores)
    estimate = server_estimate(steps, args.think)
    return [
        *_intro(server_cores, client_cores, args, load), "", *_tables(steps), "",
        _verdict(steps, stopped, cores, args.think), "", _bottleneck(steps, server_cores != client_cores, cores),
        *(["", estimate] if estimate else []),
    ]


def _bottleneck(steps: list[Step], pinned: bool, cores: int) -> str:
    """Which side limited the last step: other work on the server's core, the browsers, or the server."""
    last = steps[-1].usage
    read = ("How to read it: server CPU ms per click over (pause + click time) is the share of a core one user "
            "takes; users who pause longer than these sessions load the server less.")
    if not pinned:
        return ("The browsers ran on the server's cores and took CPU time from it: with the browsers on other "
                "machines, as real users are, the server would serve more. " + read)
    others = last.server_busy * cores - last.server  # cores' worth of other processes on the server's cores
    if others >= 0.25 * cores:
        return (f"In the last step other work on the machine took {others:.2f} core(s) of the server's "
                f"{cores}, while the server itself used {last.server:.2f}: the figure is not the server's capacity. "
                f"Run it on a quiet machine. " + read)
    if last.client_busy >= 0.9 and last.server < 0.9:
        return ("In the last step the browsers' cores were saturated while the server had CPU to spare: the browsers, "
                "not the server, set the limit, so the figure is a lower bound (run it with more cores for the "
                "browsers). " + read)
    if last.server >= 0.7 * cores:
        return "In the last step the server used most of its core: the server set the limit. " + read
    return (f"In the last step neither the server ({last.server:.2f} of {cores} core(s)) nor the browsers' cores "
            f"({last.client_busy:.0%} busy) were saturated: the series ended on its time budget or the click's own "
            f"latency, not on load. " + read)


# --------------------------------------------------------------------------- main


def _series(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise SystemExit(f"--sessions: comma-separated numbers, not {text!r}") from None
    if not values or values != sorted(set(values)) or values[0] < 1 or values[-1] > MAX_SESSIONS:
        raise SystemExit(f"--sessions: increasing numbers from 1 to {MAX_SESSIONS}")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"N in {QUICK_SERIES}, {QUICK_SECONDS:g} s each")
    parser.add_argument("--sessions", help=f"the series of N, comma-separated (default {','.join(map(str, SERIES))})")
    parser.add_argument("--seconds", type=float, help=f"clicking time per step (default {SECONDS:g})")
    parser.add_argument("--think", type=float, default=THINK_S, help=f"pause after each click, s (default {THINK_S:g})")
    parser.add_argument("--server-cores", type=int, default=1, help="cores the server is pinned to (default 1)")
    parser.add_argument("--db", help="an existing database (default: build a demo database in a temporary directory)")
    args = parser.parse_args(argv)
    series = _series(args.sessions) if args.sessions else list(QUICK_SERIES if args.quick else SERIES)
    args.seconds = args.seconds or (QUICK_SECONDS if args.quick else SECONDS)
    warm = QUICK_WARM_S if args.quick else WARM_S
    if args.seconds <= 0 or args.think < 0 or args.server_cores < 1:
        raise SystemExit("--seconds must be positive, --think at least 0, --server-cores at least 1")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"chromium not found at {CHROMIUM} (make system-deps installs Debian's chromium)")

    deadline = time.monotonic() + BUDGET_S
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    server_cores, client_cores = split_cores(args.server_cores)
    own = os.sched_getaffinity(0)
    with tempfile.TemporaryDirectory(prefix="vtdata-bench-capacity-") as tmp:
        db = benchmark_database(args.db, tmp)
        region_for = region_for_pages(db, GEMEENTE, PERIOD)
        pages = [p for p in PAGES if p != "/" and region_for(p) == GEMEENTE and _is_theme(p)]
        try:
            os.sched_setaffinity(0, server_cores)  # the server inherits it
            process, url = start_server(db, Path(tmp) / "streamlit.log")
            os.sched_setaffinity(0, client_cores)  # and chromium and Playwright's driver this one
            try:
                meter = Meter(process.pid, server_cores, client_cores)
                run = run_series(url, pages, series, args.seconds, args.think, warm, meter, deadline, not args.quick)
                steps, stopped = asyncio.run(run)
            finally:
                _stop(process)
        finally:
            os.sched_setaffinity(0, own)
    if not steps:
        raise SystemExit("no step measured")
    print("\n".join(report(steps, stopped, server_cores, client_cores, args, load)))
    return 0


def _is_theme(path: str) -> bool:
    from vtdata.model.catalog import THEMES_BY_SLUG

    return path.strip("/") in THEMES_BY_SLUG


if __name__ == "__main__":
    sys.exit(main())
