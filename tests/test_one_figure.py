"""One figure, one answer: the home page, the kerncijfers page, the region profile and the CLI agree.

Across a herindeling: Appingedam (GM0003) merged into Eemsdelta in 2021, so its
cells of 1e halfjaar 2021 are empty because it no longer existed ("bestond
niet"), not because they are secret. Before `vtdata.figures.pipeline` the home page had
its own route and said "geheim" there. The expected labels are derived here
from the raw cells and the boundaries, not from the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vtdata.model.catalog import KERNCIJFERS_TABLE
from vtdata.storage.queries import open_database

ROOT = Path(__file__).resolve().parents[1]
GONE, PERIOD = "GM0003", "2021HJ01"


@pytest.fixture(scope="module")
def db(demo_db):
    return open_database(demo_db)


def _html(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def test_the_demo_has_the_herindeling(db):
    codes_2021 = set(db.shapes("GM", 2021)["code"])
    assert GONE not in codes_2021 and "GM1979" in codes_2021
    obs = db.observations(KERNCIJFERS_TABLE, regions=[GONE], periods=[PERIOD])
    assert len(obs) and obs["value"].isna().all()  # listed, with empty cells


def test_home_theme_page_and_profile_say_bestond_niet_not_geheim(demo_db, monkeypatch):
    monkeypatch.setenv("VTDATA_DB", str(demo_db))
    home = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    home.query_params["region"], home.query_params["period"] = GONE, PERIOD
    home.run()
    assert not home.exception
    cards = _html(home)
    assert "bestond niet" in cards and ">geheim<" not in cards

    page = AppTest.from_string("from vtdata.ui.theme import render_theme\nrender_theme('kerncijfers')\n", default_timeout=120)
    page.query_params["region"], page.query_params["period"] = GONE, PERIOD
    page.run()
    assert not page.exception
    headline = next(e.proto.body for e in page.get("html") if 'class="vt-head"' in e.proto.body)
    row = headline[headline.index("<tbody>"):headline.index("</tr>", headline.index("<tbody>"))]  # Appingedam's row
    assert "bestond niet" in row and "geheim" not in row

    out = subprocess.run(
        [sys.executable, "-m", "vtdata", "profile", GONE, "--period", PERIOD, "--db", str(demo_db)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "VTDATA_AUTO_BUILD": "0"}, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "bestond niet" in out.stdout and ">geheim<" not in out.stdout


def test_home_and_profile_show_the_same_figure(db, demo_db, monkeypatch):
    region, period = "GM0363", "2023HJ01"
    measures = db.measures(KERNCIJFERS_TABLE)
    key = str(measures.loc[measures["title"].str.strip() == "Ontvangen meldingen", "key"].iloc[0])
    raw = db.observations(KERNCIJFERS_TABLE, regions=[region], periods=[period], measures=[key])["value"].iloc[0]
    shown = f"{int(raw):,}".replace(",", ".")
    monkeypatch.setenv("VTDATA_DB", str(demo_db))
    home = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    home.query_params["region"], home.query_params["period"] = region, period
    home.run()
    assert f">{shown}<" in _html(home)
    from vtdata.outputs.profile import build_profile

    profile = build_profile(db, region, period)
    rows = profile.figures[(profile.figures["item"] == key) & (profile.figures["region"] == region)]
    assert rows["value_label"].iloc[0] == shown


def _headline_cells(body: str) -> list[list[str]]:
    """The page's headline table as text: per item row, the text of each region's cell."""
    import re
    from html import unescape

    rows = []
    for row in re.findall(r"<tr><td>.*?</tr>", body[body.index('class="vt-head"'):]):
        cells = re.findall(r'<td class="[^"]*">(.*?)</td>', row)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


@pytest.mark.parametrize("link", [
    "/veiligheid?region=GM0363&period=2023HJ01",
    "/kerncijfers?region=GM0003&period=2021HJ01",
    "/overdrachten?region=VT13&period=2022JJ00&toon=aandeel",
    "/rol-en-organisatie?region=GM0599&period=2023HJ02",
])
def test_the_cli_prints_the_figures_the_theme_page_shows(link, demo_db, monkeypatch):
    """`vtdata figures LINK` and the page of that link run one route (`vtdata.figures.view_figures`):
    every figure the CLI gives stands in the page's headline cell of that item and region."""
    from urllib.parse import parse_qsl, urlsplit
    import json

    out = subprocess.run(
        [sys.executable, "-m", "vtdata", "figures", link, "--format", "json", "--db", str(demo_db)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "VTDATA_AUTO_BUILD": "0"}, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    assert rows

    monkeypatch.setenv("VTDATA_DB", str(demo_db))
    parts = urlsplit(link)
    page = AppTest.from_string(f"from vtdata.ui.theme import render_theme\nrender_theme({parts.path.strip('/')!r})\n",
                               default_timeout=120)
    for name, value in parse_qsl(parts.query):
        page.query_params[name] = value
    page.run()
    assert not page.exception
    shown = _headline_cells("".join(e.proto.body for e in page.get("html") if 'class="vt-head"' in e.proto.body))
    items = list(dict.fromkeys(r["item"] for r in rows))
    regions = list(dict.fromkeys(r["region"] for r in rows))
    assert len(shown) == len(items)
    for row in rows:
        cell = shown[items.index(row["item"])][regions.index(row["region"])]
        assert row["value_label"] in cell, (row, cell)
        if row["change_label"]:
            assert row["change_label"] in cell, (row, cell)
