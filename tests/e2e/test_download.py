"""The CSV download of a chart: StatLine's figures, with where they come from."""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e.helpers import NEDERLAND, PERIOD, open_page
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
