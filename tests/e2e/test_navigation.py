"""The global selection lives in the URL: choosing, sharing, reloading, switching pages, bad links, maps."""

from __future__ import annotations

import io
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.helpers import (
    GEMEENTE,
    MAP,
    PERIOD,
    assert_no_exception,
    main_text,
    open_page,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.e2e

TARGET_CODE = "GM0344"  # Utrecht
TARGET_NAME = "Utrecht"


def _params(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def _region_box(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Regio").first


def _shown_choice(box) -> str:
    """What a selectbox shows as chosen (an input's value, or its visible text)."""
    inputs = box.locator("input")
    value = inputs.first.input_value() if inputs.count() else ""
    if not value:
        value = box.inner_text().replace("Regio", "", 1)
    return value.strip()


def _choose_region(page, typed: str, option: re.Pattern) -> None:
    """Type in the sidebar's region selector and pick the option, as a user does."""
    box = _region_box(page)
    box.click()
    page.keyboard.type(typed, delay=30)
    choice = page.get_by_role("option", name=option)
    choice.first.wait_for(state="visible")
    choice.first.click()


def _wait_for_param(page, key: str, value: str) -> None:
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(window.location.search).get(k) === v", arg=[key, value], timeout=60_000
    )
    wait_rendered(page)


def test_choosing_a_region_updates_the_url_and_the_url_reproduces_the_view(page, app_url):
    open_page(page, app_url, "/", region=GEMEENTE, period=PERIOD)
    _choose_region(page, TARGET_NAME, re.compile(rf"^{TARGET_NAME} \(gemeente"))
    _wait_for_param(page, "region", TARGET_CODE)
    params = _params(page.url)
    assert params.get("region") == TARGET_CODE and params.get("period") == PERIOD, page.url
    heading = f"Het werkproces in {TARGET_NAME} (gemeente), 1e halfjaar 2023"
    page.get_by_text(heading).wait_for()
    assert "Amsterdam (gemeente)" not in main_text(page)
    cards_before = page.locator(".vt-fig").all_inner_texts()

    shared = page.url
    page.reload(wait_until="domcontentloaded")
    wait_rendered(page)
    assert _params(page.url) == params, f"reload changed the link: {shared} -> {page.url}"
    assert heading in main_text(page)
    shown = _shown_choice(_region_box(page))
    assert shown.startswith(f"{TARGET_NAME} (gemeente"), f"region selector shows {shown!r} after the reload"
    assert page.locator(".vt-fig").all_inner_texts() == cards_before

    # The same link in a new session (someone it was shared with) shows the same view.
    other = page.context.new_page()
    other.goto(shared, wait_until="domcontentloaded")
    wait_rendered(other)
    assert heading in main_text(other)
    assert other.locator(".vt-fig").all_inner_texts() == cards_before
    assert_no_exception(other)


def test_switching_pages_keeps_region_and_period(page, app_url):
    open_page(page, app_url, "/", region=TARGET_CODE, period="2022HJ02")
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').filter(has_text="Kerncijfers").click()
    page.wait_for_url(re.compile(r"/kerncijfers"), timeout=60_000)
    _wait_for_param(page, "region", TARGET_CODE)
    assert _params(page.url).get("period") == "2022HJ02", page.url
    page.get_by_text(f"Verdeling in {TARGET_NAME}, 2e halfjaar 2022").wait_for()
    assert_no_exception(page)

    # And on from a theme page to another one, then back home through the navigation.
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').filter(has_text="Overdrachten").click()
    page.wait_for_url(re.compile(r"/overdrachten"), timeout=60_000)
    _wait_for_param(page, "region", TARGET_CODE)
    assert _params(page.url).get("period") == "2022HJ02", page.url
    assert TARGET_NAME in main_text(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').filter(has_text="Handelingsprotocol").click()
    page.get_by_text(f"Het werkproces in {TARGET_NAME} (gemeente), 2e halfjaar 2022").wait_for()
    _wait_for_param(page, "region", TARGET_CODE)
    assert _params(page.url).get("period") == "2022HJ02", page.url


def test_home_step_card_links_carry_the_selection(page, app_url):
    open_page(page, app_url, "/", region=TARGET_CODE, period=PERIOD)
    card = page.locator("a.vt-step").filter(has_text="Overdracht").first
    card.click()
    page.wait_for_url(re.compile(r"/overdrachten\?"), timeout=60_000)
    wait_rendered(page)
    params = _params(page.url)
    assert params.get("region") == TARGET_CODE and params.get("period") == PERIOD, page.url
    assert TARGET_NAME in main_text(page)
    assert_no_exception(page)


@pytest.mark.parametrize(
    "path, query, expected",
    [
        ("/", {"region": "GM9999", "period": PERIOD}, r"Regio GM9999 is niet bekend; Nederland wordt getoond"),
        ("/kerncijfers", {"region": "GM9999", "period": PERIOD}, r"Regio GM9999 is niet bekend"),
        ("/", {"region": GEMEENTE, "period": "2023HJ07"}, r"Periode 2023HJ07 is geen geldige periode"),
        ("/veiligheid", {"region": GEMEENTE, "period": "1999HJ01"}, r"Periode 1999HJ01 is niet beschikbaar"),
        ("/", {"region": "<script>alert(1)</script>", "period": PERIOD}, r"De regio in de link is niet bekend"),
    ],
    ids=["home-region", "theme-region", "home-period-syntax", "theme-period-unknown", "home-region-markup"],
)
def test_bad_link_shows_a_dutch_message_not_an_exception(page, app_url, path, query, expected):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, app_url, path, **query)
    if query["region"] == "GM9999" and path == "/":
        screenshot(page, "bad-link-home-GM9999")
    assert_no_exception(page)
    text = main_text(page)
    assert re.search(expected, text), f"no Dutch message {expected!r} on {page.url}:\n{text[:800]}"
    assert "<script>" not in text and not dialogs
    # The page still works: its title and the fallback selection are shown.
    assert page.locator('[data-testid="stMain"] h1').count() >= 1
    if "region" in expected.lower() and "GM9999" in query["region"]:
        assert "Nederland" in text


def _drawn_pixels(png: bytes) -> tuple[int, float]:
    """(distinct colours, share of pixels not equal to the most common colour)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((image.width // 2, image.height // 2))
    colours = image.getcolors(maxcolors=1 << 20) or []
    total = image.width * image.height
    background = max(count for count, _ in colours)
    return len(colours), 1 - background / total


def test_map_is_drawn_on_a_theme_page(page, app_url):
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD, weergave="Kaart")
    chart = page.locator(MAP).first
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    canvas.wait_for(state="attached")
    # deck.gl sizes its canvas to the container and draws with WebGL (SwiftShader here).
    page.wait_for_function(
        """(el) => el && el.width > 300 && el.height > 150""", arg=canvas.element_handle(), timeout=60_000
    )
    has_webgl = page.evaluate(
        "() => { const c = document.createElement('canvas'); return !!(c.getContext('webgl2') || c.getContext('webgl')); }"
    )
    assert has_webgl, "no WebGL in this chromium: maps cannot be drawn"
    # the polygons are drawn some frames after the canvas is sized: look until they are there
    deadline = time.monotonic() + 60
    while True:
        colours, drawn = _drawn_pixels(canvas.screenshot())
        if (colours >= 5 and drawn > 0.10) or time.monotonic() > deadline:
            break
    screenshot(page, "veiligheid-map-gemeente")
    assert colours >= 5 and drawn > 0.10, f"map canvas looks empty: {colours} colours, {drawn:.0%} drawn"
    assert_no_exception(page)
    assert not page.page_errors, page.page_errors
