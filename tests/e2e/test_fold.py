"""Above the fold at 1280x720 (issue 19): a theme page shows its headline table and the tab bar
without scrolling, and a tab click keeps its result in view."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import GEMEENTE, PERIOD, VT_REGION, assert_no_exception, open_page, wait_rendered
from vtdata.model.catalog import THEMES

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 1280, 720
# uitkomsten-onderzoek is published per Veilig Thuis-regio only
REGION = {"uitkomsten-onderzoek": VT_REGION}

_BOX = """(s) => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }"""


def _inside(page, selector: str) -> None:
    box = page.evaluate(_BOX, selector)
    assert box is not None, f"{selector} missing on {page.url}"
    top, bottom = box
    assert 0 <= top and bottom <= HEIGHT, f"{selector} at y {top:.0f}-{bottom:.0f}, outside 0-{HEIGHT} on {page.url}"


@pytest.mark.parametrize("slug", [t.slug for t in THEMES])
def test_headline_and_tabs_above_the_fold(page, app_url, slug):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    open_page(page, app_url, f"/{slug}", region=REGION.get(slug, GEMEENTE), period=PERIOD)
    assert_no_exception(page)
    _inside(page, ".vt-head")
    _inside(page, '[data-testid="stTabs"] [role="tablist"]')
    # the start of the chosen view: its first line below the tab bar
    tabs_bottom = page.evaluate(_BOX, '[data-testid="stTabs"] [role="tablist"]')[1]
    assert tabs_bottom + 60 <= HEIGHT, f"no room for the view under the tabs ({tabs_bottom:.0f}) on {slug}"


def test_a_tab_click_keeps_its_result_in_view(page, app_url):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD)
    page.get_by_role("tab", name="Ranglijst").click()
    wait_rendered(page)
    panel = page.locator('[role="tabpanel"]:visible').first
    top = panel.bounding_box()["y"]
    assert 0 <= top <= HEIGHT - 100, f"the Ranglijst tab's content starts at y {top:.0f}"
    assert page.get_by_role("tab", name="Ranglijst", selected=True).is_visible()
