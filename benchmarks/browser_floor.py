"""The browser clicks and visits of vtdata against the same kind on a minimal Streamlit page (used by bench_browser).

Not a benchmark itself (run_all only runs bench_*.py). Each measurement appends
samples (ms, or bytes) to a dict keyed by what was measured; bench_browser takes
the medians over every server it started.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass

from tests.e2e.helpers import MAP, PERIOD, RUN_FINISHED, exception_texts, url_for

VIEWPORT = {"width": 1280, "height": 720}
WAIT_MS = 60_000  # for one page or rerun
RERUN_STARTS_MS = 5_000  # from a click until its rerun starts
VISITS = 3  # first visits per server, each in a new browser context
CLICKS = 4  # tab clicks and selectbox changes per server, after the first of each kind
STEPS = 3  # presentation steps per server (each to a view not shown before: Kaart, Ranglijst, Ontwikkeling)
READ_S = 2  # a user reads the page before the first tab click (the capacity benchmark's pause too)
FIRST_TAB_REGIONS = ("GM0599", "GM0014")  # Rotterdam, Groningen: shown by no other visit of the run

THEME_PAGE = "/overdrachten"
HEADLINE = '[data-testid="stMain"] table.vt-head'
TABS = ("Ranglijst", "Overzicht per categorie")
# Two gemeenten to switch between: (what is typed, the option's label starts with)
REGIONS = (("Utrecht", "Utrecht (gemeente"), ("Amsterdam", "Amsterdam (gemeente"))
NEW_REGION = ("Eindhoven", "Eindhoven (gemeente")  # a second change to a region not shown before

MINIMAL_DRAWN = '[data-testid="stMain"] [role="tabpanel"]'
MINIMAL_SELECT = '[data-testid="stMain"] [data-testid="stSelectbox"]'
MINIMAL_TABS = (("Tweede", "Tekst op het tweede tabblad"), ("Eerste", "Tekst op het eerste tabblad"))
MINIMAL_OPTIONS = ("Twee", "Drie", "Een")
MINIMAL_TAB_SHOWN = "(text) => [...document.querySelectorAll('[role=\"tabpanel\"]')].some(p => p.offsetParent && p.innerText.includes(text))"
MINIMAL_CHOSEN = "(option) => document.body.innerText.includes('Gekozen: ' + option)"

# Sets window.vtRerun as soon as the script state changes (it reads notRunning before a click).
# Misses a rerun that starts and ends within one frame: `watch_runs` counts runs on the websocket.
WATCH_RERUN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => { window.vtRerun = true; })
        .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


# Marks a canvas once WebGL drew into it (an init script of every measured page). A map's canvas is in
# the page long before deck.gl draws its first frame: on this machine's software WebGL that frame is
# one task of about 1.5 s after the canvas appeared, which the canvas alone counted as shown.
MARK_WEBGL_DRAWS = """(() => {
    for (const proto of [window.WebGLRenderingContext, window.WebGL2RenderingContext].filter(Boolean).map(c => c.prototype)) {
        for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
            const draw = proto[name];
            if (draw) proto[name] = function (...args) { if (this.canvas) this.canvas.vtDrawn = true; return draw.apply(this, args); };
        }
    }
})();"""
MAP_CANVAS = MAP + " canvas"
# A run has finished: the script is idle, every element has drawn, and so has every map in view (a map
# in a hidden tab draws once shown). Needs MARK_WEBGL_DRAWS.
FINISHED = """() => (""" + RUN_FINISHED + """)()
    && [...document.querySelectorAll('""" + MAP + """')].every(m => !m.offsetParent || [...m.querySelectorAll('canvas')].some(c => c.vtDrawn))"""

NEXT_FRAME = "() => new Promise(resolve => requestAnimationFrame(() => resolve()))"

# A first visit on the page's own clock (an init script, so it watches from the first frame): the epoch ms
# of the frame after the first one painted with `drawn` visible (`vtSeenAt`), and after the first one
# painted with the run finished (`FINISHED`) from then on (`vtFinishedAt`). Playwright's own waits poll
# from outside, after 270 ms only every 500 ms (its back-off), which added up to half a second to a visit.
WATCH_VISIT = """(() => {
    const drawn = %s;
    const finished = """ + FINISHED + """;
    const at = () => performance.timeOrigin + performance.now();
    const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
    let seen = false;
    const frame = () => {
        if (!seen) {
            const e = document.querySelector(drawn);
            seen = !!e && shown(e);
            if (seen) requestAnimationFrame(() => { window.vtSeenAt = at(); });
        }
        if (seen && finished()) { requestAnimationFrame(() => { window.vtFinishedAt = at(); }); return; }
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
})();"""
VISIT_WATCHED = "() => window.vtFinishedAt !== undefined"
VISIT_TIMES = "() => [window.vtSeenAt, window.vtFinishedAt]"


def watch_visit(drawn: str) -> str:
    """The init script `WATCH_VISIT` for a page whose answer is the element `drawn` (a CSS selector)."""
    return WATCH_VISIT % json.dumps(drawn)


def wait_finished(page) -> None:
    """Until the run has finished and every element in view has drawn (`FINISHED`)."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=WAIT_MS)
    page.wait_for_function(FINISHED, timeout=WAIT_MS, polling="raf")
    page.evaluate(NEXT_FRAME)  # the frame in which it held has been painted then

# Pieces of the predicates below. FRESH: drawn by the current run, not left from the run before
# (Streamlit marks those stale until the rerun reaches them). DRAWN: a chart, map or table, and
# `painted`: a map once deck.gl drew into its canvas.
FRESH = """const fresh = (e) => { const box = e.closest('[data-testid="stElementContainer"]'); return !box || box.getAttribute('data-stale') !== 'true'; };
    const painted = (e) => !e.matches('""" + MAP_CANVAS + """') || e.vtDrawn === true;"""
DRAWN = """'[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg, """ + MAP_CANVAS + """, table'"""

# The answer is on screen (polled every frame from the click on; `arg` is what was shown before):
# the headline table shows other figures than before, and is not waiting for its rerun.
HEADLINE_CHANGED = """(before) => {
    """ + FRESH + """
    const table = document.querySelector('[data-testid="stMain"] table.vt-head');
    return !!table && table.outerHTML !== before && fresh(table);
}"""
HEADLINE_NOW = """() => { const t = document.querySelector('[data-testid="stMain"] table.vt-head'); return t ? t.outerHTML : ''; }"""
# the tab `arg` is selected and its panel shows a drawn chart, map or table that is not waiting for a rerun
TAB_SHOWN = """(name) => {
    """ + FRESH + """
    const tab = [...document.querySelectorAll('[role="tab"]')].find(t => t.innerText.trim() === name);
    if (!tab || tab.getAttribute('aria-selected') !== 'true') return false;
    const panel = document.getElementById(tab.getAttribute('aria-controls'));
    if (!panel || !panel.offsetParent) return false;
    const drawn = panel.querySelector(""" + DRAWN + """);
    return !!drawn && drawn.getBoundingClientRect().height > 0 && fresh(drawn) && painted(drawn);
}"""

# presentation step `arg` (its "n/6 · ..." line) and a drawn chart, map or table under it, neither waiting for a rerun
STEP_SHOWN = """(n) => {
    """ + FRESH + """
    const main = document.querySelector('[data-testid="stMain"]');
    const line = [...main.querySelectorAll('strong')].find(e => e.innerText.startsWith(n + '/') && fresh(e));
    if (!line) return false;
    const drawn = [...main.querySelectorAll(""" + DRAWN + """)];
    return drawn.some(e => fresh(e) && painted(e) && e.getBoundingClientRect().height > 0 && (line.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING));
}"""


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> [script runs finished]


def watch_runs(page) -> None:
    """Count the script runs the server reports finished (ForwardMsg script_finished) on `page`; call before `goto`.

    The app's `data-test-script-state` attribute misses a rerun that starts and ends between two
    frames (the frontend draws only its end), which `timed_rerun` then counted as 5 s.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    runs = _RUNS[page] = [0]

    def frame(payload) -> None:
        if isinstance(payload, str):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except Exception:  # not a ForwardMsg: not a run's end
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            runs[0] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", frame))


class Traffic:
    """What a page downloads: HTTP response bodies (decoded length, else Content-Length) and websocket frames."""

    def __init__(self, page):
        self.responses = []
        self.ws_bytes = 0
        page.on("response", lambda response: self.responses.append(response))
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)

    def http_bytes(self) -> int:
        total = 0
        for response in self.responses:
            try:
                total += len(response.body())
            except Exception:  # a redirect or an evicted body: the header's figure
                total += int(response.headers.get("content-length") or 0)
        return total


@dataclass
class Opened:
    page: object
    drawn_ms: float  # until `drawn` was visible
    finished_ms: float  # until the run had finished and drawn
    traffic: Traffic | None


@contextlib.contextmanager
def opened(browser, full_url: str, drawn: str, *, what: str, count_traffic: bool = False):
    """Open `full_url` in a new browser context (empty cache), timed from `page.goto` until `drawn` is visible
    and until the run has finished, both on the page's clock (`WATCH_VISIT`); then the page watches its reruns
    (`timed_rerun`). `what` names it in an error."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        context.add_init_script(MARK_WEBGL_DRAWS)
        context.add_init_script(watch_visit(drawn))
        page = context.new_page()
        traffic = Traffic(page) if count_traffic else None
        watch_runs(page)
        start = time.time() * 1000  # the page's clock is the epoch's too
        page.goto(full_url, wait_until="commit")
        page.wait_for_function(VISIT_WATCHED, timeout=WAIT_MS, polling="raf")
        drawn_ms, finished_ms = (at - start for at in page.evaluate(VISIT_TIMES))
        if exception_texts(page):
            raise SystemExit(f"{what}: exception on the page: {exception_texts(page)[0][:500]}")
        page.evaluate(WATCH_RERUN)
        yield Opened(page, drawn_ms, finished_ms, traffic)
    finally:
        context.close()


@contextlib.contextmanager
def first_visit(browser, full_url: str, drawn: str):
    """Open `full_url` in a new browser context, counting its traffic: `Opened`."""
    with opened(browser, full_url, drawn, what=full_url, count_traffic=True) as visit:
        yield visit


def timed_rerun(page, act, took_effect, result_js: str = "false") -> float:
    """ms from `act()` (a click) until the rerun it starts has finished and drawn.

    On a page under `watch_runs`: once the server reported the run finished,
    then until every element has drawn. Otherwise the rerun has started when the
    script state changed or `result_js` (a JavaScript expression true once the
    server's answer shows, such as a changed link) holds; a rerun that starts and
    ends between two frames escapes that observer: without `result_js`, after 5 s
    the click counts when `took_effect()`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    runs = _RUNS.get(page)
    page.evaluate("window.vtRerun = false")
    before = runs[0] if runs else 0
    start = time.perf_counter()
    act()
    if runs is not None:
        while runs[0] <= before:
            if ms_since(start) > WAIT_MS:
                raise PlaywrightTimeout(f"no script run finished within {WAIT_MS} ms of the click")
            page.wait_for_timeout(1)  # lets Playwright deliver the websocket frames
        wait_finished(page)
        return ms_since(start)
    try:
        page.wait_for_function(f"() => window.vtRerun || ({result_js})", timeout=RERUN_STARTS_MS, polling="raf")
    except PlaywrightTimeout:
        if not took_effect():
            raise
    wait_finished(page)
    return ms_since(start)


# Watches, every frame, for `predicate(arg)` to hold after the next pointerdown; the page's own clock:
# a click on a busy page returns to Playwright late (after the page has handled it), the user sees earlier.
# Seen at the start of the frame after the one in which it held: that frame has been painted then. A map
# draws in a frame callback, and the frame is shown only after the (software) GPU has drawn it.
WATCH_ANSWER = """([predicate, arg]) => {
    const holds = new Function('return ' + predicate)();
    const watch = window.vtAnswer = {down: null, seen: null};
    document.addEventListener('pointerdown', (e) => { if (watch.down === null) watch.down = e.timeStamp; }, {capture: true, once: true});
    const painted = () => { if (window.vtAnswer === watch) watch.seen = performance.now(); };
    const frame = () => {
        if (window.vtAnswer !== watch) return;
        if (watch.down !== null && holds(arg)) { requestAnimationFrame(painted); return; }
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}"""


def timed_answer(page, act, took_effect, seen: tuple[str, object], result_js: str = "false") -> tuple[float, float]:
    """(ms from the pointer going down until the answer is on screen, ms until the rerun has finished) of `act()`.

    `seen` is a JavaScript predicate and its argument (`TAB_SHOWN`, `HEADLINE_CHANGED`), checked
    every frame on the page's clock: a tab drawn before shows long before its rerun has
    finished, the headline before the charts under it.
    """
    page.evaluate(WATCH_ANSWER, list(seen))
    done = timed_rerun(page, act, took_effect, result_js)
    return answer_ms(page), done


def answer_ms(page) -> float:
    """ms from the pointer going down until the answer `WATCH_ANSWER` waits for showed (waits for it)."""
    page.wait_for_function("() => window.vtAnswer.seen !== null", timeout=WAIT_MS, polling="raf")
    return page.evaluate("window.vtAnswer.seen - window.vtAnswer.down")


def link_changed(page) -> str:
    """`result_js` for a change the app answers with a new link (region, period, step, map click)."""
    return f"location.href !== {json.dumps(page.url)}"


def headline_changes(page) -> tuple[str, str]:
    """`seen` for `timed_answer`: the headline shows other figures than it does now."""
    return HEADLINE_CHANGED, page.evaluate(HEADLINE_NOW)


def timed_choice(page, box, option: re.Pattern, typed: str | None = None, result_js: str | None = None,
                 seen: tuple[str, object] | None = None):
    """Open the selectbox `box` (typing `typed` to find the option), then ms from choosing `option` until the rerun finished.

    With `seen`: (ms until the answer is on screen, ms until the rerun finished), as `timed_answer`."""
    box.click()
    if typed:
        page.keyboard.type(typed)
    choice = page.get_by_role("option", name=option).first
    choice.wait_for(state="visible", timeout=WAIT_MS)

    def shown() -> bool:
        inputs = box.locator("input")
        return bool(option.search(inputs.first.input_value() if inputs.count() else "") or option.search(box.inner_text()))

    if seen:
        return timed_answer(page, choice.click, shown, seen, result_js or link_changed(page))
    return timed_rerun(page, choice.click, shown, result_js or link_changed(page))


def _sidebar_box(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).first


def _period_options(page, box) -> list[str]:
    """The two period labels to switch between: the one shown and its neighbour in the list."""
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for(state="visible", timeout=WAIT_MS)
    labels = [text.strip() for text in options.all_inner_texts()]
    page.keyboard.press("Escape")
    inputs = box.locator("input")
    current = inputs.first.input_value() if inputs.count() else ""
    i = labels.index(current) if current in labels else 0
    other = labels[i + 1] if i + 1 < len(labels) else labels[i - 1]
    return [other, labels[i]]


def first_visits(browser, full_url: str, drawn: str, samples: defaultdict) -> None:
    """`VISITS` first visits: their time until `drawn` shows and until the run finished, bytes over HTTP and
    the websocket, and requests."""
    for _ in range(VISITS):
        with first_visit(browser, full_url, drawn) as visit:
            samples["visit"].append(visit.finished_ms)
            samples["visit_seen"].append(visit.drawn_ms)
            samples["http_bytes"].append(visit.traffic.http_bytes())
            samples["ws_bytes"].append(visit.traffic.ws_bytes)
            samples["requests"].append(len(visit.traffic.responses))


def measure_vtdata(browser, url: str, region: str, samples: defaultdict) -> None:
    """A warm vtdata server: first visits, tab clicks, region and period changes, presentation steps."""
    full_url = url_for(url, THEME_PAGE, region=region, period=PERIOD)
    first_visits(browser, full_url, HEADLINE, samples)

    def add(kind: str, timed: tuple[float, float]) -> None:  # a click's time until seen, and until done
        samples[f"{kind}_seen"].append(timed[0])
        samples[kind].append(timed[1])

    def tab_click(page, name: str) -> tuple[float, float]:
        tab = page.get_by_role("tab", name=name, exact=True)
        return timed_answer(page, tab.click, lambda: tab.get_attribute("aria-selected") == "true", (TAB_SHOWN, name))

    # A first Ranglijst, of a region no visit showed yet (the page prefetches its own view's ranking when it has
    # run): clicked at once, and after reading the page for READ_S seconds.
    for kind, region_code, read_s in (("tab_first", FIRST_TAB_REGIONS[0], 0), ("tab_first_read", FIRST_TAB_REGIONS[1], READ_S)):
        with first_visit(browser, url_for(url, THEME_PAGE, region=region_code, period=PERIOD), HEADLINE) as visit:
            page = visit.page
            if read_s:
                page.wait_for_timeout(read_s * 1000)
            add(kind, tab_click(page, TABS[0]))
    with first_visit(browser, full_url, HEADLINE) as visit:
        page = visit.page
        # the first click draws the Ranglijst in this browser; the later ones switch between two drawn views
        for i in range(CLICKS + 1):
            timed = tab_click(page, TABS[i % 2])
            if i:
                add("tab", timed)
        box = _sidebar_box(page, "Regio")
        for i in range(CLICKS + 1):
            typed, label = REGIONS[i % 2]
            add("region_first" if i == 0 else "region", timed_choice(page, box, re.compile(rf"^{re.escape(label)}"), typed, seen=headline_changes(page)))
        typed, label = NEW_REGION
        add("region_first", timed_choice(page, box, re.compile(rf"^{re.escape(label)}"), typed, seen=headline_changes(page)))
        box = _sidebar_box(page, "Periode")
        labels = _period_options(page, box)
        for i in range(CLICKS + 1):
            add("period_first" if i == 0 else "period", timed_choice(page, box, re.compile(rf"^{re.escape(labels[i % 2])}$"), seen=headline_changes(page)))
    with first_visit(browser, url_for(url, THEME_PAGE, region=region, period=PERIOD, presentatie="1"), HEADLINE) as visit:
        page = visit.page
        for step in range(2, STEPS + 2):
            button = page.get_by_role("button", name="Volgende")
            if button.is_disabled():
                break
            timed = timed_answer(page, button.click, lambda s=step: f"stap={s}" in page.url, (STEP_SHOWN, step), link_changed(page))
            if page.locator(MAP).count():
                add("step_map", timed)
                add_size(samples, "step_map", page.locator(MAP).first)
            else:
                add("step", timed)


def measure_map_click(browser, url: str, samples: defaultdict) -> None:
    """One map click (VT-regio map of /veiligheid: from Amsterdam-Amstelland to Utrecht) until every rerun it
    starts finished: when the link names the new region and the script is idle again."""
    full_url = url_for(url, "/veiligheid", region="VT01", period="2023JJ00", niveau="VT", weergave="Kaart")
    with first_visit(browser, full_url, HEADLINE) as visit:
        page = visit.page
        timed_map_click(page, samples, lambda: "region=VT20" in page.url, headline_changes(page), link_changed(page),
                        answered_js="() => /[?&]region=VT20(&|$)/.test(location.href)")


def timed_map_click(page, samples: defaultdict, took_effect, seen: tuple[str, object], result_js: str, *, answered_js: str) -> None:
    """Click the middle of the page's map (Utrecht on both pages' maps): into `samples`, the ms until `seen`
    holds (`map_seen`, as `timed_answer`), until `answered_js` holds and every run has finished (`map`),
    and the map's size. Hovered first until deck.gl names the region under the pointer (its picking
    buffer is ready then), as in the e2e test."""
    from tests.e2e.test_map_click import _middle, hover_until_picked

    chart = page.locator(MAP).first
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(MAP_CANVAS, timeout=WAIT_MS)
    hover_until_picked(page, chart)
    start = time.perf_counter()
    seen_ms, _ = timed_answer(page, lambda: page.mouse.click(*_middle(chart)), took_effect, seen, result_js)
    page.wait_for_function(answered_js, timeout=WAIT_MS)  # a click may start more than one run
    wait_finished(page)
    samples["map"].append(ms_since(start))
    samples["map_seen"].append(seen_ms)
    add_size(samples, "map", chart)


def add_size(samples: defaultdict, kind: str, chart) -> None:
    """The map's size in CSS pixels (`kind`_width, _height): the minimal page draws its map as large."""
    box = chart.bounding_box()
    samples[f"{kind}_width"].append(round(box["width"]))
    samples[f"{kind}_height"].append(round(box["height"]))


def map_size(samples: dict, kind: str) -> str:
    """The query of the minimal page's map for a map of vtdata's median size of `kind`."""
    return f"breed={statistics.median(samples[kind + '_width']):.0f}&hoog={statistics.median(samples[kind + '_height']):.0f}"


MAP_DRAWN = """() => {
    """ + FRESH + """
    return [...document.querySelectorAll('""" + MAP_CANVAS + """')].some(c => fresh(c) && painted(c) && c.getBoundingClientRect().height > 0);
}"""


def measure_minimal_maps(browser, url: str, vtdata: dict, samples: defaultdict) -> None:
    """The minimal page's maps, as large as vtdata's (`?kaart=`, see `benchmarks.support.MINIMAL_PAGE`).

    The first map of the browser, shown by a selectbox change (as the Kaart step shows the gemeente map),
    until deck.gl has drawn it; and a click on its VT-regio map (Amsterdam-Amstelland's map has
    Utrecht in the middle), until the page writes the region and the run has finished.
    """
    with first_visit(browser, f"{url}/?kaart=gm&{map_size(vtdata, 'step_map')}", MINIMAL_SELECT) as visit:
        page = visit.page
        box = page.locator(MINIMAL_SELECT).first
        seen, done = timed_choice(page, box, re.compile("^Kaart$"), result_js=f"document.querySelector('{MAP}') !== null",
                                  seen=(MAP_DRAWN, None))
        samples["map_show"].append(done)
        samples["map_show_seen"].append(seen)
        add_size(samples, "step_map", page.locator(MAP).first)
    chosen = "document.body.innerText.includes('Gekozen: Utrecht')"
    with first_visit(browser, f"{url}/?kaart=vt&open=1&{map_size(vtdata, 'map')}", MAP) as visit:
        page = visit.page
        timed_map_click(page, samples, lambda: page.evaluate(chosen), (f"() => {chosen}", None), chosen,
                        answered_js=f"() => {chosen}")


def measure_minimal(browser, url: str, samples: defaultdict) -> None:
    """A warm minimal page: first visits, tab clicks (no rerun: until the text shows), selectbox changes."""
    first_visits(browser, url, MINIMAL_DRAWN, samples)
    with first_visit(browser, url, MINIMAL_DRAWN) as visit:
        page = visit.page
        for i in range(CLICKS):
            name, text = MINIMAL_TABS[i % 2]
            page.evaluate("window.vtRerun = false")
            page.evaluate(WATCH_ANSWER, [MINIMAL_TAB_SHOWN, text])
            start = time.perf_counter()
            page.get_by_role("tab", name=name, exact=True).click()
            page.get_by_text(text, exact=True).wait_for(state="visible", timeout=WAIT_MS)
            if page.evaluate("window.vtRerun"):  # not expected without a key, but then it counts
                wait_finished(page)
            samples["tab"].append(ms_since(start))
            samples["tab_seen"].append(answer_ms(page))
        box = page.locator(MINIMAL_SELECT).first
        for i in range(CLICKS):
            option = MINIMAL_OPTIONS[i % len(MINIMAL_OPTIONS)]
            answered = f"document.body.innerText.includes('Gekozen: {option}')"
            seen, done = timed_choice(page, box, re.compile(rf"^{option}$"), result_js=answered, seen=(MINIMAL_CHOSEN, option))
            samples["select"].append(done)
            samples["select_seen"].append(seen)


def warm_minimal(browser, url: str) -> None:
    """One untimed visit: the minimal page's server has then run its script once, as vtdata's has when measured."""
    with first_visit(browser, url, MINIMAL_DRAWN):
        pass


# (label, kind in vtdata's samples, kind in the minimal page's samples or None, unit)
ROWS = (
    ("first visit right after the server started (each its own fresh server), until the run finished", "cold_visit", "cold_visit", "ms"),
    ("… until the headline shows (the minimal page: its first tab's text)", "cold_visit_seen", "cold_visit_seen", "ms"),
    ("first visit on a warm server, until the run finished", "visit", "visit", "ms"),
    ("… until the headline shows (the minimal page: its first tab's text)", "visit_seen", "visit_seen", "ms"),
    ("first tab click to the Ranglijst of a region not shown before (Rotterdam), at once: until its rerun finished", "tab_first", "tab", "ms"),
    ("… until its chart shows", "tab_first_seen", "tab_seen", "ms"),
    (f"the same (Groningen), {READ_S} s after the page has drawn: until its rerun finished", "tab_first_read", "tab", "ms"),
    ("… until its chart shows", "tab_first_read_seen", "tab_seen", "ms"),
    ("tab click, both views built (Ranglijst / Overzicht per categorie): until its rerun finished", "tab", "tab", "ms"),
    ("… until the tab's chart shows", "tab_seen", "tab_seen", "ms"),
    (f"region change to a region not shown before ({REGIONS[0][0]}, {NEW_REGION[0]}): until its rerun finished", "region_first", "select", "ms"),
    ("… until the headline shows the region's figures", "region_first_seen", "select_seen", "ms"),
    ("region change, both regions shown before (Amsterdam / Utrecht): until its rerun finished", "region", "select", "ms"),
    ("… until the headline shows the region's figures", "region_seen", "select_seen", "ms"),
    ("period change to a period not shown before: until its rerun finished", "period_first", "select", "ms"),
    ("… until the headline shows the period's figures", "period_first_seen", "select_seen", "ms"),
    ("period change, both periods shown before: until its rerun finished", "period", "select", "ms"),
    ("… until the headline shows the period's figures", "period_seen", "select_seen", "ms"),
    ('presentation step ("Volgende") to a chart or table not shown before (Ranglijst, Ontwikkeling): until its rerun finished', "step", "select", "ms"),
    ("… until the step's chart or table shows", "step_seen", "select_seen", "ms"),
    ('presentation step to the map (Kaart), the first map of the browser: until its rerun finished', "step_map", "select", "ms"),
    ("… until the map shows", "step_map_seen", "select_seen", "ms"),
    ("map click (VT-regio map of `/veiligheid`, Amsterdam-Amstelland to Utrecht): until its reruns finished", "map", "select", "ms"),
    ("… until the headline shows the clicked region's figures", "map_seen", "select_seen", "ms"),
    ("presentation step to the map (Kaart), against the minimal page's first map (a selectbox change showing the same gemeente boundaries, as large): until its rerun finished", "step_map", "map_show", "ms"),
    ("… until the map shows", "step_map_seen", "map_show_seen", "ms"),
    ("map click, against a click on the minimal page's VT-regio map (as large): until its reruns finished", "map", "map", "ms"),
    ("… until the headline shows the clicked region's figures (the minimal page: the region written)", "map_seen", "map_seen", "ms"),
    ("downloaded per first visit: HTTP response bodies", "http_bytes", "http_bytes", "bytes"),
    ("downloaded per first visit: websocket messages", "ws_bytes", "ws_bytes", "bytes"),
    ("HTTP requests per first visit", "requests", "requests", "count"),
)


def _cell(values: list[float], unit: str) -> str:
    if not values:
        return "–"
    median = statistics.median(values)
    if unit == "bytes":
        shown = f"{median / 1e6:.2f} MB" if median >= 1e6 else f"{median / 1e3:.1f} KB"
    else:
        shown = f"{median:.0f}"
    if unit != "ms":
        return shown
    spread = f", {min(values):.0f}–{max(values):.0f}" if len(values) > 1 else ""  # the noise, beside the median
    return f"{shown} (n={len(values)}{spread})"


def _size(samples: dict, kind: str) -> str:
    widths, heights = samples.get(f"{kind}_width"), samples.get(f"{kind}_height")
    return f"{statistics.median(widths):.0f}x{statistics.median(heights):.0f}" if widths and heights else "not measured"


def floor_table(vtdata: dict, minimal: dict, servers: int) -> list[str]:
    """The Markdown table: each vtdata figure, the minimal page's of the same kind, and their ratio."""
    lines = [
        "### Browser: vtdata against a minimal Streamlit page",
        "",
        f"The same chromium, in the same run, against a minimal Streamlit page under its own `streamlit run` "
        f"(a `st.selectbox` with 3 options, one `st.write` showing the choice, `st.tabs` with two tabs of one line each). "
        f"vtdata: `{THEME_PAGE}` for {REGIONS[1][1]}), period {PERIOD}, on each of the {servers} servers above once "
        f"warm; the minimal page's server was visited once before (its cold first visit: a server of its own, started for that visit). Medians of the samples over all servers (n, and the lowest–highest sample), in ms "
        f"unless stated. A first visit is a new browser context (empty cache) from `page.goto` until the run has "
        f"finished and every element has drawn (a map: once deck.gl has drawn into its canvas), and the frame "
        f"that showed it has been painted (and until the headline is visible), both on the page's own clock: "
        f"Playwright's waits poll a loading page only every 500 ms after its first 270 ms; a click or change is timed from the click on the tab or the option "
        f"until the rerun it starts has finished (the minimal page's tabs do not rerun: until the other tab's text is "
        f"visible), and until the answer is on screen (\"…\" rows): on the page's own clock from the pointer going "
        f"down until the frame after the first one that shows the open tab's chart, map or table drawn and not waiting for a rerun, "
        f"or the headline showing other figures than before (the minimal page: the other tab's text, the choice "
        f"written). Playwright's click returns only once a busy page has handled it, so only the page's clock "
        f"tells when the answer showed. A tab drawn "
        f"before shows at once, while its rerun keeps the link up to date; a new region's headline shows while the "
        f"charts under it are still being made. A selectbox change on the minimal page (its only click that reruns) is compared with the region and period changes, the presentation step and the map click. "
        f"Bytes: decoded HTTP response bodies (Content-Length where the body is not available) and websocket frames "
        f"received. A map click is timed from the click (after hovering until deck.gl names the region) until "
        f"the link names the clicked region and the script is idle again. "
        f"A map is compared twice: with the selectbox change, and with the same kind of click on the minimal page's "
        f"own map (`?kaart=`): one pickable layer of the same boundaries, sent as compactly, as large as vtdata's map "
        f"(median size in CSS pixels, vtdata's / the minimal page's: the Kaart step {_size(vtdata, 'step_map')} / "
        f"{_size(minimal, 'step_map')}, the map click {_size(vtdata, 'map')} / {_size(minimal, 'map')}); "
        f"its first map is shown by a selectbox change, and its map click writes the region chosen. Both pay "
        f"for this machine's software WebGL, so that ratio is what vtdata adds to drawing and picking a map.",
        "",
        "| what | vtdata | minimal page | vtdata / minimal |",
        "|---|---:|---:|---:|",
    ]
    for label, ours, theirs, unit in ROWS:
        mine, floor = vtdata.get(ours, []), minimal.get(theirs, []) if theirs else []
        ratio = f"{statistics.median(mine) / statistics.median(floor):.1f}×" if mine and floor and statistics.median(floor) else "–"
        lines.append(f"| {label} | {_cell(mine, unit)} | {_cell(floor, unit)} | {ratio} |")
    return lines
