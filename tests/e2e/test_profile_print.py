"""The region profile prints to A4 in a real browser: the app page and the downloaded HTML."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import GEMEENTE, PERIOD, SCREENSHOTS, assert_no_exception, main_text, open_page, screenshot

pytestmark = pytest.mark.e2e

A4_MEDIABOX = re.compile(rb"/MediaBox \[0 0 59[45](?:\.\d+)? 84[12](?:\.\d+)?\]")


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_profile_page_prints_to_a4_without_the_app_chrome(page, app_url):
    open_page(page, app_url, "/regioprofiel", region=GEMEENTE, period=PERIOD)
    assert_no_exception(page)
    text = main_text(page)
    assert "Regioprofiel Amsterdam" in text and "Kerncijfers" in text
    assert "Download als PDF" in text
    screenshot(page, "regioprofiel")

    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['[data-testid="stSidebar"]', '[data-testid="stDownloadButton"]', '[data-testid="stHeader"]']
            .map(s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none'))"""
    )
    assert all(hidden), hidden
    assert page.locator(".vtp h1").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF-")
    assert A4_MEDIABOX.search(pdf)
    assert 1 <= _pages(pdf) <= 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # screenshot() makes it only when screenshots are asked for
    (SCREENSHOTS / "regioprofiel-app.pdf").write_bytes(pdf)
    assert not page.page_errors, page.page_errors


def test_downloaded_html_prints_to_two_a4_pages_at_most(browser, db):
    from vtdata.outputs.profile import build_profile, profile_html

    html = profile_html(build_profile(db, GEMEENTE, PERIOD))
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_content(html, wait_until="load")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    assert pdf.startswith(b"%PDF-") and A4_MEDIABOX.search(pdf)
    assert 1 <= _pages(pdf) <= 2
    assert not errors
    assert not [url for url in requests if not url.startswith(("about:", "data:"))], requests  # self-contained
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "regioprofiel.pdf").write_bytes(pdf)
