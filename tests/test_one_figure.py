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
