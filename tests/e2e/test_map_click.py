"""Clicking a region on the map selects it, and so changes the shareable link."""

from __future__ import annotations

import io
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import MAP, RENDER_TIMEOUT_MS, open_page, screenshot, wait_rendered

pytestmark = pytest.mark.e2e

# deck.gl shows its tooltip once a hover picks a region: its picking buffer is ready then.
TOOLTIP = ".deck-tooltip"


def _middle(chart) -> tuple[float, float]:
    """The middle of the map: it lies in Utrecht (VT20), not in Amsterdam-Amstelland (VT01)."""
    chart.scroll_into_view_if_needed()  # charts above may still have changed height
    box = chart.bounding_box()
    return box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5


def hover_until_picked(page, chart) -> None:
    """Hover the middle of the map until deck.gl's tooltip names the region there.

    deck.gl builds its picking buffer some time after the canvas appears (long on
    a loaded machine) and picks only on pointer moves, so the pointer keeps
    moving, as a person's would, until the tooltip shows.
    """
    tooltip = page.locator(TOOLTIP)
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    step = 0
    while True:
        x, y = _middle(chart)
        page.mouse.move(x + step % 2, y)  # a real move each time: deck.gl ignores a pointer that stays put
        try:
            expect(tooltip).to_contain_text("Utrecht", timeout=1_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        step += 1


def click_until_selected(page, chart, url: re.Pattern) -> None:
    """Hover until deck.gl picks the region, click, and wait for the link to name it; on a loaded
    machine deck.gl can drop a click (its picking buffer redrawn after the page moved), so a person
    would click again: so does this, until RENDER_TIMEOUT_MS has passed."""
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while True:
        hover_until_picked(page, chart)
        page.mouse.click(*_middle(chart))
        try:
            expect(page).to_have_url(url, timeout=15_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def _map_image(page):
    """The map as an image, the pointer away from it (no tooltip, no hover highlight)."""
    from PIL import Image

    page.mouse.move(1, 1)
    chart = page.locator(MAP).first
    chart.scroll_into_view_if_needed()
    wait_rendered(page)
    return Image.open(io.BytesIO(chart.screenshot())).convert("L")


def test_clicking_a_region_on_the_map_selects_it(page, app_url):
    open_page(page, app_url, "/veiligheid", region="VT01", period="2023JJ00", niveau="VT", weergave="Kaart")
    chart = page.locator(MAP).first
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(f"{MAP} canvas")
    page.evaluate(f"document.querySelector('{MAP} canvas').dataset.vtBefore = '1'")
    click_until_selected(page, chart, re.compile(r"[?&]region=VT20(&|$)"))
    wait_rendered(page)
    # the same deck.gl canvas: a new widget would rebuild deck.gl and its WebGL context (seconds)
    assert page.evaluate(f"document.querySelector('{MAP} canvas')?.dataset.vtBefore") == "1"
    # and not faded by the frontend's selection: the map as a fresh page of the new region draws it
    after = _map_image(page)
    fresh = page.context.new_page()
    open_page(fresh, app_url, "/veiligheid", region="VT20", period="2023JJ00", niveau="VT", weergave="Kaart")
    fresh.wait_for_selector(f"{MAP} canvas")
    expected = _map_image(fresh)
    fresh.close()
    from PIL import ImageChops

    assert after.size == expected.size
    differing = sum(ImageChops.difference(after, expected).histogram()[41:])
    assert differing < 0.02 * after.size[0] * after.size[1], differing
    href = page.evaluate("location.href")
    screenshot(page, "map-click-selects-region")
    query = parse_qs(urlparse(href).query)
    assert query.get("region") == ["VT20"], href
    assert query.get("period") == ["2023JJ00"], href  # the click changed the region only
    # and the region selector now shows that region
    region_box = page.locator('[data-testid="stSidebar"] input[aria-label="Regio"]')
    assert region_box.input_value() == "Utrecht (Veilig Thuis-regio)"
