"""vtdata.source.statline with the real cbsodata against the project's fake StatLine server."""

from __future__ import annotations

import copy
import json
import os
import signal
import threading

import cbsodata
import pytest
import requests

from tests.fake_statline import FakeStatLine, parse_filter, untyped_rows
from tests.interrupts import ctrl_c_raises_keyboard_interrupt
from tests.statline_samples import build_snapshot, sample_snapshots, sized_snapshot
from vtdata.source import statline
from vtdata.source.statline import DownloadProgress, StatLineError

FAST = {"backoff": 0.01, "timeout": (2.0, 5.0)}


@pytest.fixture(autouse=True)
def restore_cbsodata_options():
    saved = (cbsodata.options.use_https, cbsodata.options.catalog_url, copy.deepcopy(cbsodata.options.requests))
    saved_url = statline._configured_url
    yield
    cbsodata.options.use_https, cbsodata.options.catalog_url = saved[0], saved[1]
    cbsodata.options.requests = saved[2]
    statline._configured_url = saved_url


@pytest.fixture(scope="module")
def snapshots():
    return sample_snapshots()


@pytest.fixture
def server(snapshots):
    with FakeStatLine(snapshots, page_size=200) as srv:
        statline.configure(srv.url)
        yield srv


# --------------------------------------------------------------------------- the fake server itself


def test_fake_server_speaks_statline(server, snapshots):
    base = server.url
    doc = requests.get(f"{base}/ODataFeed/odata/84852NED/?$format=json", timeout=5).json()
    names = [v["name"] for v in doc["value"]]
    assert names[:3] == ["TableInfos", "UntypedDataSet", "TypedDataSet"]
    assert {"DataProperties", "CategoryGroups", "Kenmerken", "RegioS", "Perioden"} <= set(names)
    assert doc["value"][0]["url"] == f"{base}/ODataFeed/odata/84852NED/TableInfos"
    assert "odata.metadata" in doc

    api = requests.get(f"{base}/ODataApi/odata/84852NED/DataProperties?$format=json", timeout=5).json()
    assert api["value"] == snapshots[0].data_properties

    page = requests.get(f"{base}/ODataFeed/odata/84852NED/TypedDataSet?$format=json", timeout=5).json()
    assert len(page["value"]) == 200
    assert page["odata.nextLink"].startswith(f"{base}/ODataFeed/odata/84852NED/TypedDataSet?")
    assert "$skip=200" in page["odata.nextLink"] and "$format=json" in page["odata.nextLink"]

    missing = requests.get(f"{base}/ODataFeed/odata/99999NED/TableInfos?$format=json", timeout=5)
    assert missing.status_code == 404
    assert "odata.error" in missing.json()
    assert requests.get(f"{base}/ODataFeed/odata/84852NED/Nope?$format=json", timeout=5).status_code == 404

    tables = cbsodata.get_table_list()
    assert {t["Identifier"] for t in tables} == {"84852NED", "85361NED"}


def test_untyped_data_set_is_derived_the_statline_way(snapshots):
    snap = snapshots[0]
    untyped = untyped_rows(snap)
    i = next(i for i, r in enumerate(snap.rows) if r["OntvangenMeldingen_1"] is None)
    assert untyped[i]["OntvangenMeldingen_1"] == "       ."
    j = next(j for j, r in enumerate(snap.rows) if r["OntvangenMeldingen_1"] is not None)
    assert untyped[j]["OntvangenMeldingen_1"].strip() == str(snap.rows[j]["OntvangenMeldingen_1"])
    assert len(untyped[j]["OntvangenMeldingen_1"]) == len(untyped[i]["OntvangenMeldingen_1"])
    assert untyped[j]["RegioS"] == snap.rows[j]["RegioS"]


def test_filter_parser():
    row = {"Perioden": "2023HJ01", "RegioS": "GM0363", "Kenmerken": "T001038", "ID": 5}
    assert parse_filter("Perioden eq '2023HJ01'")(row)
    assert not parse_filter("Perioden eq '2023HJ02'")(row)
    assert parse_filter("(Perioden eq '2023HJ02') or (Perioden eq '2023HJ01')")(row)
    assert parse_filter("RegioS eq 'GM0363' and substringof('HJ', Perioden)")(row)
    assert not parse_filter("not startswith(RegioS, 'GM')")(row)
    assert parse_filter("ID ge 5 and ID lt 6")(row)


def test_filter_and_select_through_cbsodata(server):
    rows = cbsodata.cbsodata3._download_metadata(
        "84852NED",
        "TypedDataSet",
        filters="RegioS eq 'NL01  ' and (Perioden eq '2023HJ01' or Perioden eq '2023JJ00')",
        select=["RegioS", "Perioden", "OntvangenMeldingen_1"],
    )
    assert len(rows) == 6 * 2
    assert set(rows[0]) == {"RegioS", "Perioden", "OntvangenMeldingen_1"}
    assert {r["Perioden"] for r in rows} == {"2023HJ01", "2023JJ00"}
    jj = cbsodata.cbsodata3._download_metadata("84852NED", "TypedDataSet", filters="substringof('JJ',Perioden)")
    assert {r["Perioden"][4:] for r in jj} == {"JJ00"}


# --------------------------------------------------------------------------- downloads


def test_downloaded_snapshot_equals_served_one(server, snapshots):
    for served in snapshots:
        got = statline.download_table(served.table_id, **FAST)
        assert got.table_id == served.table_id
        assert got.entities == served.entities
        assert "UntypedDataSet" not in got.entities
    assert got.entities["RegioS"][0]["Key"] == "NL01  "
    assert any(r["RegioS"] == "PV27  " for r in got.rows)
    assert any(v is None for r in got.rows for v in r.values())
    assert {p["Status"] for p in got.entities["Perioden"]} == {"Definitief", "Voorlopig"}


def test_demo_tables_round_trip():
    demo = pytest.importorskip("vtdata.source.demo")
    snaps = demo.build_demo_snapshots(["84854NED"])  # two category dimensions
    with FakeStatLine(snaps, page_size=2_000) as srv:
        got = statline.download_tables([s.table_id for s in snaps], base_url=srv.url, **FAST)
        assert any("$filter" in r.query for r in srv.requests_for("TypedDataSet"))
    for served, downloaded in zip(snaps, got):
        assert downloaded.entities == served.entities


def test_paging_follows_absolute_next_links():
    snap = sized_snapshot(cells=12_000, n_topics=4)  # 3,000+ rows
    with FakeStatLine([snap], page_size=500) as srv:
        got = statline.download_table(snap.table_id, page_rows=10**9, base_url=srv.url, **FAST)
        data = srv.requests_for("TypedDataSet")
    assert got.rows == snap.rows
    pages = -(-len(snap.rows) // 500)
    assert len(data) == pages
    assert [r.query.get("$skip") for r in data] == [None] + [str(500 * i) for i in range(1, pages)]
    assert all(r.query.get("$format") == "json" for r in data)


def test_parallel_parts_equal_one_download():
    snap = sized_snapshot(cells=12_000, n_topics=4)
    with FakeStatLine([snap], page_size=300) as srv:
        whole = statline.download_table(snap.table_id, page_rows=10**9, base_url=srv.url, **FAST)
        n_before = len(srv.requests_for("TypedDataSet"))
        parts = statline.download_table(snap.table_id, page_rows=500, part_workers=4, base_url=srv.url, **FAST)
        filtered = [r for r in srv.requests_for("TypedDataSet")[n_before:] if "$filter" in r.query]
    assert parts.rows == whole.rows == snap.rows
    assert parts.entities == whole.entities
    first_pages = [r for r in filtered if "$skip" not in r.query]
    assert len(first_pages) >= 4  # at least one part per worker
    assert all("Perioden eq '" in r.query["$filter"] for r in filtered)
    # every period is asked for exactly once
    asked = [p for r in first_pages for p in r.query["$filter"].replace("Perioden eq ", "").replace("'", "").split(" or ")]
    assert sorted(asked) == sorted(p["Key"] for p in snap.entities["Perioden"])


def test_parts_that_do_not_add_up_fall_back_to_one_download():
    snap = sized_snapshot(cells=4_000, n_topics=4)
    snap.entities["TypedDataSet"] = snap.rows[:-7]  # not a full cube
    with FakeStatLine([snap], page_size=300) as srv:
        events = []
        got = statline.download_table(snap.table_id, page_rows=200, base_url=srv.url, progress=events.append, **FAST)
        unfiltered = [r for r in srv.requests_for("TypedDataSet") if "$filter" not in r.query]
    assert got.rows == snap.rows
    assert unfiltered  # the whole set was downloaded after the parts
    assert any(e.stage == "retry" and e.entity == "TypedDataSet" for e in events)


def test_download_tables_in_parallel_keeps_order_and_reports_progress(server, snapshots):
    events: list[DownloadProgress] = []
    ids = ["85361NED", "84852NED"]
    got = statline.download_tables(ids, workers=2, progress=events.append, **FAST)
    assert [s.table_id for s in got] == ids
    assert got[1].entities == snapshots[0].entities
    for table_id in ids:
        mine = [e for e in events if e.table_id == table_id]
        assert mine[0].stage == "start" and mine[-1].stage == "done"
        assert {e.entity for e in mine if e.stage == "metadata"} >= {"TableInfos", "DataProperties", "Perioden"}
        data = [e for e in mine if e.stage == "data"]
        assert data and data[-1].rows == data[-1].total == mine[-1].rows


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("kind", ["http500", "http503", "http429", "drop", "malformed", "truncated"])
@pytest.mark.parametrize("entity", ["TypedDataSet", "DataProperties"])
def test_one_failure_is_retried(server, snapshots, kind, entity):
    server.inject(f"/{entity}", kind, times=1)
    events = []
    got = statline.download_table("84852NED", retries=2, progress=events.append, **FAST)
    assert got.entities == snapshots[0].entities
    asked = server.requests_for(entity, "84852NED")
    assert [r.injected for r in asked[:2]] == [kind, None]
    assert any(e.stage == "retry" and e.entity == entity for e in events)


def test_failure_on_a_later_page_is_retried(server, snapshots):
    server.inject("$skip=400", "drop", times=1)
    got = statline.download_table("84852NED", page_rows=10**9, retries=1, **FAST)
    assert got.rows == snapshots[0].rows


@pytest.mark.parametrize(
    "kind, cause",
    [
        ("http500", "server antwoordt met HTTP 500"),
        ("drop", "verbinding"),
        ("malformed", "ongeldig JSON-antwoord"),
        ("truncated", "onvolledig"),
    ],
)
def test_persistent_failure_gives_one_clear_line(server, kind, cause):
    server.inject("/DataProperties", kind, times=None)
    with pytest.raises(StatLineError) as info:
        statline.download_table("84852NED", retries=3, **FAST)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"Kan tabel 84852NED niet downloaden van {server.url}: ")
    assert cause in message and "DataProperties" in message and "(na 4 pogingen)" in message
    assert info.value.table_id == "84852NED"
    assert len(server.requests_for("DataProperties")) == 4
    assert not isinstance(info.value, (requests.RequestException, ValueError))


# How fast these give up is measured in benchmarks/bench_failfast.py; the tests
# check the behaviour: the client stops waiting before the server has answered.
SLOW = 30.0  # seconds a "slow" request is held; far longer than any client timeout


def _unanswered(requests_: list) -> bool:
    return bool(requests_) and all(r.status is None for r in requests_)


def test_slow_server_hits_the_timeout(server):
    server.inject("/TableInfos", "slow", times=None, delay=SLOW)
    with pytest.raises(StatLineError, match=r"geen antwoord binnen 0,3 s \(time-out\)"):
        statline.download_table("84852NED", retries=1, backoff=0.01, timeout=(1.0, 0.3))
    assert len(server.requests_for("TableInfos")) == 2
    assert _unanswered(server.requests_for("TableInfos"))  # gave up, did not wait for the answer


def test_unknown_table_is_not_retried(server):
    with pytest.raises(StatLineError) as info:
        statline.download_table("99999NED", retries=5, **FAST)
    assert str(info.value) == f"Kan tabel 99999NED niet downloaden van {server.url}: tabel bestaat niet (HTTP 404)"
    assert info.value.status == 404
    assert len(server.requests_for(table_id="99999NED")) == 1


def test_unreachable_server_gives_statline_error():
    with FakeStatLine([]) as srv:
        url = srv.url
    with pytest.raises(StatLineError, match=r"verbinding geweigerd .*\(na 2 pogingen\)"):
        statline.fetch_table_info("84852NED", retries=1, backoff=0.01, timeout=1.0, base_url=url)


def test_first_failure_cancels_the_other_tables(server):
    server.inject("84852NED/DataProperties", "http500", times=None)
    server.inject("85361NED/", "slow", times=None, delay=SLOW)
    with pytest.raises(StatLineError, match="84852NED"):
        # the read timeout is longer than the delay: only cancelling ends the call before 85361NED answers
        statline.download_tables(["85361NED", "84852NED"], workers=2, retries=1, backoff=0.01, timeout=(1.0, 2 * SLOW))
    assert _unanswered(server.requests_for(table_id="85361NED"))


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_propagates_promptly(server, workers):
    server.inject("/TypedDataSet", "slow", times=None, delay=SLOW)
    done = threading.Event()

    def interrupt_once_data_is_requested():
        while not server.requests_for("TypedDataSet") and not done.wait(0.02):
            pass
        if not done.is_set():
            os.kill(os.getpid(), signal.SIGINT)

    interrupter = threading.Thread(target=interrupt_once_data_is_requested, daemon=True)
    interrupter.start()
    try:
        with ctrl_c_raises_keyboard_interrupt(), pytest.raises(KeyboardInterrupt):
            statline.download_tables(
                ["84852NED", "85361NED"], workers=workers, part_workers=workers, retries=5, backoff=0.01,
                timeout=(2.0, 2 * SLOW),
            )
    finally:
        done.set()
        interrupter.join()
    # Ctrl-C ended the call while the data requests were still held by the server
    assert _unanswered(server.requests_for("TypedDataSet"))


def test_keyboard_interrupt_is_not_swallowed_by_retries(server):
    def progress(event):
        if event.stage == "metadata":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        statline.download_table("84852NED", part_workers=1, progress=progress, **FAST)


# --------------------------------------------------------------------------- table info and configuration


def test_fetch_table_info(server, snapshots):
    info = statline.fetch_table_info("84852NED", **FAST)
    assert info == snapshots[0].info
    newer = build_snapshot("85361NED", categories=None, modified="2026-04-30T02:00:00")
    server.set_table(newer)
    infos = statline.fetch_table_infos(["84852NED", "85361NED"], **FAST)
    assert infos["85361NED"]["Modified"] == "2026-04-30T02:00:00"
    assert infos["84852NED"]["Modified"] == snapshots[0].info["Modified"]


@pytest.mark.parametrize(
    "url, https, catalog, normalised",
    [
        ("http://127.0.0.1:8765", False, "127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:8765/", False, "127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("https://opendata.cbs.nl", True, "opendata.cbs.nl", "https://opendata.cbs.nl"),
        ("opendata.cbs.nl", True, "opendata.cbs.nl", "https://opendata.cbs.nl"),
        ("https://example.org/statline/", True, "example.org/statline", "https://example.org/statline"),
    ],
)
def test_configure(url, https, catalog, normalised):
    assert statline.configure(url) == normalised
    assert cbsodata.options.use_https is https
    assert cbsodata.options.catalog_url == catalog
    assert statline.current_url() == normalised


def test_configure_reads_the_environment(monkeypatch):
    monkeypatch.setenv("VTDATA_STATLINE_URL", "http://127.0.0.1:9999")
    assert statline.configure() == "http://127.0.0.1:9999"
    monkeypatch.delenv("VTDATA_STATLINE_URL")
    assert statline.configure() == "https://opendata.cbs.nl"
    with pytest.raises(StatLineError, match="Ongeldig StatLine-adres"):
        statline.configure("ftp://example.org")


def test_configure_takes_proxies_from_the_current_environment(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", "http://proxy.invalid:3128")
    statline.configure("https://opendata.cbs.nl")
    assert cbsodata.options.requests["proxies"]["https"] == "http://proxy.invalid:3128"
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    statline.configure("http://127.0.0.1:8765")
    assert not cbsodata.options.requests["proxies"]


def test_the_download_uses_the_configured_server(server, snapshots):
    # download_* without base_url use the last configure() (the fixture's)
    assert statline.current_url() == server.url
    assert statline.fetch_table_info("85361NED", **FAST)["Identifier"] == "85361NED"
    assert json.dumps(server.requests[-1].target).count("85361NED/TableInfos") == 1
