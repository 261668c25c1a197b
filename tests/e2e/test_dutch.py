"""No English a user meets: unknown paths, chart and table toolbars."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import (
    GEMEENTE, PERIOD, RENDER_TIMEOUT_MS, assert_no_exception, main_text, open_page, url_for, wait_run_finished,
)

pytestmark = pytest.mark.e2e


def test_an_unknown_path_gets_a_dutch_page_with_the_nearest_page(page, app_url):
    open_page(page, app_url, "/kerncijfer", region=GEMEENTE, period=PERIOD)
    assert_no_exception(page)
    text = main_text(page)
    assert "Pagina niet gevonden" in text and "/kerncijfer" in text, text[:500]
    # Streamlit's own English dialog does not appear.
    assert page.get_by_text("Page not found").count() == 0
    page.get_by_role("link", name="Bedoelde u: Kerncijfers?").click()
    page.wait_for_url("**/kerncijfers?**")
    page.get_by_text("Verdeling in Amsterdam, 1e halfjaar 2023").wait_for()


def test_a_nested_unknown_path_shows_the_first_segment_s_page_with_a_dutch_notice(page, app_url):
    # Streamlit alone answers /kerncijfers/extra with a page whose scripts never load (blank).
    page.goto(f"{app_url}/kerncijfers/extra?region={GEMEENTE}&period={PERIOD}", wait_until="domcontentloaded")
    page.get_by_text("Deze app heeft geen pagina /kerncijfers/extra").wait_for(timeout=15_000)
    page.get_by_text("Verdeling in Amsterdam, 1e halfjaar 2023").wait_for()
    assert "niet_gevonden" not in page.url and "/kerncijfers?" in page.url, page.url
    assert_no_exception(page)


def test_a_nested_path_under_an_unknown_segment_gets_the_dutch_not_found_page(page, app_url):
    page.goto(f"{app_url}/a/b/c", wait_until="domcontentloaded")
    page.get_by_text("Pagina niet gevonden").wait_for(timeout=15_000)
    page.get_by_text("Deze app heeft geen pagina /a/b/c").wait_for()
    assert page.get_by_text("Page not found").count() == 0


def test_charts_and_tables_show_no_english_toolbar(page, app_url):
    open_page(page, app_url, "/kerncijfers", region=GEMEENTE, period=PERIOD)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.hover()
    page.get_by_text("Tabel", exact=True).first.click()
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    table.hover()
    for english in ("Show data", "Fullscreen", "Download as CSV", "Search", "Copy Vega-Lite spec"):
        shown = [b for b in page.get_by_role("button", name=english).all() if b.is_visible()]
        assert not shown, f"English toolbar button {english!r} visible"
    assert page.locator('[data-testid="stElementToolbar"]:visible').count() == 0


def test_a_search_without_matches_says_geen_resultaten(page, app_url):
    open_page(page, app_url, "/colofon", region=GEMEENTE, period=PERIOD)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type("qqqzzz")
    empty = page.locator('[data-testid="stSelectboxVirtualDropdown"] [role="option"]:not([data-key]) > span')
    empty.wait_for()
    shown = empty.evaluate("e => getComputedStyle(e, '::after').content")
    assert shown == '"Geen resultaten"', shown


ENGLISH_NAMES = """() => [...document.querySelectorAll('[aria-label], [placeholder]')]
    .filter(e => e.checkVisibility({visibilityProperty: true}))
    .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder')])
    .filter(n => n && /^(Open|Clear all|Selected values|Remove .*|Link to heading|Choose an option|Choose options)$/.test(n))"""


def test_a_screen_reader_hears_a_dutch_page_with_dutch_controls(page, app_url):
    # Streamlit serves lang="en", a "Skip to main content" link (CSS alone left its name English),
    # names a selectbox's button "Open", a multiselect's "Clear all", each chosen item "Remove ..."
    # and a heading's anchor "Link to heading"; its placeholders are "Choose an option" / "Choose options".
    open_page(page, app_url, "/overdrachten", region=GEMEENTE, period=PERIOD, weergave="Ranglijst", extra="GM0014")
    page.get_by_role("button", name="Groningen (gemeente) verwijderen").wait_for()
    assert page.evaluate(ENGLISH_NAMES) == []
    assert page.locator('[aria-label="Openen"]').count() >= 2  # the sidebar's Regio and Periode at least
    _assert_dutch_page(page)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Kerncijfers").click()
    page.wait_for_url("**/kerncijfers?**")
    _assert_dutch_page(page)  # after moving to another page too


def _assert_dutch_page(page) -> None:
    page.wait_for_function("document.documentElement.lang === 'nl'")
    assert page.get_by_role("link", name="Naar de inhoud", exact=True).count() == 1
    assert page.get_by_role("link", name="Skip to main content").count() == 0


def test_a_lost_connection_is_told_in_dutch(page, app_url):
    """Streamlit's own connection-error dialog (its text and its close button), shown when the
    server cannot be reached, speaks Dutch; it goes away by itself once the server answers again."""
    sockets = []

    def through(ws) -> None:  # the page's websocket, passed on to the server until the test drops it
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket("**/_stcore/stream", through)
    open_page(page, app_url, "/kerncijfers", region=GEMEENTE, period=PERIOD)
    unreachable = ("**/_stcore/health", "**/_stcore/host-config")
    for path in unreachable:  # Streamlit pings these before it connects again
        page.route(path, lambda route: route.abort())
    for ws in sockets:
        ws.close()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Geen verbinding met de server").wait_for()
    text = dialog.inner_text()
    assert "De server reageert niet" in text, text
    assert not re.search(r"Connection|Streamlit|internet\?", text), text
    assert dialog.get_by_role("button", name="Sluiten").count() == 1
    for path in unreachable:
        page.unroute(path)
    dialog.wait_for(state="detached")


def test_an_embedded_app_is_dutch_and_steps_with_the_arrow_keys(page, app_url):
    """Streamlit Community Cloud shows the app inside a page of its own (an iframe, same origin). The
    app's scripts work on the app's document: before, they worked on the embedding page's, so
    the app stayed English to screen readers and the arrow keys did not step."""
    embedding = f"{app_url}/ingebed.html"
    app = url_for(app_url, "/overdrachten", region=GEMEENTE, period=PERIOD, presentatie="1")
    page.route(embedding, lambda route: route.fulfill(
        content_type="text/html",
        body=f'<!doctype html><html lang="en"><body><iframe title="vtdata" src="{app}" width="1280" height="720"></iframe></body></html>',
    ))
    page.goto(embedding)
    frame = page.frame_locator("iframe")
    frame.get_by_text("1/6 · Hoofdcijfers").wait_for(timeout=RENDER_TIMEOUT_MS)
    inner = next(f for f in page.frames if "/overdrachten" in f.url)
    inner.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=RENDER_TIMEOUT_MS)
    assert page.evaluate("document.documentElement.lang") == "en"  # the embedding page is left alone
    # the step keys are another st.html than the Dutch texts, and may be mounted a little later
    wait_run_finished(inner)
    inner.wait_for_function("() => document.__vtPresentationKeys === true", timeout=RENDER_TIMEOUT_MS)
    frame.get_by_text("1/6 · Hoofdcijfers").click()  # the focus in the app, outside any input
    page.keyboard.press("ArrowRight")
    frame.get_by_text("2/6 · Kaart").wait_for(timeout=RENDER_TIMEOUT_MS)
