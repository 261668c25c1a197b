"""Fully offline: no request leaves the app's own server, and every icon is drawn locally.

The browser contexts of the tests abort requests outside the app (so a test never reaches
the internet); their requests are also recorded, so one that *would* have left localhost
fails the test instead of going unnoticed. `test_pages.test_page_opens` checks this on every
page for three regions; here a view with more elements is opened in a fresh context (an
empty HTTP cache), so every request it makes, Streamlit's own bundles included, goes out
and is seen.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import GEMEENTE, PERIOD, assert_no_exception, assert_offline, icon_widths, open_page, wait_rendered

pytestmark = pytest.mark.e2e


def test_no_request_leaves_localhost_with_an_empty_cache(cold_page, app_url):
    page = cold_page
    # the other tab of a theme page, and a table expander, load more elements
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD, weergave="Categorieën vergelijken")
    assert_no_exception(page)
    table = page.locator('[data-testid="stExpander"]').filter(has=page.get_by_text("Tabel", exact=True)).first
    table.get_by_text("Tabel", exact=True).click()
    table.locator('[data-testid="stDataFrame"]').wait_for()  # opening it reruns the page to draw the table
    wait_rendered(page)
    assert_no_exception(page)
    assert icon_widths(page), "no material icons found on the page"
    assert_offline(page, app_url)
