"""The figures on the page are the figures in the database, in Dutch number format.

Expected values come from the query API (`vtdata.storage.queries`) on the database the
server reads, formatted by the tests' own Dutch formatter (`tests/dutch.py`, not
the app's); the page is read as a user sees it.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.e2e.helpers import (
    GEMEENTE,
    NEDERLAND,
    PERIOD,
    assert_no_exception,
    main_text,
    open_page,
    screenshot,
)
from tests import dutch
from vtdata.model.catalog import KERNCIJFERS_TABLE as KERNCIJFERS
from vtdata.model.catalog import VEILIGHEID_TABLE as VEILIGHEID

pytestmark = pytest.mark.e2e

THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
SHARE = re.compile(r"\d+,\d%")
YEAR_BEFORE = f"{int(PERIOD[:4]) - 1}{PERIOD[4:]}"


def _plain(text: str) -> str:
    """Text as read, without soft hyphens (hyphenation hints) and outer blanks."""
    return text.replace("\u00ad", "").strip()


def _cards(page) -> list[tuple[str, str]]:
    """(value text, label) of every figure in the home schematic."""
    figures = page.locator(".vt-fig")
    assert figures.count() > 0, "no figures in the home schematic"
    return [
        (_plain(fig.locator(".vt-val").inner_text()), _plain(fig.locator(".vt-lab").inner_text()))
        for fig in figures.all()
    ]


def _kerncijfers(db, region: str, period: str) -> dict[str, str]:
    """measure title -> the cell as the UI must show it."""
    obs = db.observations(KERNCIJFERS, regions=[region], periods=[period])
    assert len(obs), f"no kerncijfers for {region} {period} in the demo database"
    return {
        row.measure_title: dutch.cell(row.value, row.unit, row.decimals, bool(row.suppressed))
        for row in obs.itertuples()
    }


def test_home_figures_changes_and_shares_match_the_database(page, app_url, db):
    """The home page's headline figures and its 'Wat valt op' lines (one page load for both)."""
    open_page(page, app_url, "/", region=GEMEENTE, period=PERIOD)
    assert_no_exception(page)
    _headline_figures_match_the_database(page, db)
    _changes_and_shares_match_the_database(page, db)


def _headline_figures_match_the_database(page, db):
    expected = _kerncijfers(db, GEMEENTE, PERIOD)
    cards = _cards(page)
    for value, label in cards:
        assert label in expected, f"home shows {label!r}, not a kerncijfers measure: {sorted(expected)}"
        assert value.rstrip("*") == expected[label], f"{label}: page {value!r}, database {expected[label]!r}"
    # The headline (first) figure is a count in the thousands here: Dutch grouping with a dot.
    first_value, first_label = cards[0]
    assert THOUSANDS.match(first_value), f"headline {first_label} = {first_value!r} is not Dutch thousands format"
    assert len({label for _, label in cards}) >= 7, cards


def _changes_and_shares_match_the_database(page, db):
    text = main_text(page)
    # "Gestarte adviezen in Amsterdam (gemeente): 2.645 in 1e halfjaar 2023, tegen 2.300 in 1e halfjaar 2022 (+15,0%)."
    now = db.observations(KERNCIJFERS, regions=[GEMEENTE], periods=[PERIOD])
    before = db.observations(KERNCIJFERS, regions=[GEMEENTE], periods=[YEAR_BEFORE])
    first = now.iloc[0]
    old = before.loc[before["measure"] == first["measure"]].iloc[0]
    change = (first["value"] - old["value"]) / old["value"] * 100
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    line = (
        f"{first['measure_title']} in Amsterdam (gemeente): {dutch.number(first['value'])} in 1e halfjaar 2023, "
        f"tegen {dutch.number(old['value'])} in 1e halfjaar 2022 ({sign}{dutch.percent(abs(change), 1)})"
    )
    assert line in text, f"expected {line!r} in the home page 'Wat valt op'"

    # Share of meldingen with acute onveiligheid, Nederland and the gemeente: computed here from the cells.
    taxatie = db.categories(VEILIGHEID, "Veiligheidstaxatie")
    acute = taxatie.loc[taxatie["title"].str.casefold() == "acute onveiligheid", "key"].iloc[0]
    total = taxatie.loc[taxatie["title"].str.casefold() == "totaal", "key"].iloc[0]
    beoordeling = db.categories(VEILIGHEID, "Veiligheidsbeoordeling")
    b_total = beoordeling.loc[beoordeling["title"].str.casefold() == "totaal", "key"].iloc[0]
    measures = db.measures(VEILIGHEID)
    melding = measures.loc[measures["title"].str.contains("melding", case=False), "key"].iloc[0]
    cells = db.observations(
        VEILIGHEID, regions=[NEDERLAND, GEMEENTE], periods=[PERIOD], measures=[melding],
        categories={"Veiligheidstaxatie": [acute, total], "Veiligheidsbeoordeling": [b_total]},
    )
    wide = cells.pivot_table(index="region", columns="Veiligheidstaxatie", values="value")
    for region, label in ((NEDERLAND, "Nederland"), (GEMEENTE, "Amsterdam (gemeente)")):
        share = dutch.percent(wide.loc[region, acute] / wide.loc[region, total] * 100, 1)
        assert SHARE.fullmatch(share)
        # "Nederland: 9,5%." or "Ter vergelijking: Nederland 9,5%; ..."
        assert re.search(rf"{re.escape(label)}:? {re.escape(share)}(?!\d)", text), (
            f"expected {label} {share} in 'Wat valt op':\n{text[text.find('Wat valt op'):][:1200]}"
        )


def _region_with_partly_suppressed_kerncijfers(db) -> tuple[str, str, list[str]]:
    """A gemeente with some, but not all, kerncijfers geheim in PERIOD."""
    obs = db.observations(KERNCIJFERS, periods=[PERIOD])
    obs = obs[obs["region"].str.startswith("GM")]
    per_region = obs.groupby("region")["suppressed"].agg(["sum", "count"])
    partial = per_region[(per_region["sum"] >= 2) & (per_region["sum"] < per_region["count"])]
    assert len(partial), "the demo data has no gemeente with partly suppressed kerncijfers"
    region = partial.index[0]
    rows = obs[obs["region"] == region]
    return region, rows["region_title"].iloc[0], rows.loc[rows["suppressed"], "measure_title"].tolist()


def test_suppressed_cells_read_geheim_not_zero(page, app_url, db):
    region, name, secret = _region_with_partly_suppressed_kerncijfers(db)
    open_page(page, app_url, "/", region=region, period=PERIOD)
    screenshot(page, f"home-geheim-{region}")
    assert_no_exception(page)
    cards = dict((label, value) for value, label in _cards(page))
    shown_secret = [m for m in secret if m in cards]
    assert shown_secret, f"none of the suppressed measures {secret} of {name} is on the home page: {cards}"
    for measure in shown_secret:
        assert cards[measure] == dutch.SECRET, f"{name}, {measure}: suppressed cell shown as {cards[measure]!r}"
    assert all(value not in ("0", "0*") for value in cards.values()), f"a 0 on the home page of {name}: {cards}"
    # Secret figures are styled differently from known ones.
    secret_cards = page.locator(".vt-val.vt-secret")
    assert secret_cards.count() == len(shown_secret)


def test_theme_page_changes_match_the_database(page, app_url, db):
    """Kerncijfers opens with the gemeente's figures and their change against a year earlier."""
    open_page(page, app_url, "/kerncijfers", region=GEMEENTE, period=PERIOD)
    screenshot(page, "kerncijfers-headline-gemeente")
    assert_no_exception(page)
    now = db.observations(KERNCIJFERS, regions=[GEMEENTE], periods=[PERIOD])
    before = db.observations(KERNCIJFERS, regions=[GEMEENTE], periods=[YEAR_BEFORE])
    both = now.merge(before[["measure", "value"]], on="measure", suffixes=("", "_before"))
    checked = 0
    for row in page.locator("table.vt-head tbody tr").all():
        title = row.locator("td").first.inner_text().strip()
        match = both[both["measure_title"] == title]
        if match.empty:
            continue
        r = match.iloc[0]
        own = row.locator("td").nth(1)  # the gemeente's own column
        assert own.locator(".vt-n").inner_text().strip() == dutch.number(r["value"])
        change = r["value"] - r["value_before"]
        sign = "+" if change > 0 else ("−" if change < 0 else "")
        assert own.locator(".vt-chg").inner_text().strip().startswith(f"{sign}{dutch.number(abs(change))}"), title
        checked += 1
    assert checked >= 3, "the headline shows too few kerncijfers topics"
    text = main_text(page)
    # Any number of four digits or more on the page uses the Dutch thousands separator.
    for number in re.findall(r"(?<![\d.,])\d{4,}(?![\d.,%A-Z])", text):
        assert re.fullmatch(r"(19|20)\d{2}", number), f"ungrouped number {number!r} on the page"


def test_map_legend_and_chart_use_dutch_format(page, app_url, db):
    """The map legend of a share on /veiligheid reads like '9,0% – 10,9%'; no decimal points."""
    open_page(page, app_url, "/veiligheid", region=GEMEENTE, period=PERIOD, toon="aandeel", weergave="Kaart")
    text = main_text(page)
    legend = re.findall(r"(\d+,\d%) – (\d+,\d%)", text)
    assert legend, f"no Dutch share classes in the map legend:\n{text[-1500:]}"
    assert not re.search(r"\d\.\d%", text), "a share with a decimal point"
    # The classes cover the gemeenten' shares of the first category on the map.
    lows = [float(lo.rstrip("%").replace(",", ".")) for lo, _ in legend]
    highs = [float(hi.rstrip("%").replace(",", ".")) for _, hi in legend]
    assert lows == sorted(lows) and highs == sorted(highs), legend
    assert pd.Series(highs).gt(pd.Series(lows)).all(), legend
