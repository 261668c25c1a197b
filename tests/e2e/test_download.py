"""Downloads: a chart's CSV (StatLine's figures, with where they come from) and the session's notes."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.e2e.helpers import GEMEENTE, NEDERLAND, PERIOD, open_page
from vtdata.model.catalog import KERNCIJFERS_TABLE

pytestmark = pytest.mark.e2e


def test_chart_csv_names_the_demo_source_and_writes_whole_counts(page, app_url, db):
    open_page(page, app_url, "/kerncijfers", region=NEDERLAND, period=PERIOD)
    page.get_by_text("Tabel", exact=True).first.click()
    button = page.get_by_role("button", name="Download als CSV").first
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    text = info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows, text[:500]
    assert {r["bron"] for r in rows} == {"DEMO: demonstratiegegevens, geen CBS-cijfers"}
    # the counts of the database, written as whole numbers
    cells = db.observations(KERNCIJFERS_TABLE, regions=[NEDERLAND], periods=[PERIOD])
    expected = {
        m: ("" if s else str(int(v)))
        for m, v, s, u in zip(cells["measure"], cells["value"], cells["suppressed"], cells["unit"])
        if u != "%"
    }
    shown = {r["onderwerp_code"]: r["waarde"] for r in rows if r["periode_code"] == PERIOD and r["eenheid"] != "%"}
    assert shown and all(shown[m] == expected[m] for m in shown), {m: (shown[m], expected[m]) for m in shown}


def test_a_note_written_on_a_theme_page_is_in_the_downloaded_gespreksverslag(page, app_url):
    """The notes field is built once its expander opens; what is written there ends up in the download."""
    open_page(page, app_url, "/overdrachten", region=GEMEENTE, period=PERIOD)
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_role("textbox", name="Notities bij deze weergave").count() == 0  # closed: not built
    main.get_by_text("Notities bij deze weergave", exact=True).first.click()
    field = main.get_by_role("textbox", name="Notities bij deze weergave")
    field.fill("GGZ valt op; navragen bij het wijkteam.")
    field.press("Tab")  # a text area sends its text when it loses the focus
    button = page.get_by_role("button", name=re.compile(r"^Download gespreksverslag \(1 notitie\)"))
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    text = info.value.path().read_text(encoding="utf-8")
    assert "## Overdrachten: Overzicht per categorie" in text, text[:600]
    assert "- Regio: Amsterdam" in text and "> GGZ valt op; navragen bij het wijkteam." in text, text[:1200]
    assert f"region={GEMEENTE}" in text
