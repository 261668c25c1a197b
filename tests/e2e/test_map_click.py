"""Clicking a region on the map selects it, and so changes the shareable link."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.helpers import open_page, screenshot

pytestmark = pytest.mark.e2e

MAP = '[data-testid="stDeckGlJsonChart"]'


def test_clicking_a_region_on_the_map_selects_it(page, app_url):
    open_page(page, app_url, "/veiligheid", region="VT01", period="2023JJ00", niveau="VT")
    chart = page.locator(MAP).first
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(f"{MAP} canvas")
    # deck.gl draws, and builds its picking buffer, some time after the canvas appears;
    # on a loaded machine that takes a while, so click again as a person would.
    for _attempt in range(5):
        time.sleep(3)
        chart.scroll_into_view_if_needed()  # charts above may still have changed height
        box = chart.bounding_box()
        # The middle of the country lies in Utrecht (VT20), not in Amsterdam-Amstelland (VT01).
        x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
        page.mouse.move(x, y)  # deck.gl picks on hover first, as a person's pointer does
        time.sleep(1)
        page.mouse.click(x, y)
        deadline = time.monotonic() + 15
        while "region=VT01" in page.evaluate("location.href") and time.monotonic() < deadline:
            time.sleep(0.5)
        if "region=VT01" not in page.evaluate("location.href"):
            break
    href = page.evaluate("location.href")
    screenshot(page, "map-click-selects-region")
    query = parse_qs(urlparse(href).query)
    assert query.get("region") == ["VT20"], href
    assert query.get("period") == ["2023JJ00"], href  # the click changed the region only
    # and the region selector now shows that region
    region_box = page.locator('[data-testid="stSidebar"] input[aria-label="Regio"]')
    assert region_box.input_value() == "Utrecht (Veilig Thuis-regio)"
