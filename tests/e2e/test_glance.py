"""Answers at a glance on a projector (1280x720): the headline figures without scrolling,
and presentation mode with every step on one screen, large type and the step in the link."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import GEMEENTE, MAP, PERIOD, assert_no_exception, open_page, screenshot, wait_rendered
from vtdata.format import format_value

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1280, "height": 720}


def _measure_key(db, title: str) -> str:
    m = db.measures("84847NED")
    return str(m.loc[m["title"] == title, "key"].iloc[0])


def _expected(db, region: str, key: str) -> str:
    obs = db.observations("84847NED", regions=[region], periods=[PERIOD], measures=[key])
    row = obs.iloc[0]
    return format_value(row["value"], row["unit"], int(row["decimals"] or 0), suppressed=bool(row["suppressed"]))


def test_headline_meldingen_of_gemeente_region_and_country_visible_without_scrolling(page, app_url, demo_db):
    from vtdata.storage.queries import open_database

    db = open_database(demo_db)
    vt = db.vt_region_of(GEMEENTE, 2023)
    page.set_viewport_size(PROJECTOR)
    open_page(page, app_url, "/kerncijfers", region=GEMEENTE, period=PERIOD)
    assert_no_exception(page)
    screenshot(page, "glance-kerncijfers-1280x720")
    row = page.locator("table.vt-head tr", has_text="Ontvangen meldingen").first
    cells = row.locator("td")
    assert cells.count() == 4  # the topic, the gemeente, its VT-regio, Nederland
    key = _measure_key(db, "Ontvangen meldingen")
    for i, region in enumerate([GEMEENTE, vt, "NL01"], start=1):
        cell = cells.nth(i)
        box = cell.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], (region, box)
        assert cell.locator(".vt-n").inner_text().strip() == _expected(db, region, key)


def _fits(page, locator) -> None:
    locator.first.wait_for(state="visible")
    box = locator.first.bounding_box()
    assert box, "not drawn"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"] + 1, box


def test_presentation_mode_steps_fit_a_projector(page, app_url):
    page.set_viewport_size(PROJECTOR)
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD, presentatie="1")
    assert_no_exception(page)
    # the sidebar is collapsed and the title is large
    sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert sidebar["x"] + sidebar["width"] <= 0, sidebar  # collapsed: off the screen
    title_px = page.locator('[data-testid="stMain"] h2').first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_px >= 18
    _fits(page, page.locator("table.vt-head"))
    page.get_by_role("button", name="Volgende").click()
    # the click starts a rerun: wait for its result, not just for an idle app
    page.wait_for_url(re.compile(r"stap=2"))
    page.get_by_text(re.compile(r"2/\d+ · Kaart")).first.wait_for()
    wait_rendered(page)
    _fits(page, page.locator(MAP))
    legend = page.locator('[role="list"][aria-label^="Legenda"]').first
    _fits(page, legend)
    screenshot(page, "presentatie-veiligheid-stap-2")
    page.keyboard.press("ArrowRight")  # the arrow keys step too
    page.wait_for_url(re.compile(r"stap=3"))
    page.get_by_text(re.compile(r"3/\d+ · Ranglijst")).first.wait_for()
    wait_rendered(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    _fits(page, chart)
    page.reload(wait_until="domcontentloaded")  # the link keeps the step
    wait_rendered(page)
    assert "stap=3" in page.url and re.search(r"\b3/\d+ · Ranglijst", page.locator('[data-testid="stMain"]').inner_text())
    # no developer text on a projector
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "python -m" not in text and "refresh" not in text


def test_which_gemeenten_saw_ggz_transfers_rise_in_two_clicks(page, app_url):
    """From /overdrachten: one click on "Verandering" shows the named ranking of the change
    in overdrachten aan de GGZ, latest half-year against three years earlier."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, app_url, "/overdrachten", period=PERIOD)
    page.get_by_role("tab", name="Verandering").click()
    # the click starts a rerun: wait for its result, not just for an idle app
    page.get_by_text(re.compile(r"Geestelijke gezondheidszorg \(GGZ\): verandering")).first.wait_for()
    wait_rendered(page)
    assert_no_exception(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert re.search(r"1e halfjaar 20\d\d → 1e halfjaar 20\d\d", text)
    screenshot(page, "overdrachten-verandering")
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1
    assert page.locator(MAP).count() >= 1


def test_presentation_kerncijfers_headline_fits_a_projector(page, app_url):
    page.set_viewport_size(PROJECTOR)
    open_page(page, app_url, "/kerncijfers", region=GEMEENTE, period=PERIOD, presentatie="1")
    assert_no_exception(page)
    _fits(page, page.locator("table.vt-head"))  # all seven kerncijfers topics for three regions
    number_px = page.locator("table.vt-head .vt-n").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert number_px >= 18


def test_presentation_change_step_fits_a_projector(page, app_url):
    page.set_viewport_size(PROJECTOR)
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD, presentatie="1", stap="5")
    assert_no_exception(page)
    _fits(page, page.locator(MAP))
    _fits(page, page.locator('[data-testid="stVegaLiteChart"]'))
