"""The background warm-up never runs beside a page, and never under AppTest."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vtdata.ui import warmup


@pytest.fixture(autouse=True)
def no_prefetch_left_behind():
    """A view a test's page queued for the prefetch thread is dropped, and one being built is
    waited for, so it cannot call the next test's monkeypatched functions."""
    yield
    with warmup._lock:
        warmup._next_view.clear()
    with warmup._prefetching:
        pass


def test_warm_up_waits_while_a_page_runs():
    passed = threading.Event()

    def warm_step():
        warmup._wait_until_idle()
        passed.set()

    with warmup.page_running():
        worker = threading.Thread(target=warm_step, daemon=True)
        worker.start()
        assert not passed.wait(0.3), "the warm-up went on while a page was running"
        with warmup.page_running():  # a second session's run keeps it waiting after the first ends
            pass
        assert not passed.wait(0.1)
    assert passed.wait(5), "the warm-up did not go on once no page was running"
    worker.join(5)


def test_no_warm_up_under_apptest(demo_db, monkeypatch):
    started = []
    monkeypatch.setattr(warmup, "_started", set())  # as in a fresh process
    monkeypatch.setattr(warmup, "_warm", lambda version: started.append(version))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    for thread in list(warmup._threads):
        thread.join(5)
    assert started == []


def test_a_key_being_built_is_waited_for_not_built_twice():
    """A page asking for what the background warm-up is building waits for it (one build, one value)."""
    from vtdata.ui.memo import memo

    started, release, calls = threading.Event(), threading.Event(), []

    @memo()
    def slow(version: str, key: str) -> object:
        calls.append(key)
        started.set()
        release.wait(5)
        return object()

    found = []
    warming = threading.Thread(target=lambda: found.append(slow("v1", "ranking")), daemon=True)
    warming.start()
    assert started.wait(5)
    asking = threading.Thread(target=lambda: found.append(slow("v1", "ranking")), daemon=True)
    asking.start()
    asking.join(0.3)
    assert asking.is_alive(), "the second caller did not wait for the build in progress"
    release.set()
    warming.join(5)
    asking.join(5)
    assert calls == ["ranking"] and len(found) == 2 and found[0] is found[1]


def test_a_failed_build_is_built_by_the_next_caller():
    from vtdata.ui.memo import memo

    calls = []

    @memo()
    def flaky(version: str) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first build fails")
        return 7

    try:
        flaky("v1")
    except RuntimeError:
        pass
    assert flaky("v1") == 7 and len(calls) == 2


def test_warm_up_builds_the_ranking_data_of_the_default_link(demo_db, monkeypatch):
    """After the warm-up of a theme, its default link's first Ranglijst judges no region itself."""
    from vtdata.model.periods import half_year_periods
    from vtdata.model.catalog import THEMES_BY_SLUG
    from vtdata.ui import data, memo, segments
    from vtdata.ui.state import period_options
    from vtdata.ui.views import verdicts

    segments._replayed.clear()  # as in a fresh process
    memo._built.cache_clear()
    version = data.get_db().version
    period = str(period_options()["code"].iloc[0])
    hj = tuple(half_year_periods(data.periods())["code"].astype(str))
    warmup._warm_theme(version, THEMES_BY_SLUG["overdrachten"], period, hj)
    judged = []
    real = verdicts.ranking_for_view
    monkeypatch.setattr(verdicts, "ranking_for_view", lambda *a, **k: judged.append(1) or real(*a, **k))
    at = AppTest.from_string("from vtdata.ui.theme import render_theme\nrender_theme('overdrachten')\n", default_timeout=120)
    at.session_state["weergave"] = "Ranglijst"
    at.run()
    assert not at.exception
    assert any("gerangschikt" in c.proto.alt for c in at.get("vega_lite_chart"))
    assert judged == []


def test_a_page_prefetches_the_ranking_and_change_data_of_its_own_view(demo_db, monkeypatch):
    """After a theme page ran (not the default link: an older period, a gemeente), its first
    Ranglijst and Verandering find the verdicts, the charts, the Gespreksvragen and the map built
    in the background: they judge no region and build no chart, question or map themselves."""
    from vtdata.figures import prompts as figure_prompts
    from vtdata.ui import charts, maps, memo, segments
    from vtdata.ui.views import change, verdicts

    segments._replayed.clear()  # as in a fresh process
    memo._built.cache_clear()
    monkeypatch.setattr(warmup, "_served", lambda: True)  # as under `streamlit run`
    done = threading.Event()
    real_prefetch = change.prefetch  # the last part of a view's prefetch
    niceness = []
    monkeypatch.setattr(change, "prefetch", lambda *a: (
        real_prefetch(*a), niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())), done.set()))
    at = AppTest.from_string("from vtdata.ui.theme import render_theme\nrender_theme('overdrachten')\n", default_timeout=120)
    at.query_params["region"], at.query_params["period"] = "GM0363", "2023HJ01"
    at.run()
    assert not at.exception
    assert done.wait(60), "the page's view was not prefetched"
    if sys.platform == "linux":  # a page run (and a browser on the same machine) goes before the prefetch
        assert niceness == [warmup.BACKGROUND_NICE]
    judged, drawn, asked = [], [], []
    real = verdicts.ranking_for_view
    monkeypatch.setattr(verdicts, "ranking_for_view", lambda *a, **k: judged.append(1) or real(*a, **k))
    for name in ("ranking_chart", "funnel_chart"):
        monkeypatch.setattr(charts, name, lambda *a, **k: drawn.append(1))
    real_prompts = figure_prompts.discussion_prompts
    monkeypatch.setattr(figure_prompts, "discussion_prompts", lambda *a, **k: asked.append(1) or real_prompts(*a, **k))
    at.session_state["weergave"] = "Ranglijst"
    at.run()
    assert not at.exception
    assert sum("gerangschikt" in c.proto.alt or c.proto.alt.startswith("Trechter") for c in at.get("vega_lite_chart")) == 2
    assert judged == [] and drawn == [] and asked == []
    assert any(m.value == "**Gespreksvragen**" for m in at.markdown)
    mapped = []
    monkeypatch.setattr(maps, "build_choropleth", lambda *a, **k: mapped.append(1))
    at.session_state["weergave"] = "Verandering"
    at.run()
    assert judged == [] and drawn == [] and mapped == []
    assert not at.exception
    assert any("procentuele verandering" in c.proto.alt for c in at.get("vega_lite_chart"))
    assert len(at.get("deck_gl_json_chart")) == 1


def test_a_view_of_an_older_database_version_is_not_prefetched(demo_db, monkeypatch):
    """A prefetch that starts after a refresh published a new version would build for the old one
    (and evict the new version's entries from the memo): it is skipped."""
    from dataclasses import replace

    from vtdata.model.catalog import THEMES_BY_SLUG
    from vtdata.ui import context, data
    from vtdata.ui.state import Selection
    from vtdata.ui.views import notable

    built = []
    monkeypatch.setattr(notable, "build_data", lambda *a: built.append(a))
    version = data.database().version
    nl = context.national_code()
    theme = THEMES_BY_SLUG["overdrachten"]
    spec = context.view_spec(version, theme.slug, context.table_for(theme, nl), None, None, None)
    sel = Selection(nl, "Nederland", "NL", "2023HJ01", "2023HJ01", None, 2023)
    ctx = context.ViewContext(theme, sel, spec, version=version, nl=nl)
    assert warmup.prefetch_view(replace(ctx, version=version + "-older"), "GM", "x") is False
    assert built == []
    monkeypatch.setattr("vtdata.ui.views.ranking.prefetch", lambda *a: None)
    assert warmup.prefetch_view(ctx, "GM", "x") is True
    assert len(built) == 1
