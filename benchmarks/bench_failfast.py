"""How fast a download gives up: timeouts, cancellation and Ctrl-C against the fake StatLine.

    python benchmarks/bench_failfast.py [--runs 5]

The tests (tests/test_statline.py) check *that* the client stops waiting before
the server answers; this measures *how long* it takes, on the machine at hand:

- timeout: TableInfos held by the server, read timeout 0.3 s, one retry;
- cancel: one table fails at once (HTTP 500) while another's requests are held;
  the call ends without waiting for the held table;
- ctrl-c: SIGINT as soon as the first data request is held; time until
  KeyboardInterrupt reaches the caller.

Prints a Markdown table of the median and worst of `--runs` runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fake_statline import FakeStatLine  # noqa: E402
from tests.interrupts import ctrl_c_raises_keyboard_interrupt  # noqa: E402
from tests.statline_samples import sample_snapshots  # noqa: E402
from vtdata.source import statline  # noqa: E402
from vtdata.source.statline import StatLineError  # noqa: E402

HELD = 30.0  # seconds the server holds a "slow" request


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timeout_case(server: FakeStatLine) -> float:
    server.inject("/TableInfos", "slow", times=None, delay=HELD)

    def run():
        try:
            statline.download_table("84852NED", retries=1, backoff=0.01, timeout=(1.0, 0.3))
        except StatLineError:
            return
        raise AssertionError("expected a time-out")

    return _timed(run)


def cancel_case(server: FakeStatLine) -> float:
    server.inject("84852NED/DataProperties", "http500", times=None)
    server.inject("85361NED/", "slow", times=None, delay=HELD)

    def run():
        try:
            statline.download_tables(["85361NED", "84852NED"], workers=2, retries=1, backoff=0.01, timeout=(1.0, 2 * HELD))
        except StatLineError:
            return
        raise AssertionError("expected a failure")

    return _timed(run)


def ctrl_c_case(server: FakeStatLine) -> float:
    server.inject("/TypedDataSet", "slow", times=None, delay=HELD)
    sent: list[float] = []
    done = threading.Event()

    def interrupt():
        while not server.requests_for("TypedDataSet") and not done.wait(0.01):
            pass
        if not done.is_set():
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=interrupt, daemon=True)
    thread.start()
    try:
        with ctrl_c_raises_keyboard_interrupt():
            statline.download_tables(["84852NED", "85361NED"], workers=2, part_workers=2, retries=5, backoff=0.01,
                                     timeout=(2.0, 2 * HELD))
    except KeyboardInterrupt:
        ended = time.perf_counter()
    else:
        raise AssertionError("expected KeyboardInterrupt")
    finally:
        done.set()
        thread.join()
    return ended - sent[0]


CASES = {
    "time-out (0,3 s read timeout, 1 retry)": timeout_case,
    "first failure cancels the other table": cancel_case,
    "Ctrl-C to KeyboardInterrupt": ctrl_c_case,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    snapshots = sample_snapshots()
    print(f"| case | median of {args.runs} | worst |")
    print("|---|---:|---:|")
    for name, case in CASES.items():
        timings = []
        for _ in range(args.runs):
            with FakeStatLine(snapshots, page_size=200) as server:
                statline.configure(server.url)
                timings.append(case(server))
        print(f"| {name} | {statistics.median(timings) * 1000:.0f} ms | {max(timings) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
