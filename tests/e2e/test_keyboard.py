"""A keyboard-only walk through a theme page at 1280x720: region, period, tab and presentation step.

Nothing is clicked: focus moves with Tab / Shift+Tab, choices are made by typing,
the arrow keys, Enter and Space, and every focused control must show that it has focus.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.helpers import GEMEENTE, PERIOD, RENDER_TIMEOUT_MS, assert_no_exception, open_page, wait_rendered

pytestmark = pytest.mark.e2e

THEME = "/duur-geweld"
MAX_TABS = 60

# Is the focused control (or its frame, up to six levels up) marked: an outline, a focus
# ring (box-shadow) or the primary colour on its border?
_FOCUS_SHOWN = """() => {
    let e = document.activeElement;
    for (let i = 0; e && i < 7; i++, e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return true;
        if (s.boxShadow && s.boxShadow !== 'none') return true;
        if (i > 0 && s.borderColor === 'rgb(138, 26, 75)') return true;
    }
    return false;
}"""


_FOCUSED = """() => { const e = document.activeElement;
    return e.tagName === 'BODY' ? 'BODY' : `${e.tagName} ${e.getAttribute('aria-label') || ''} ${(e.innerText || '').slice(0, 40)}`; }"""


def _params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _focus(page, selector: str, *, backwards: bool = False) -> None:
    """Tab (or Shift+Tab) until the focused element matches `selector`; it must show its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        focused = page.evaluate(_FOCUSED)
        if focused != "BODY":  # every stop on the way shows its focus too
            assert page.evaluate(_FOCUS_SHOWN), f"{focused} has focus but shows no focus mark"
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} not reached with {MAX_TABS} x {key}")


def _wait_for(page, key: str, value: str | None = None, *, changed_from: str | None = None) -> None:
    page.wait_for_function(
        """([k, v, old]) => {
            const now = new URLSearchParams(window.location.search).get(k);
            return v !== null ? now === v : (now !== null && now !== old);
        }""",
        arg=[key, value, changed_from],
    )
    wait_rendered(page)
    assert_no_exception(page)


def _open_tab(page, name: str, key: str = "ArrowRight", steps: int = 1) -> None:
    """From the open tab: `key` (ArrowRight or ArrowLeft) `steps` times, to `name`; Enter opens it.

    On a loaded machine the tab list drawn by a rerun still under way can put the focus back on
    the open tab after the arrow moved it: then the arrows are pressed again from there, as a
    person would."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        if not page.evaluate("() => document.activeElement.matches('[role=\"tab\"][aria-selected=\"true\"]')"):
            _focus(page, '[role="tab"][aria-selected="true"]')
        for _ in range(steps):
            page.keyboard.press(key)
        try:
            page.wait_for_function("(n) => document.activeElement.innerText.trim() === n", arg=name, timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.keyboard.press("Enter")
    page.get_by_role("tab", name=name, selected=True).wait_for()
    page.wait_for_function(
        "(n) => new URLSearchParams(window.location.search).get('weergave') === n", arg=name
    )
    wait_rendered(page)
    assert_no_exception(page)


def test_region_period_tab_and_step_with_the_keyboard_only(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_url, THEME, region=GEMEENTE, period=PERIOD)

    # Region: type in the selector and take the first match with Enter.
    _focus(page, 'input[aria-label="Regio"]')
    page.keyboard.type("Utrecht (gemeente", delay=20)
    page.get_by_role("option", name="Utrecht (gemeente)").first.wait_for()
    page.keyboard.press("Enter")
    _wait_for(page, "region", "GM0344")
    page.locator(".vt-head th", has_text="Utrecht").first.wait_for()

    # Period: open the list with the arrow keys, step one down, Enter.
    _focus(page, 'input[aria-label="Periode"]')
    page.keyboard.press("ArrowDown")
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _wait_for(page, "period", changed_from=PERIOD)
    label = page.locator('input[aria-label="Periode"]').input_value().strip()
    assert label and label in page.locator('[data-testid="stMain"]').text_content(), label
    assert _params(page)["region"] == "GM0344"

    # Tabs: Tab to the open tab, then the arrow keys and Enter. The arrows pass over the tabs with
    # a map (Kaart, Verandering: the focus moves, nothing opens); the map's own Tab stops are
    # `test_every_stop_of_a_tab_with_a_map_shows_its_focus`.
    _focus(page, '[role="tab"][aria-selected="true"]')
    for name in ("Ranglijst", "Categorieën vergelijken"):
        _open_tab(page, name, steps=2)
        # the link changes at the click, before the rerun that draws a tab opened for the first time
        page.wait_for_function(
            "() => [...document.querySelectorAll('[role=\"tabpanel\"]')].some(p => p.checkVisibility() && p.innerText.trim())",
            timeout=RENDER_TIMEOUT_MS,
        )
    _open_tab(page, "Ranglijst", key="ArrowLeft", steps=2)  # back, with the same care for the focus

    # Presentation: back up to the switch with Shift+Tab, Space turns it on.
    _focus(page, 'input[role="switch"][aria-label="Presentatiemodus"]', backwards=True)
    page.keyboard.press("Space")
    _wait_for(page, "presentatie", "1")
    page.get_by_text("1/6 · Hoofdcijfers").wait_for()

    # "Volgende" with Enter, then the arrow keys (focus outside any input); back to a step
    # without a map, so the Kaart step's map is drawn once.
    _focus(page, '[class*="st-key-vt-next-"] button')
    page.keyboard.press("Enter")
    _wait_for(page, "stap", "2")
    page.get_by_text("2/6 · Kaart").wait_for()
    page.keyboard.press("ArrowRight")
    _wait_for(page, "stap", "3")
    page.get_by_text("3/6 · Ranglijst").wait_for()
    page.keyboard.press("ArrowRight")
    _wait_for(page, "stap", "4")
    page.get_by_text("4/6 · Ontwikkeling").wait_for()
    page.keyboard.press("ArrowLeft")
    _wait_for(page, "stap", "3")
    page.get_by_text("3/6 · Ranglijst").wait_for()
    assert _params(page)["region"] == "GM0344" and _params(page)["period"] != PERIOD


# The focused element: whether Tab reached it before (marked on the element), what it is and
# where (its frame's data-testid).
_STOP = """() => {
    const e = document.activeElement;
    if (e.dataset.vtStop) return null;
    e.dataset.vtStop = '1';
    return `${e.tagName} ${(e.innerText || e.getAttribute('aria-label') || '').slice(0, 30)} in ${e.closest('[data-testid]')?.dataset.testid || ''}`;
}"""


def test_every_stop_of_a_tab_with_a_map_shows_its_focus(page, app_url, view="Verandering"):
    """Tab once round the whole page: the tab's panel and the map (deck.gl focuses an inner
    element; the Kaart tab's map is the same element) are stops too, and every stop shows
    that it has focus (WCAG 2.4.7)."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_url, THEME, region=GEMEENTE, period=PERIOD, weergave=view)
    unmarked, seen = [], []
    for _ in range(MAX_TABS * 2):
        page.keyboard.press("Tab")
        stop = page.evaluate(_STOP)
        if stop is None:  # back at a stop: once round
            break
        seen.append(stop)
        if not stop.startswith("BODY") and not page.evaluate(_FOCUS_SHOWN):
            unmarked.append(stop)
    assert any("stDeckGlJsonChart" in stop for stop in seen), f"the map is no Tab stop on {view}: {seen}"
    assert not unmarked, f"Tab stops without a focus mark on {view}: {unmarked}"
