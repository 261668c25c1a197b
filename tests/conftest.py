"""Shared fixtures: one demo database per test run; the test kinds, marked; the xdist workers' share.

`demo_db` builds the demo database once (in a temporary directory, offline; once for all workers)
and points `VTDATA_DB` at it, so `streamlit.testing.v1.AppTest` runs of the app
and the browser tests' server read it. Tests that write get their own database.
The previous value of `VTDATA_DB` is restored when the session ends.

Marks: every test under tests/e2e is `e2e`; every test of a module in
`SLOW_MODULES`, and every other test that runs the app or reads a whole
built database, is `slow` (besides tests marked so one by one). `make check`
runs the rest; the browser tests run last (on each worker once its modules are done), so the
server and chromium they keep for the session do not sit beside most other tests.
"""

from __future__ import annotations

import fcntl
import inspect
import os
from pathlib import Path

import pytest

# Tests never use the internet: unless a test points it at its own fake server,
# StatLine is a closed local port (also for subprocesses, which inherit this).
os.environ["VTDATA_STATLINE_URL"] = "http://127.0.0.1:9"
os.environ["VTDATA_PDOK_URL"] = "http://127.0.0.1:9"


# Modules whose tests start subprocesses, run full refreshes or run the app (AppTest):
# seconds each on a 2-core machine, so not part of `make check`.
SLOW_MODULES = {
    "test_app_on_statline_data.py", "test_app_shell.py", "test_bootstrap.py", "test_cli.py", "test_export_ui.py",
    "test_hardening.py", "test_hardening_app.py", "test_population.py", "test_profile.py",
    "test_refresh.py", "test_replay.py", "test_theme_pages.py", "test_warmup.py",
}
# Elsewhere, a test is slow when it runs the app or reads a whole built database.
SLOW_FIXTURES = {"demo_db", "cbs_db"}
E2E = Path(__file__).resolve().parent / "e2e"
# Browser test modules whose tests walk through several loads and reruns (8-25 s each in a full
# run) go first, test_pages' many 2-3 s page checks last: the workers run out of work together
# instead of one waiting while the other finishes a 25 s walk.
E2E_FIRST = ("test_keyboard.py", "test_map_click.py", "test_glance.py", "test_navigation.py", "test_accessibility.py")
E2E_LAST = ("test_pages.py",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.path))
        if E2E in path.parents:
            item.add_marker(pytest.mark.e2e)
        elif path.name in SLOW_MODULES or _runs_the_app(item):
            item.add_marker(pytest.mark.slow)
    items.sort(key=_run_order)  # stable: the browser tests last, the longest of them first


def _run_order(item) -> tuple[int, int]:
    path = Path(str(item.path))
    if E2E not in path.parents:
        return (0, 0)
    if path.name in E2E_FIRST:
        return (1, E2E_FIRST.index(path.name))
    return (1, len(E2E_FIRST) + (path.name in E2E_LAST))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """How pytest-xdist (`make test`: `-n 2`) spreads the tests over its workers.

    Every module outside tests/e2e goes to one worker as a whole, so a module-wide fixture
    (a refreshed database, a fake StatLine) is built once; the browser tests go one by one
    to whichever worker is free (each worker has its own server and chromium). The largest
    modules start first. A worker is sent its next unit when one test is left of what it was
    sent (xdist's own scheduling sends it when two are left): at the end of the run a worker
    holds no browser tests the other, idle, could have run. Only the default distribution
    (`--dist load`) is replaced.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesThenBrowserTests(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return nodeid if module.startswith("tests/e2e/") else module

        def _reschedule(self, node) -> None:
            if node.shutting_down:
                return
            if not self.workqueue:
                node.shutdown()
                return
            # the running test and the next one: a worker runs a test once it knows the next
            if self._pending_of(self.assigned_work[node]) <= 1:
                self._assign_work_unit(node)

    return ModulesThenBrowserTests(config, log)


def _runs_the_app(item) -> bool:
    function = getattr(item, "function", None)
    source = inspect.getsource(function) if function is not None else ""
    return "AppTest" in source or bool(SLOW_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """Path of a complete demo database; `VTDATA_DB` points at it.

    Under pytest-xdist (`make test` runs two workers) the workers share one
    database: the first to take the lock builds it in the run's common
    temporary directory, the others wait and read it (it is opened read-only).
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        path = _shared_demo_db(tmp_path_factory.getbasetemp().parent)
    else:
        path = tmp_path_factory.mktemp("demo-db") / "vtdata.duckdb"
        _build_demo(path)
    previous = os.environ.get("VTDATA_DB")
    os.environ["VTDATA_DB"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("VTDATA_DB", None)
    else:
        os.environ["VTDATA_DB"] = previous


def _build_demo(path: Path) -> None:
    from vtdata.storage.refresh import refresh

    refresh(source="demo", db=path)


def _shared_demo_db(run_dir: Path) -> Path:
    """The demo database in `run_dir` (one per test run), built by the first worker to get here."""
    folder = run_dir / "demo-db"
    folder.mkdir(exist_ok=True)
    path, built = folder / "vtdata.duckdb", folder / "built"
    with open(run_dir / "demo-db.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not built.exists():
            _build_demo(path)
            built.touch()
    return path
