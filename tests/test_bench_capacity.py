"""The capacity benchmark's arithmetic: which N counts, its options, and its CPU readings from /proc (no browser)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from benchmarks.bench_capacity import Step, Usage, _series, capacity, client_cpu_s, cores_busy, process_cpu_s
from benchmarks.load_session import Click

IDLE = Usage(0.0, 0.0, 0.0, 0.0)


def _step(sessions: int, ms: float, failed_visits: int = 0) -> Step:
    return Step(sessions, [Click("region", ms), Click("tab", ms)], [ms], failed_visits, IDLE, 1.0)


def test_capacity_is_the_largest_n_before_the_first_step_over_the_goal():
    # a lucky later step does not count once a smaller N has missed the goal
    assert capacity([_step(1, 300), _step(2, 900), _step(4, 1200), _step(8, 800)]) == 2
    assert capacity([_step(1, 1500), _step(2, 400)]) == 0
    assert capacity([_step(1, 300), _step(2, 400)]) == 2


def test_a_session_that_did_not_open_misses_the_goal():
    assert capacity([_step(1, 300), _step(2, 300, failed_visits=1)]) == 1


def test_failed_clicks_are_errors_not_times():
    step = Step(2, [Click("page", 500), Click("page", None, "timeout")], [900, 950], 1, IDLE, 1.0)
    assert step.times == [500] and step.errors == 2


@pytest.mark.parametrize("text", ["2,1", "0,1", "1,1", "a,b", "", "1,999"])
def test_a_bad_series_is_refused(text):
    with pytest.raises(SystemExit):
        _series(text)


def test_the_series_is_read():
    assert _series("1, 2,4") == [1, 2, 4]


@pytest.mark.slow
def test_cpu_readings_count_the_browsers_side_apart_from_the_server():
    before = cores_busy(os.sched_getaffinity(0))
    spin = "import time\nend = time.monotonic() + 5\nwhile time.monotonic() < end: pass\n"
    child = subprocess.Popen([sys.executable, "-c", spin])  # stands for the server: a child of this process
    try:
        deadline = time.monotonic() + 5
        while process_cpu_s(child.pid) < 0.2 and time.monotonic() < deadline:
            time.sleep(0.05)
        used = process_cpu_s(child.pid)
        assert used >= 0.2
        without = client_cpu_s(server_pid=child.pid)  # read first: this process's own time only grows
        assert client_cpu_s(server_pid=-1) >= without + used
    finally:
        child.kill()
        child.wait()
    after = cores_busy(os.sched_getaffinity(0))
    assert after[1] > before[1] and after[0] - before[0] >= used * os.sysconf("SC_CLK_TCK") * 0.5


def test_the_slowdown_capacity_counts_from_one_session_s_click():
    from benchmarks.bench_capacity import slowdown_limit

    steps = [_step(1, 1200), _step(2, 1300), _step(4, 1700), _step(8, 1900)]
    assert capacity(steps) == 0  # one session is already above 1 s
    assert slowdown_limit(steps) == 1800
    assert capacity(steps, slowdown_limit(steps)) == 4


def test_the_server_estimate_divides_a_user_s_cycle_by_the_cpu_per_click():
    from benchmarks.bench_capacity import server_estimate

    # 10 clicks of 1 s in 20 s with 0.1 of a core: 200 ms CPU per click; cycle 2 s pause + 1 s = 3 s
    step = Step(1, [Click("region", 1000)] * 10, [900], 0, Usage(0.1, 0.0, 0.1, 0.0), 20.0)
    text = server_estimate([step], think=2.0)
    assert "200 ms of CPU per click" in text and "about 15 such users" in text and "up to about 10" in text
