"""Fully offline: no request leaves the app's own server, and every icon is drawn locally.

The tests' browser fails every request that would leave the machine (so a test never reaches
the internet); the requests are also recorded, so one that *would* have left the app fails
the test instead of going unnoticed. `test_pages.test_page_opens` checks this on every
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


def test_a_first_visit_loads_no_map_code_and_no_extra_fonts(cold_page, app_url):
    """The overview a theme page opens on needs neither deck.gl (3 MB of JavaScript, loaded when the
    "Kaart" tab opens) nor an italic or monospace font; the Kaart tab then loads deck.gl."""
    page = cold_page
    open_page(page, app_url, "/overdrachten", region=GEMEENTE, period=PERIOD)
    assert_no_exception(page)
    heavy = [u for u in page.requests if any(name in u for name in ("DeckGlJsonChart", "SourceSansVF-Italic", "SourceCodeVF"))]
    assert not heavy, heavy
    page.get_by_role("tab", name="Kaart", exact=True).click()
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for()
    assert any("DeckGlJsonChart" in u for u in page.requests)
