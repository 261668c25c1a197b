"""Every page renders on a database refreshed from a (fake) StatLine, not only on the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fake_statline import FakeStatLine
from vtdata.source.demo import build_demo_snapshots
from vtdata.source.demo.population import build_demo_population
from vtdata.storage.refresh import refresh

ROOT = Path(__file__).resolve().parents[1]
# the not-found page is registered only for an unknown path (vtdata.ui.not_found), never switched to
PAGES = sorted(p.name for p in (ROOT / "app_pages").glob("*.py") if p.name != "niet_gevonden.py")


@pytest.fixture(scope="module")
def statline_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("statline") / "vtdata.duckdb"
    with FakeStatLine([*build_demo_snapshots(), build_demo_population()]) as server:
        mp = pytest.MonkeyPatch()
        mp.setenv("VTDATA_STATLINE_URL", server.url)
        try:
            result = refresh(source="statline", db=db)
        finally:
            mp.undo()
    assert len(result.downloaded) == 10 and result.population_missing is None
    return db


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_refreshed_statline_data(statline_db, page, monkeypatch):
    monkeypatch.setenv("VTDATA_DB", str(statline_db))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params["region"] = "GM0363"
    at.query_params["period"] = "2023JJ00"
    at.run()
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = [str(w.value) for w in at.warning]
    assert not any("Demonstratiegegevens" in w for w in warnings), "StatLine data must not carry the demo banner"
    if page not in ("home.py", "colofon.py", "uitkomsten_onderzoek.py", "regioprofiel.py"):
        assert at.get("vega_lite_chart"), f"{page} shows no chart"
