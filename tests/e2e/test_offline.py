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

from tests.e2e.helpers import (
    GEMEENTE, MAP, PERIOD, RENDER_TIMEOUT_MS, assert_no_exception, assert_offline, icon_widths, open_page, wait_rendered,
)
from vtdata.ui import element_code

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
    """The overview a theme page opens on needs neither deck.gl (3 MB of JavaScript) nor an italic or
    monospace font. The pointer on a tab with a map ("Verandering") loads deck.gl before the click
    (`vtdata.ui.element_code`); the Kaart tab then draws the map."""
    page = cold_page
    open_page(page, app_url, "/overdrachten", region=GEMEENTE, period=PERIOD)
    assert_no_exception(page)
    page.get_by_role("tab", name="Ranglijst", exact=True).hover()  # a tab without a map loads nothing
    heavy = [u for u in page.requests if any(name in u for name in ("DeckGlJsonChart", "SourceSansVF-Italic", "SourceCodeVF"))]
    assert not heavy, heavy
    page.get_by_role("tab", name="Verandering", exact=True).hover()
    _wait_for_code(page, element_code.MAP_CHUNKS)
    assert not page.locator(MAP).count()  # loaded, nothing drawn yet
    page.get_by_role("tab", name="Kaart", exact=True).click()
    page.locator(f"{MAP} canvas").first.wait_for()
    assert_no_exception(page)


def _wait_for_code(page, patterns: tuple[str, ...]) -> None:
    """Until the page has fetched every chunk of `patterns` (`element_code.MAP_CHUNKS`, `CHART_CHUNKS`)."""
    names = element_code.chunk_names(patterns)
    assert names, f"Streamlit's chunks {patterns} were not found: vtdata.ui.element_code needs updating"
    page.wait_for_function(
        "(names) => names.every(n => performance.getEntriesByType('resource').some(e => e.name.endsWith('/' + n)))",
        arg=list(names), timeout=RENDER_TIMEOUT_MS,
    )


def test_presentation_mode_loads_the_map_and_chart_code_before_their_steps(cold_page, app_url):
    """On a projector the steps after the headline are a map and a chart, and the first step draws
    neither: their code is loaded while it shows."""
    page = cold_page
    open_page(page, app_url, "/overdrachten", region=GEMEENTE, period=PERIOD, presentatie="1")
    _wait_for_code(page, element_code.MAP_CHUNKS)
    _wait_for_code(page, element_code.CHART_CHUNKS)
    assert page.get_by_text("1/6 · Hoofdcijfers").is_visible()
    assert not page.locator('[data-testid="stVegaLiteChart"]').count()  # loaded, nothing drawn yet
    assert_no_exception(page)
