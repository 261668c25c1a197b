"""The real StatLine structure (titles checked on the real tables), with and without CategoryGroups.

A StatLine-shaped fake server serves `tests/statline_real_samples.py`; a real
refresh downloads it with cbsodata, publishes it, and `status --themes --json`
(the contract of the design notes) must show what a user needs: the
organisations and the rol/functie parts on rol-en-organisatie, every category of
84849NED on some page, the six duur parts with shares, unique labels on
eerdere-betrokkenheid, the aard categories of 84851NED without shares. The four
pages open without an error. Expected sets are written out from the titles of
the real structure, not computed by the code under test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_statline import FakeStatLine
from tests.statline_real_samples import AARD_TITLES, DUUR_TITLES, KENMERKEN, ORGANISATIE_TITLES, ROL_TITLES, real_snapshots
from vtdata.storage.refresh import refresh

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", params=[False, True], ids=["zonder-groepen", "met-groepen"])
def real(request, tmp_path_factory):
    db = tmp_path_factory.mktemp("real") / "vtdata.duckdb"
    with FakeStatLine(real_snapshots(groups=request.param)) as server:
        mp = pytest.MonkeyPatch()
        mp.setenv("VTDATA_STATLINE_URL", server.url)
        mp.setenv("VTDATA_STATLINE_RETRIES", "0")
        try:
            result = refresh(source="statline", db=db)
        finally:
            mp.undo()
    return db, result


@pytest.fixture(scope="module")
def themes(real):
    db, _ = real
    out = subprocess.run(
        [sys.executable, "-m", "vtdata", "status", "--themes", "--json", "--db", str(db)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120, check=True,
    )
    doc = json.loads(out.stdout)
    return {t["slug"]: {tb["table_id"]: tb for tb in t["tables"]} for t in doc["themes"]}


def _titles(table: dict, **where) -> list[str]:
    return [c["title"] for c in table["categories"] if all(c[k] == v for k, v in where.items())]


def test_the_real_structure_is_published_with_one_warning_line_per_table(real):
    _, result = real
    assert not result.skipped and len(result.downloaded) == 10
    # the aard parts add up to more than the total: reported, not refused
    warned = {w.split(":")[0] for w in result.warnings}
    assert {"84850NED", "84851NED"} <= warned
    assert all("\n" not in w for w in result.warnings)


def test_rol_en_organisatie_shows_the_organisations_and_the_rol_parts(themes):
    for table_id in ("84849NED", "84848NED"):
        table = themes["rol-en-organisatie"][table_id]
        shown = set(_titles(table))
        assert set(ORGANISATIE_TITLES) <= shown and set(ROL_TITLES) <= shown
        assert not set(DUUR_TITLES) & shown
        assert "J en V: politie: totaal" in shown
        parents = {c["key"]: c["parent"] for c in table["categories"]}
        by_title = {c["title"]: c["key"] for c in table["categories"]}
        # the abbreviated prefix "J en V:" is read as "Justitie en veiligheid"
        assert parents[by_title["J en V: reclassering"]] == by_title["Justitie en veiligheid: totaal"]
        # organisatie (with "Niet van toepassing") and rol/functie each add up to the total: both get shares
        assert "Gezondheidszorg: totaal" in _titles(table, share=True)
        assert "Niet beroepsmatig totaal" in _titles(table, share=True)
        assert not _titles(table, multi_answer=True)


def test_every_category_of_84849ned_is_on_some_page(themes):
    shown = {c["title"] for theme in themes.values() for tid, t in theme.items() if tid == "84849NED"
             for c in t["categories"]}
    assert shown == {title for title, _, _ in KENMERKEN}


def test_the_six_duur_parts_get_shares(themes):
    table = themes["duur-geweld"]["84849NED"]
    assert _titles(table, share=True) == DUUR_TITLES
    assert _titles(table, role="total") == ["Totaal"]
    assert {item["reason"] for item in table["left_out"]} == {"hoort bij het thema 'Rol/functie en organisatie'"}


def test_aard_categories_are_shown_without_shares(themes):
    table = themes["aard-geweld"]["84851NED"]
    assert _titles(table) == AARD_TITLES
    assert not _titles(table, share=True)
    assert set(_titles(table, role="part")) == set(AARD_TITLES[1:]) == set(_titles(table, multi_answer=True))


def test_labels_are_unique_on_eerdere_betrokkenheid(themes):
    table = themes["eerdere-betrokkenheid"]["85361NED"]
    for unit in ("aantal", "%"):  # one topic group per unit; each is a view of its own
        labels = [c["label"] for c in table["categories"] if c["unit"] == unit]
        assert len(labels) == len(set(labels)) == 10
        assert {"Hermelding: totaal", "Vervolgmelding tijdens betrokkenheid VT: totaal"} <= set(labels)
    assert all(c["title"] and c["label"] and c["unit"] for c in table["categories"])


@pytest.mark.parametrize("slug", ["rol-en-organisatie", "duur-geweld", "aard-geweld", "eerdere-betrokkenheid"])
def test_the_four_pages_open_without_an_error(real, slug, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db, _ = real
    monkeypatch.setenv("VTDATA_DB", str(db))
    at = AppTest.from_string(f"from vtdata.ui.theme import render_theme\nrender_theme({slug!r})\n", default_timeout=240)
    at.query_params["region"] = "GM0080"
    at.query_params["period"] = "2023JJ00"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    if slug == "eerdere-betrokkenheid":  # the subtotals are named with their group, not "Totaal" twice
        text = " ".join(str(c.value) for c in at.caption)
        assert "Hermelding: totaal" in text and "Vervolgmelding tijdens betrokkenheid VT: totaal" in text


def test_the_basis_of_a_rate_is_declared_in_the_catalog_not_guessed_from_a_title(real):
    from vtdata.model.view_spec import dimension_view
    from vtdata.model.catalog import THEMES_BY_SLUG
    from vtdata.storage.queries import open_database

    db = open_database(real[0])

    def bases(slug, table_id):
        spec = dimension_view(THEMES_BY_SLUG[slug], table_id, db.measures(table_id), db.dimensions(table_id),
                                 lambda d: db.categories(table_id, d), measure=None, dimension=None)
        return {c.title: c.basis for c in spec.categories}

    rol = bases("rol-en-organisatie", "84849NED")
    # the reporter's organisation is about who reports, not about children at risk
    assert rol["Kinderopvang"] == rol["Jeugdzorg: totaal"] == rol["Beroep: kinderopvang: totaal"] == "inwoners"
    aard = bases("aard-geweld", "84851NED")
    assert aard["Kindermishandeling"] == "minderjarigen"
    assert aard["(Ex-)Partnergeweld"] == aard["Geen kindermishandeling/huiselijk geweld"] == "inwoners"


def test_exports_use_the_same_labels(real):
    from vtdata.outputs.export import export_frame
    from vtdata.storage.queries import open_database

    frame = export_frame(open_database(real[0]), "85361NED", regions=["NL01"], periods=["2023JJ00"])
    titles = dict(zip(frame["measure"], frame["measure_title"]))
    assert titles["TotaalHermelding_3"] == "Hermelding: totaal"
    assert titles["TotaalVervolgmelding_6"] == "Vervolgmelding tijdens betrokkenheid VT: totaal"
    assert titles["OntvangenMeldingenTotaal_1"] == "Ontvangen meldingen, totaal"  # unique titles stay as CBS wrote them


def test_breakdowns_are_found_from_the_figures_when_the_titles_do_not_tell(tmp_path):
    """Without the residual "Onbekend" between organisatie and duur, and with duur titles that share no prefix,
    the titles give one breakdown; Nederland's figures add up to three times the total, run after run: three."""
    from tests import statline_cbs_samples as cbs
    from tests.statline_real_samples import kenmerken
    from vtdata.model.structure import build_structure
    from vtdata.storage.queries import open_database

    dim = kenmerken(groups=False)
    dim.cats = [c for c in dim.cats if c.title != "Onbekend"]
    for c in dim.cats:
        c.title = c.title.replace("Duur geweld: ", "")  # "niet langer dan 1 week", ... no common prefix
        c.title = c.title.replace("Niet van toepassing", "Geen beroep")  # no residual title ends organisatie
    snapshots = [cbs._snapshot("84849NED", [dim], [cbs.ADVIEZEN_MELDINGEN[0]], [], cbs.REGIO)]
    db_path = tmp_path / "vtdata.duckdb"
    with FakeStatLine(snapshots) as server:
        mp = pytest.MonkeyPatch()
        mp.setenv("VTDATA_STATLINE_URL", server.url)
        mp.setenv("VTDATA_STATLINE_RETRIES", "0")
        try:
            refresh(source="statline", db=db_path, table_ids=["84849NED"])
        finally:
            mp.undo()
    db = open_database(db_path)
    categories = db.categories("84849NED", "KenmerkenAdviezenMeldingen")
    titles_only = build_structure(categories.drop(columns=["data_segment", "data_multi_answer"]))
    assert len([b for b in titles_only.breakdowns if b.parent == titles_only.total]) == 2  # rol | organisatie+duur
    s = build_structure(categories)
    own = [b for b in s.breakdowns if b.parent == s.total]
    names = [[s.node(k).title for k in b.keys] for b in own]
    assert len(own) == 3 and not any(b.multi_answer for b in own)
    assert names[2] == ["niet langer dan 1 week", "> 1 week, < 1 maand", "> 1 maand, < 6 maanden",
                        "> 6 maanden, < 1 jaar", "> 1 jaar,< 5 jaar", "langer dan 5 jaar"]
    assert names[1][-1] == "Geen beroep" and names[0][-1] == "Rol/functie onbekend"  # an empty residual stays


def test_the_region_formed_in_2023_keeps_statline_s_code(real):
    """StatLine's VT28 'Oost-Brabant (VT)' gets the boundaries the files code VT27: a map, members, no 'bestond niet'."""
    from vtdata.model.lifetimes import Lifetimes
    from vtdata.storage.queries import open_database

    db_path, result = real
    assert any("VT27" in w and "VT28" in w for w in result.warnings)
    db = open_database(db_path)
    assert "GM0772" in db.gemeenten_of("VT28", 2023)  # Eindhoven
    assert "VT28" in set(db.shapes("VT", 2024)["code"]) and "VT27" not in set(db.shapes("VT", 2024)["code"])
    lifetimes = Lifetimes.load(db)
    assert lifetimes.exists("VT28", 2023) and not lifetimes.exists("VT28", 2021)
