"""End-to-end fixtures: a demo database, the real app under `streamlit run`, Debian chromium.

The server is started once per session (per pytest-xdist worker) on a free port with
`VTDATA_DB` pointing at the session's demo database (built once, in a temporary directory), and
is always stopped at the end (its whole process group, also when a test or the start itself
fails). The tests' pages share one browser context per worker (a warm HTTP cache).
Nothing here talks to the internet: chromium is started with background
networking off and a proxy that fails every request leaving the machine (`OFFLINE_ARGS`).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    GEMEENTE,
    OFFLINE_ARGS,
    PERIOD,
    RENDER_TIMEOUT_MS,
    exception_texts,
    full_page_screenshot,
    main_text,
    open_page,
    screenshot,
    streamlit_server,
)

SERVER_START_TIMEOUT = 90.0

# The tests' pages of one site share one renderer process (with `shared_context`'s keeper page, which
# keeps it alive between tests). A new page otherwise starts a renderer process of its own and compiles
# Streamlit's scripts in it anew: 2.6 s of chromium CPU per page load against 1.6 s, on a suite whose
# time is mostly page loads. Not for the benchmarks: a user's first visit has a process of its own.
SHARED_RENDERER_ARGS = ["--process-per-site"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves a full-page screenshot of its page in artifacts/screenshots/."""
    report = yield
    if report.failed and report.when == "call":
        for name in ("page", "cold_page"):
            page = item.funcargs.get(name)
            if page is not None and not page.is_closed():
                with contextlib.suppress(Exception):  # the failure is the report; a shot is a bonus
                    full_page_screenshot(page, "failed-" + re.sub(r"[^\w.-]+", "_", item.name))
    return report


# --------------------------------------------------------------------------- data


# `demo_db` is the session's one demo database (tests/conftest.py), shared with the AppTest modules.


@pytest.fixture(scope="session")
def db(demo_db):
    """The query API on the same database the server reads."""
    from vtdata.storage.queries import open_database

    return open_database(demo_db)


# --------------------------------------------------------------------------- server


@pytest.fixture(scope="session")
def app_url(demo_db, tmp_path_factory):
    """Base URL of `streamlit run streamlit_app.py` serving the demo database."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("e2e-server") / "streamlit.log"
    with open(log_path, "wb") as log:
        process = streamlit_server(demo_db, port, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {process.returncode} before answering:\n{log_path.read_text()[-4000:]}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer /_stcore/health:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.25)
        yield url
    finally:
        _stop(process)
        log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
        if "Traceback" in log_text:
            # Tracebacks in the server log are surfaced, even when every test passed.
            sys.stderr.write(f"\n--- streamlit server log (tracebacks) ---\n{log_text[-6000:]}\n")


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM} (make system-deps installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *OFFLINE_ARGS, *SHARED_RENDERER_ARGS], headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser):
    """A fresh browser context and page (the browser fails every request that would leave the machine)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    return context, _new_page_in(context)


def _new_page_in(context):
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.page_errors = []  # uncaught JavaScript errors, for the tests to assert on
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    return page


@pytest.fixture(scope="session")
def first_deep_link(browser, app_url):
    """What the very first visitor of a fresh server sees when arriving on a deep link.

    Streamlit 1.67 runs page scripts in legacy "pages/ folder" mode, without the
    app shell, until some session has run `st.navigation` -- when the page
    scripts sit in a folder named `pages/` next to the main script. This fixture
    runs before any other page of the session is opened, so the test on it sees
    the server exactly as a shared link after a (re)start does.
    """
    context, page = new_page(browser)
    try:
        open_page(page, app_url, "/kerncijfers", region=GEMEENTE, period=PERIOD)
        screenshot(page, "first-deep-link-kerncijfers")
        seen = {
            "url": page.url,
            "sidebar": page.locator('[data-testid="stSidebar"]').inner_text(),
            "main": main_text(page),
            "exceptions": exception_texts(page),
        }
    finally:
        context.close()
    return seen


@pytest.fixture(scope="session")
def shared_context(browser, app_url, first_deep_link):
    """One browser context for the tests' pages: its HTTP cache keeps Streamlit's (immutable,
    hashed) script bundles, so a test's page loads them from the cache instead of the server.

    Each test still gets its own page, and so its own Streamlit session; what the app leaves in
    the browser (cookies, localStorage) is cleared after each test. A keeper page (the server's
    health answer) stays open on the app's site, so the renderer process the tests' pages share
    (`SHARED_RENDERER_ARGS`) lives from test to test.
    """
    context, keeper = new_page(browser)
    keeper.goto(f"{app_url}/_stcore/health")
    context.keeper = keeper
    try:
        yield context
    finally:
        context.close()


@pytest.fixture()
def page(shared_context):
    """A fresh page (a new Streamlit session) for one test, in the session's browser context.

    `page.requests` lists the URLs the test's pages requested (for the offline checks).
    """
    page = _new_page_in(shared_context)
    record = _record_requests(shared_context, page)
    try:
        yield page
    finally:
        shared_context.remove_listener("request", record)
        for opened in shared_context.pages:  # also those the test opened itself
            if opened is shared_context.keeper:
                continue
            if opened.url.startswith("http"):
                with contextlib.suppress(Exception):
                    opened.evaluate("() => window.localStorage.clear()")
            opened.close()
        shared_context.clear_cookies()


@pytest.fixture()
def cold_page(browser, app_url, first_deep_link):
    """A page in a fresh browser context: an empty cache, so every request goes out (and is seen)."""
    context, page = new_page(browser)
    _record_requests(context, page)
    try:
        yield page
    finally:
        context.close()


def _record_requests(context, page):
    """Collect in `page.requests` the URL of every request of `context` (its pages and workers)."""
    page.requests = []

    def record(request):
        page.requests.append(request.url)

    context.on("request", record)
    return record
