"""Fully offline: no request leaves the app's own server, and every icon is drawn locally.

The context of the `cold_page` fixture aborts requests outside the app (so a test never
reaches the internet); here every request is also recorded, so one that *would*
have left localhost fails the test instead of going unnoticed. That context is fresh (an
empty HTTP cache), so every request the pages make goes out and is seen.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import GEMEENTE, PAGES, PERIOD, assert_no_exception, open_page, wait_rendered

pytestmark = pytest.mark.e2e

LOCAL = ("data:", "blob:")

# Material icons are ligatures of Streamlit's bundled font: a known icon is one
# glyph about 1 em wide; an icon the font lacks shows its name as text.
_ICON_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stIconMaterial"]')].map(e => {
    const r = e.getBoundingClientRect();
    return {name: e.textContent, width: r.width, em: parseFloat(getComputedStyle(e).fontSize)};
}).filter(i => i.width > 0)"""


def _outside(requests: list[str], origin: str) -> list[str]:
    return [url for url in requests if not url.startswith(origin) and not url.startswith(LOCAL)]


def test_no_request_leaves_localhost_on_any_page(cold_page, app_url):
    page = cold_page
    origin = app_url.rstrip("/")
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    drawn: dict[str, float] = {}
    for path in PAGES:
        open_page(page, app_url, path, region=GEMEENTE, period=PERIOD)
        assert_no_exception(page)
        for icon in page.evaluate(_ICON_WIDTHS):
            drawn[icon["name"]] = max(drawn.get(icon["name"], 0), icon["width"] / icon["em"])
    # the other tab of a theme page, and a table expander, load more elements
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD, weergave="Categorieën vergelijken")
    table = page.locator('[data-testid="stExpander"]').filter(has=page.get_by_text("Tabel", exact=True)).first
    table.get_by_text("Tabel", exact=True).click()
    table.locator('[data-testid="stDataFrame"]').wait_for()  # opening it reruns the page to draw the table
    wait_rendered(page)
    assert requests, "no requests recorded"
    assert not _outside(requests, origin), _outside(requests, origin)
    favicon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\")?.href || ''")
    assert favicon.startswith(origin) or favicon.startswith(LOCAL), favicon
    assert drawn, "no material icons found on the pages"
    as_text = {name: round(width, 1) for name, width in drawn.items() if width > 1.6}
    assert not as_text, f"icons not in Streamlit's bundled font (drawn as text): {as_text}"
