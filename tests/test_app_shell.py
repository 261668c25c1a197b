"""The app shell under `streamlit.testing.v1.AppTest`: navigation, banner, selection, home, colofon.

All runs read the demo database of the session fixture `demo_db` (no internet).
Expected figures are computed from the query API directly, then compared with
what the page shows in Dutch formatting.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vtdata.model.catalog import TABLES, THEMES
from tests import dutch

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
TIMEOUT = 120
BANNER = "Demonstratiegegevens"
PAGES = ["app_pages/home.py", "app_pages/colofon.py"] + [f"app_pages/{t.slug.replace('-', '_')}.py" for t in THEMES]


def run_app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in at.get(kind)]


def html_bodies(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def selected(at: AppTest) -> tuple[str, str]:
    region, period = at.sidebar.selectbox
    return region.value, period.value


@pytest.fixture(scope="module")
def db(demo_db):
    from vtdata.storage.queries import open_database

    return open_database(demo_db)


def latest_period(db) -> str:
    periods = db.periods()
    rank = {"JJ00": 3, "HJ02": 2, "HJ01": 1}
    return max(periods["code"], key=lambda c: (int(c[:4]), rank[c[4:]]))


# --------------------------------------------------------------------------- home


def test_home_renders_with_the_headline_figures_of_the_selection(db):
    at = run_app({"region": "GM0363", "period": "2023HJ01"})
    assert not at.exception
    assert at.title[0].value.startswith("Handelingsprotocol")
    assert any("Amsterdam (gemeente), 1e halfjaar 2023" in s for s in texts(at, "subheader"))
    body = html_bodies(at)
    measures = db.measures("84847NED")
    obs = db.observations("84847NED", regions=["GM0363"], periods=["2023HJ01"])
    checked = 0
    for title in ("Gestarte adviezen", "Ontvangen meldingen", "Gestarte onderzoeken", "Overdrachten"):
        row = measures.loc[measures["title"] == title].iloc[0]
        cell = obs.loc[obs["measure"] == row["key"]].iloc[0]
        shown = dutch.cell(cell["value"], row["unit"], row["decimals"], bool(cell["suppressed"]))
        assert f">{shown}<" in body or f">{shown}*<" in body, (title, shown)
        assert title in body
        checked += 1
    assert checked == 4
    # every figure links to a theme page with the selection in the URL
    assert "veiligheid?region=GM0363&amp;period=2023HJ01" in body


def test_home_shows_geheim_for_a_suppressed_cell_never_zero(db):
    obs = db.observations("84847NED", regions=["GM0003"], periods=["2019HJ01"])
    measures = db.measures("84847NED").set_index("key")
    secret = obs.loc[obs["suppressed"]]
    assert len(secret), "the demo data should suppress some small cells"
    title = measures.loc[secret["measure"].iloc[0], "title"]
    at = run_app({"region": "GM0003", "period": "2019HJ01"})
    assert not at.exception
    body = html_bodies(at)
    start = body.index(f">{title}<")
    assert "geheim" in body[max(0, start - 200) : start]


def test_home_marks_voorlopige_figures(db):
    from vtdata.source.demo.values import VOORLOPIG  # the demo's voorlopige half-year, as generated

    at = run_app({"period": VOORLOPIG[0]})
    assert not at.exception
    assert any("*" in s for s in texts(at, "subheader"))
    assert "*</span>" in html_bodies(at)


def test_home_wat_valt_op_states_how_shares_are_computed():
    at = run_app({"region": "NL01", "period": "2023JJ00"})
    assert not at.exception
    markdown = "\n".join(texts(at, "markdown"))
    captions = "\n".join(texts(at, "caption"))
    assert "Hoogste aandeel acute onveiligheid" in markdown
    assert "acute onveiligheid" in captions and "÷" in captions and "84852NED" in captions


# --------------------------------------------------------------------------- banner and pages


@pytest.mark.parametrize("page", PAGES)
def test_demo_banner_on_every_page(page):
    at = run_app({"region": "GM0363", "period": "2023HJ01"})
    at.switch_page(page).run()
    warnings = texts(at, "warning")
    assert any(BANNER in w and "geen echte CBS-cijfers" in w for w in warnings), page


def test_navigation_has_the_contract_url_paths(demo_db):
    at = run_app()
    assert not at.exception
    from streamlit.runtime.pages_manager import PagesManager  # noqa: F401 - only for the shape below

    paths = set()
    for info in at._registered_pages.values():  # what st.navigation registered
        paths.add(info.get("url_pathname", ""))
    expected = {"", "colofon"} | {t.slug for t in THEMES}
    assert expected <= paths, paths


# --------------------------------------------------------------------------- selection and links


def test_query_params_select_region_and_period():
    at = run_app({"region": "VT01", "period": "2022HJ02"})
    assert not at.exception
    assert selected(at) == ("VT01", "2022HJ02")
    assert at.query_params["region"] == "VT01" and at.query_params["period"] == "2022HJ02"
    assert not texts(at, "info")


def test_default_selection_is_nederland_and_the_latest_period(db):
    at = run_app()
    assert not at.exception
    assert selected(at) == ("NL01", latest_period(db))
    # the default is written into the URL, so the view can be shared as is
    assert at.query_params["region"] == "NL01"


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        ({"region": "GM9999"}, "Regio GM9999 is niet bekend; Nederland wordt getoond.", 0),
        ({"region": "<script>alert(1)</script>"}, "De regio in de link is niet bekend; Nederland wordt getoond.", 0),
        ({"period": "2099HJ01"}, "Periode 2099HJ01 is niet beschikbaar", 1),
        ({"period": "abc"}, "Periode abc is geen geldige periode", 1),
    ],
)
def test_bad_query_params_give_a_dutch_message_and_the_default(db, params, message, field):
    at = run_app(params)
    assert not at.exception
    infos = texts(at, "info")
    assert any(message in i for i in infos), infos
    assert selected(at) == ("NL01", latest_period(db))
    key = "region" if field == 0 else "period"
    assert at.query_params[key] == ("NL01", latest_period(db))[field]
    assert "<script>" not in "".join(infos)


def test_selection_survives_a_page_switch_that_drops_the_query_params():
    at = run_app({"region": "GM0363", "period": "2023HJ01"})
    at.switch_page("app_pages/colofon.py")
    at.query_params.clear()  # Streamlit 1.67 keeps only widget-bound params on a page switch
    at.run()
    assert not at.exception
    assert selected(at) == ("GM0363", "2023HJ01")
    assert at.query_params["region"] == "GM0363" and at.query_params["period"] == "2023HJ01"


def test_changing_the_selectors_updates_the_url():
    at = run_app({"region": "GM0363", "period": "2023HJ01"})
    at.sidebar.selectbox[0].select("VT01").run()
    assert at.query_params["region"] == "VT01"
    at.sidebar.selectbox[1].select("2022JJ00").run()
    assert at.query_params["period"] == "2022JJ00"
    assert selected(at) == ("VT01", "2022JJ00")
    assert not at.exception


def test_region_labels_name_their_level():
    at = run_app()
    region = at.sidebar.selectbox[0]
    labels = list(region.options)
    assert "Amsterdam (gemeente)" in labels
    assert "Amsterdam-Amstelland (Veilig Thuis-regio)" in labels
    assert "Nederland" == labels[0]
    assert any(label.endswith("(provincie)") for label in labels)
    period = at.sidebar.selectbox[1]
    assert any(label.endswith("* (voorlopig)") for label in period.options)


def test_a_gemeente_that_no_longer_exists_points_to_its_successor():
    at = run_app({"region": "GM0003", "period": "2023HJ01"})
    assert not at.exception
    warnings = texts(at, "warning")
    assert any("Appingedam bestaat niet meer" in w and "Eemsdelta" in w for w in warnings), warnings
    button = next(b for b in at.button if "Eemsdelta" in b.label)
    button.click().run()
    assert selected(at)[0] == "GM1979"
    assert at.query_params["region"] == "GM1979"
    assert not any("bestaat niet meer" in w for w in texts(at, "warning"))


def test_no_database_gives_a_dutch_message_and_no_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("VTDATA_DB", str(tmp_path / "nergens.duckdb"))
    monkeypatch.setenv("VTDATA_AUTO_BUILD", "0")
    at = run_app()
    assert not at.exception
    errors = texts(at, "error")
    assert any("python -m vtdata refresh" in e and "database" in e for e in errors), errors
    assert not (tmp_path / "nergens.duckdb").exists()


def test_first_start_builds_the_demo_when_statline_is_unreachable(tmp_path, monkeypatch):
    db = tmp_path / "eerste.duckdb"
    monkeypatch.setenv("VTDATA_DB", str(db))
    monkeypatch.setenv("VTDATA_STATLINE_URL", "http://127.0.0.1:9")
    at = run_app()
    assert not at.exception
    assert any("niet bereikbaar" in i for i in texts(at, "info")), texts(at, "info")
    assert any("Demonstratiegegevens" in w for w in texts(at, "warning"))
    assert db.exists()


# --------------------------------------------------------------------------- colofon


def test_colofon_lists_all_tables_and_the_demo_source(db):
    at = run_app()
    at.switch_page("app_pages/colofon.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert set(TABLES) <= set(frame["Tabel"])
    markdown = "\n".join(texts(at, "markdown"))
    assert "demo" in markdown
    assert "CC BY 4.0" in markdown and "Bron: CBS, Kadaster" in markdown
    assert "voorlopig" in markdown and "geheim" in markdown and "veelvouden van 5" in markdown
    modified = db.tables().set_index("table_id").loc["84847NED", "modified"]
    year = str(modified)[:4]
    row = frame.loc[frame["Tabel"] == "84847NED"].iloc[0]
    assert year in row["Gewijzigd door CBS"] and any(m in row["Gewijzigd door CBS"] for m in ("januari", "april", "oktober", "mei", "juni", "juli", "augustus", "september", "november", "december", "februari", "maart"))
    assert at.get("download_button"), "a CSV download of the table list"
