"""Warm the view caches for the default views when the server starts, and prefetch the
ranking data of the view a page just showed (`prefetch`).

The first visitor of a theme page after a (re)start otherwise pays for opening
the database, loading lifetimes and population, and shaping the cells of the
default view (Nederland, newest period, gemeenten and VT-regio's on the map).
A thread does that once per server process and database version. It never
competes with a visitor: it works only while no page is running (`page_running`
marks a run), between two steps, so a page waits at most for one step. It runs
only under a real Streamlit server (not AppTest), and stops between two steps
when the process exits: a thread still inside DuckDB at interpreter shutdown
aborts the process.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading

from vtdata.model.periods import half_year_periods, same_period_year_before
from vtdata.model.catalog import THEMES
from vtdata.model.periods import period_year

log = logging.getLogger(__name__)
BACKGROUND_NICE = 19  # the lowest priority: only spare CPU
_started: set[str] = set()
_lock = threading.Lock()
_stop = threading.Event()
_threads: list[threading.Thread] = []
_running = 0  # page runs in progress, in every session
_idle = threading.Condition()


@contextlib.contextmanager
def page_running():
    """Around a page run: the warm-up waits until no page runs."""
    global _running
    with _idle:
        _running += 1
    try:
        yield
    finally:
        with _idle:
            _running -= 1
            _idle.notify_all()


def _wait_until_idle() -> None:
    with _idle:
        _idle.wait_for(lambda: _running == 0 or _stop.is_set())


def skip_direct_run_check() -> None:
    """Spare the first visitor Streamlit's check for a script run without `streamlit run`.

    The first element a process draws makes Streamlit walk the whole call stack
    with `inspect.stack()` (reading the source of every frame: 0.1-0.2 s of a first
    visit) to decide whether to warn about running a script directly. The app is
    always run by `streamlit run` (or AppTest), where that warning does not apply.
    """
    import streamlit.delta_generator as delta_generator

    if hasattr(delta_generator, "_use_warning_has_been_displayed"):  # an internal of Streamlit 1.67
        delta_generator._use_warning_has_been_displayed = True


def _served() -> bool:
    """Under a real Streamlit server: not bare mode or AppTest (which sets up a mock runtime)."""
    from streamlit import config, runtime

    return runtime.exists() and not config.get_option("global.appTest")


def start(version: str) -> None:
    if not _served():  # no later visitors to warm for
        return
    with _lock:
        if version in _started:
            return
        _started.add(version)
        thread = threading.Thread(target=_warm, args=(version,), name="vtdata-warmup", daemon=True)
        _threads.append(thread)
    thread.start()


@atexit.register
def _finish() -> None:
    _stop.set()
    _view_asked.set()  # wakes the prefetch thread, which then sees the stop
    with _idle:
        _idle.notify_all()
    for thread in _threads:
        thread.join(timeout=30)


def _warm(version: str) -> None:
    _as_background()
    from vtdata.ui import context, data
    from vtdata.ui.state import period_options

    try:
        _wait_until_idle()
        context.lifetimes(version)
        context.population_reason(version)
        period = str(period_options()["code"].iloc[0])
        hj = tuple(half_year_periods(data.periods())["code"].astype(str))
        for theme in THEMES:
            _wait_until_idle()
            if _stop.is_set():
                return
            _warm_theme(version, theme, period, hj)
    except Exception:  # warming is an optimisation: never let it disturb the app
        log.exception("warming the view caches failed")


def _warm_theme(version: str, theme, period: str, hj: tuple[str, ...]) -> None:
    from vtdata.ui import context

    nl = context.national_code()
    table = context.table_for(theme, nl) if nl else None
    if table is None:
        return
    spec = context.view_spec(version, theme.slug, table, None, None, None)
    before = same_period_year_before(period)
    context.view_cells(version, spec, (nl,), tuple(sorted({period, before})))
    context.view_cells(version, spec, (nl,), hj)
    for level in ("GM", "VT"):
        level_table, codes = context.table_for_level(theme, level, period_year(period))
        if level_table:
            level_spec = spec if level_table == table else context.view_spec(version, theme.slug, level_table, spec.measure, spec.dimension, None)
            context.view_cells(version, level_spec, tuple(sorted(dict.fromkeys(codes))), (period,))
    _warm_rankings(version, theme, spec, nl, period)


def _warm_rankings(version: str, theme, spec, nl: str, period: str) -> None:
    """The verdicts (the map's marks, the ranking) and the change rows of "wat valt op" of the
    default link's view, per level: the slowest part of a first Ranglijst."""
    from vtdata.ui import context
    from vtdata.ui.state import Selection
    from vtdata.ui.views import notable
    from vtdata.ui.views.choices import category_default

    sel = Selection(nl, "Nederland", "NL", period, period, None, period_year(period))
    options = context.show_options(spec, theme)
    ctx = context.ViewContext(theme, sel, spec, show=options[0], version=version, nl=nl)
    if not spec.categories:
        return
    category = category_default(ctx)
    for level in ("GM", "VT"):
        _wait_until_idle()
        if _stop.is_set():
            return
        if context.table_for_level(theme, level, sel.year)[0]:
            notable.build_data(ctx, level, category)


_next_view: list = []  # at most one view waiting for `prefetch`: the newest asked
_view_asked = threading.Event()
_prefetching = threading.Lock()  # held from taking a view until it is built (tests wait on it)


def prefetch(ctx, level: str, category: str | None) -> None:
    """After a page run: build in the background what the view's Kaart, Ranglijst and Verandering
    tabs read (the level's cells, verdicts and change rows, the ranking's rows and charts, the
    Gespreksvragen, the change map and chart), so the click finds them built. Only the newest view waits; like the
    warm-up, the work is done only while no page runs, and a page that asks for a part being
    built waits for it instead of building it twice. A view built before costs a dictionary
    lookup."""
    if category is None or not _served():
        return
    from dataclasses import replace

    with _lock:
        _next_view[:] = [(replace(ctx, explanations=[]), level, category)]
        if not any(t.name == "vtdata-prefetch" and t.is_alive() for t in _threads):
            thread = threading.Thread(target=_prefetch, name="vtdata-prefetch", daemon=True)
            _threads.append(thread)
            thread.start()
    _view_asked.set()


def _as_background() -> None:
    """Lower this thread's CPU priority (Linux: a thread's own nice value): page runs of other
    sessions, and a browser on the same machine, go first. Elsewhere the thread runs as it is."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass


def _prefetch() -> None:
    _as_background()
    while not _stop.is_set():
        _view_asked.wait()
        with _prefetching:
            with _lock:
                job = _next_view.pop() if _next_view else None
                _view_asked.clear()
            if job is None:
                continue
            _wait_until_idle()
            if _stop.is_set():
                return
            try:
                prefetch_view(*job)
            except Exception:  # an optimisation: the page builds it itself when asked
                log.exception("prefetching a view failed")


def prefetch_view(ctx, level: str, category: str) -> bool:
    """Build one view's tab data now (False: skipped, a newer database version is published,
    whose pages would only see their own entries evicted by builds for the old one)."""
    from vtdata.ui import data
    from vtdata.ui.views import change, notable, prompts, ranking

    if data.database().version != ctx.version:
        return False
    notable.build_data(ctx, level, category)
    _wait_until_idle()
    ranking.prefetch(ctx, level, category)  # its rows and charts, as the tab opens
    _wait_until_idle()
    prompts.view_prompts(ctx)  # the Ranglijst tab's Gespreksvragen (60 ms of its first run)
    _wait_until_idle()
    change.prefetch(ctx, level, category)  # the Verandering tab's rows, map and chart
    return True
