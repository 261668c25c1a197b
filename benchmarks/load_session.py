"""One simulated user of bench_capacity: a browser context that opens a theme page and clicks through the app.

Not a benchmark itself (run_all only runs bench_*.py). Uses Playwright's async
API, so that one Python thread drives many sessions at once in one chromium.
A click is timed as in `browser_floor.timed_rerun`: from the click until the
rerun it starts has finished and every element has drawn.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from benchmarks.browser_floor import (
    FINISHED, HEADLINE, MARK_WEBGL_DRAWS, RERUN_STARTS_MS, VIEWPORT, VISIT_TIMES, VISIT_WATCHED, WAIT_MS, WATCH_RERUN, _sidebar_box, ms_since,
    watch_visit,
)
from tests.e2e.helpers import PAGES, url_for

# What the sessions switch between: (typed in the selector, code in the link); gemeenten with data on every theme page.
REGIONS = (
    ("Amsterdam", "GM0363"), ("Utrecht", "GM0344"), ("Rotterdam", "GM0599"),
    ("Eindhoven", "GM0772"), ("Groningen", "GM0014"),
)
PERIODS = (
    ("1e halfjaar 2023", "2023HJ01"), ("2e halfjaar 2023", "2023HJ02"),
    ("2023", "2023JJ00"), ("2e halfjaar 2022", "2022HJ02"),
)
TABS = ("Ranglijst", "Kaart", "Verandering", "Overzicht per categorie")
SCRIPT = ("region", "period", "tab", "page")  # one round of clicks, repeated
NAV_LINK = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
EXCEPTION = '[data-testid="stException"]'


def param_is(key: str, value: str) -> str:
    """JavaScript: true once the link carries `key=value` (the server's answer to a change)."""
    return f"new URLSearchParams(location.search).get({json.dumps(key)}) === {json.dumps(value)}"


async def timed_rerun(page, act, result_js: str, start_ms: float = WAIT_MS, took_effect=None) -> float:
    """ms from `await act()` until the rerun it starts has finished (see browser_floor.timed_rerun).

    The rerun has started when the script state changed or `result_js` holds;
    if neither within `start_ms`, the click counts only when `await took_effect()`.
    """
    await page.evaluate("window.vtRerun = false")
    start = time.perf_counter()
    await act()
    try:
        await page.wait_for_function(f"() => window.vtRerun || ({result_js})", timeout=start_ms, polling="raf")
    except PlaywrightTimeout:
        if took_effect is None or not await took_effect():
            raise
    await page.wait_for_function(FINISHED, timeout=WAIT_MS, polling="raf")
    return ms_since(start)


@dataclass
class Click:
    kind: str
    ms: float | None  # None: it failed
    error: str = ""


@dataclass
class Session:
    """A user on `pages` (theme URL paths), starting at page, region and period number `number` of their lists."""

    number: int
    browser: object
    base: str
    pages: list[str]
    think_s: float
    clicks: list[Click] = field(default_factory=list)
    visit_ms: float | None = None

    def __post_init__(self):
        self.rng = random.Random(self.number)  # the same pauses in every run
        self.at = {"page": self.number % len(self.pages), "region": self.number % len(REGIONS),
                   "period": self.number % len(PERIODS), "tab": 0}
        self.context = self.page = None

    def url(self) -> str:
        return url_for(self.base, self.pages[self.at["page"]], region=REGIONS[self.at["region"]][1],
                       period=PERIODS[self.at["period"]][1])

    def _next(self, what: str, length: int) -> int:
        self.at[what] = (self.at[what] + 1) % length
        return self.at[what]

    async def open(self) -> None:
        """A new browser context on the session's first page: its time until drawn and the run finished."""
        self.context = await self.browser.new_context(viewport=VIEWPORT, locale="nl-NL")
        await self.context.add_init_script(MARK_WEBGL_DRAWS)
        await self.context.add_init_script(watch_visit(HEADLINE))
        self.page = await self.context.new_page()
        start = time.time() * 1000  # the page's clock is the epoch's too
        await self._load()
        _, finished_at = await self.page.evaluate(VISIT_TIMES)
        self.visit_ms = finished_at - start

    async def _load(self) -> None:
        """Load the session's page until its run has finished and drawn (on the page's clock: `WATCH_VISIT`)."""
        await self.page.goto(self.url(), wait_until="commit", timeout=WAIT_MS)
        await self.page.wait_for_function(VISIT_WATCHED, timeout=WAIT_MS, polling="raf")
        await self.page.evaluate(WATCH_RERUN)

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()

    async def click_until(self, end: float) -> None:
        """The click script, round after round, until `end` (time.monotonic); a pause of about `think_s` after each."""
        await asyncio.sleep(self.rng.uniform(0, self.think_s))  # the sessions do not click in step
        actions = {
            "region": self.change_region, "period": self.change_period,
            "tab": self.switch_tab, "page": self.switch_page,
        }
        step = 0
        while time.monotonic() < end:
            kind = SCRIPT[step % len(SCRIPT)]
            step += 1
            try:
                took = await actions[kind]()
                if await self.page.locator(EXCEPTION).count():
                    raise PlaywrightError("exception on the page")
                self.clicks.append(Click(kind, took))
            except PlaywrightError as exc:
                self.clicks.append(Click(kind, None, str(exc).splitlines()[0][:200]))
                try:  # as a user would: reload the page, then go on
                    await self._load()
                except PlaywrightError:
                    return
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think_s)

    async def _choose(self, label: str, typed: str, option: re.Pattern, key: str, code: str) -> float:
        box = _sidebar_box(self.page, label)
        await box.click()
        await self.page.keyboard.type(typed)
        choice = self.page.get_by_role("option", name=option).first
        await choice.wait_for(state="visible", timeout=WAIT_MS)
        return await timed_rerun(self.page, choice.click, param_is(key, code))

    async def change_region(self) -> float:
        name, code = REGIONS[self._next("region", len(REGIONS))]
        return await self._choose("Regio", name, re.compile(rf"^{re.escape(name)} \(gemeente"), "region", code)

    async def change_period(self) -> float:
        label, code = PERIODS[self._next("period", len(PERIODS))]
        return await self._choose("Periode", label, re.compile(rf"^{re.escape(label)}$"), "period", code)

    async def switch_tab(self) -> float:
        """To the next tab in TABS that is not the one shown."""
        for _ in TABS:
            tab = self.page.get_by_role("tab", name=TABS[self._next("tab", len(TABS))], exact=True)
            if await tab.get_attribute("aria-selected", timeout=WAIT_MS) != "true":
                break

        async def selected() -> bool:
            return await tab.get_attribute("aria-selected") == "true"

        # a tab's rerun can be quick enough to escape the observer: then it counts once the tab shows
        return await timed_rerun(self.page, tab.click, "false", RERUN_STARTS_MS, selected)

    async def switch_page(self) -> float:
        """To the next theme page through the sidebar's navigation (region and period stay)."""
        path = self.pages[self._next("page", len(self.pages))]
        link = self.page.locator(NAV_LINK).filter(has_text=PAGES[path]).first
        return await timed_rerun(self.page, link.click, "false")
