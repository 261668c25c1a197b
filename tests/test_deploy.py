"""Deploy as is (issue 20): the app's settings whatever the working directory, and the
compose setup -- two app replicas on one read-only database while a refresh publishes.

There is no container engine on the test machines, so the compose file's processes run
without containers: two `streamlit run` servers (the replicas) read the database folder
through a read-only bind mount (the `:ro` volume) while `vtdata refresh` (the refresh
job) publishes a new version through the writable path. Pages are opened over the
servers' websockets (tests/stream_probe.py), as a browser's first message does.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.proto.NewSession_pb2 import Config

from tests.databases import published_copy
from tests.e2e.conftest import SERVER_START_TIMEOUT, _free_port, _healthy, _stop
from tests.e2e.helpers import GEMEENTE, streamlit_server
from tests.mounts import read_only_mount, unmount
from tests.stream_probe import run_page

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
PAGES = [("", ""), ("kerncijfers", f"region={GEMEENTE}"), ("veiligheid", ""), ("colofon", "")]


@contextlib.contextmanager
def servers(db: Path, workdir: Path, count: int = 1):
    """`count` app servers started in `workdir` (not the project folder); their base URLs."""
    started, urls = [], []
    try:
        for n in range(count):
            port = _free_port()
            log_path = workdir / f"streamlit-{n}.log"
            with open(log_path, "wb") as log:
                started.append((streamlit_server(db, port, log, cwd=workdir, env={"VTDATA_AUTO_BUILD": "0"}), log_path))
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        for (process, log_path), url in zip(started, urls):
            while not _healthy(url):
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()[-4000:]
                time.sleep(0.25)
        yield urls
    finally:
        for process, _ in started:
            _stop(process)
    for _, log_path in started:
        assert "Traceback" not in log_path.read_text(errors="replace"), log_path.read_text()[-4000:]


def assert_page_ok(run) -> None:
    assert run.finished and not run.exceptions and not run.errors, (run.exceptions, run.errors)


def test_settings_apply_from_another_working_directory(demo_db, tmp_path):
    with servers(demo_db, tmp_path) as [url]:
        run = run_page(url)
    assert_page_ok(run)
    theme, config = run.new_session.custom_theme, run.new_session.config
    assert theme.primary_color == SETTINGS["theme"]["primaryColor"]
    assert list(theme.chart_categorical_colors) == SETTINGS["theme"]["chartCategoricalColors"]
    assert config.toolbar_mode == Config.ToolbarMode.Value(SETTINGS["client"]["toolbarMode"].upper())


def test_the_first_request_of_a_fresh_server_on_a_nested_path_is_redirected(demo_db, tmp_path):
    """Before any script ran, `/kerncijfers/extra` (which Streamlit answers with a page that never
    loads) is sent to `/kerncijfers`; the frontend's probe for its base URL is not."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    navigate = {"Accept": "text/html,*/*;q=0.8", "Sec-Fetch-Mode": "navigate"}
    with servers(demo_db, tmp_path) as [url]:
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(urllib.request.Request(f"{url}/kerncijfers/extra?region={GEMEENTE}", headers=navigate), timeout=10)
        with pytest.raises(urllib.error.HTTPError) as probe:
            opener.open(f"{url}/kerncijfers/_stcore/health", timeout=10)
    assert redirected.value.code == 302
    assert redirected.value.headers["Location"] == f"../kerncijfers?region={GEMEENTE}&niet_gevonden=%2Fkerncijfers%2Fextra"
    assert probe.value.code == 404


def test_two_servers_on_a_read_only_database_while_a_refresh_publishes(demo_db, tmp_path):
    db = published_copy(demo_db, tmp_path / "data" / "vtdata.duckdb")
    old_version = db.resolve().stem
    mounted = tmp_path / "readonly"
    reason = read_only_mount(db.parent, mounted)
    if reason:
        pytest.skip(f"cannot make a read-only file system here ({reason})")
    try:
        with servers(mounted / db.name, tmp_path, count=2) as urls:
            for url in urls:  # each replica is warm, as before a refresh in production
                assert_page_ok(run_page(url))
            job = subprocess.Popen(
                [sys.executable, "-m", "vtdata", "refresh", "--source", "demo", "--db", str(db), "--quiet"],
                env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            during, n = 0, 0
            while job.poll() is None:
                page, query = PAGES[n % len(PAGES)]
                assert_page_ok(run_page(urls[n % 2], page, query))
                during, n = during + (job.poll() is None), n + 1
            assert job.returncode == 0, job.stderr
            new_version = db.resolve().stem
            assert new_version != old_version and during >= 1
            for url in urls:
                for page, query in PAGES:
                    run = run_page(url, page, query)
                    assert_page_ok(run)
                # both replicas serve the new version, read through the read-only mount
                assert page == "colofon" and any(new_version in text for text in run.texts)
    finally:
        unmount(mounted)
