"""Above the fold at 1280x720 (issue 19): a tab click keeps its result in view.

That every theme page opens with its headline table and the tab bar in view is checked by
`test_pages.test_page_opens` on the load it makes of that page at this size
(`helpers.assert_above_the_fold`; one page load for both).
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import FOLD_VIEWPORT, GEMEENTE, PERIOD, open_page, wait_rendered

pytestmark = pytest.mark.e2e


def test_a_tab_click_keeps_its_result_in_view(page, app_url):
    page.set_viewport_size(FOLD_VIEWPORT)
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD)
    page.get_by_role("tab", name="Ranglijst").click()
    wait_rendered(page)
    panel = page.locator('[role="tabpanel"]:visible').first
    top = panel.bounding_box()["y"]
    assert 0 <= top <= FOLD_VIEWPORT["height"] - 100, f"the Ranglijst tab's content starts at y {top:.0f}"
    assert page.get_by_role("tab", name="Ranglijst", selected=True).is_visible()
