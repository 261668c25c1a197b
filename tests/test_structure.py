"""Category structure, shares and theme choices on StatLine-shaped metadata in CBS's conventions.

The tables come from `tests/statline_cbs_samples.py` (not from the demo
generator), are served by the fake StatLine and downloaded by a real refresh.
Expected values are written out from the sample's definition, not computed by
the code under test.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.fake_statline import FakeStatLine
from tests.statline_cbs_samples import cbs_snapshots
from vtdata.model.structure import RELATIVE_MARGIN, ROLE_PART, ROLE_SUBTOTAL, ROLE_TOTAL, ROUNDING_HALF_STEP, build_structure, data_check, exceeds_parent, select_for_theme, split_by_sums, total_stem
from vtdata.figures.view_cells import add_shares, to_cells
from vtdata.model.view_spec import MULTI_ANSWER_CAPTION, default_category, dimension_view, measure_groups, measures_view, unplaced_note
from vtdata.model.catalog import THEMES, THEMES_BY_SLUG, Theme
from vtdata.model.periods import is_provisional, period_label
from vtdata.storage.queries import open_database
from vtdata.storage.refresh import refresh
from vtdata.model.theme_report import report_lines, theme_report

ROOT = Path(__file__).resolve().parents[1]
KENMERKEN = "KenmerkenAdviezenMeldingen"


def _refresh_from(snapshots, db: Path):
    with FakeStatLine(snapshots) as server:
        mp = pytest.MonkeyPatch()
        mp.setenv("VTDATA_STATLINE_URL", server.url)
        try:
            return refresh(source="statline", db=db)
        finally:
            mp.undo()


@pytest.fixture(scope="module")
def cbs_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cbs") / "vtdata.duckdb"
    result = _refresh_from(cbs_snapshots(), db)
    assert len(result.downloaded) == 10
    return db


@pytest.fixture(scope="module")
def db(cbs_db):
    return open_database(cbs_db)


def _structure(db, table_id, dimension):
    return build_structure(db.categories(table_id, dimension))


def _view(db, slug, table_id, dimension=None, measure=None, *, checked=True):
    theme = THEMES_BY_SLUG[slug]
    measures, dims = db.measures(table_id), db.dimensions(table_id)
    spec = dimension_view(theme, table_id, measures, dims, lambda d: db.categories(table_id, d),
                             measure=measure, dimension=dimension)
    if not checked:
        return spec
    ref = _national(db, spec, "2023JJ00")
    return dimension_view(theme, table_id, measures, dims, lambda d: db.categories(table_id, d),
                             measure=measure, dimension=dimension, reference=ref)


def _national(db, spec, period):
    cells = _cells(db, spec, ["NL01"], [period])
    return cells[["category", "value"]]


def _cells(db, spec, regions=None, periods=None):
    args = spec.query_args()
    cats = {k: list(v) for k, v in (args["categories"] or {}).items()} or None
    obs = db.observations(spec.table_id, regions=regions, periods=periods, measures=list(args["measures"]), categories=cats)
    return to_cells(obs, spec)


# ---------------------------------------------------------------------------
# Titles and roles


@pytest.mark.parametrize(
    "title, stem",
    [("Totaal", ""), ("Totaal ", ""), ("TOTAAL", ""), ("Beroepsmatig totaal", "beroepsmatig"),
     ("Beroep: medisch: totaal ", "beroep: medisch"), ("Totaal afgeronde onderzoeken", "afgeronde onderzoeken"),
     ("Totaal mannen en vrouwen", "mannen en vrouwen"), ("Kindermishandeling: totaal", "kindermishandeling"),
     ("Partnergeweld", None), ("Totaalbeeld", None), ("Súdwest-Fryslân totaal", "súdwest-fryslân")],
)
def test_total_titles(title, stem):
    assert total_stem(title) == stem


def test_roles_and_parents_with_groups_two_deep_and_totaal_not_first(db):
    s = _structure(db, "84849NED", KENMERKEN)
    nodes = {n.title: n for n in s.nodes}
    assert s.total == "T001038" and nodes["Totaal"].position > 0  # padded key stripped, not first
    assert nodes["Niet beroepsmatig: betrokkene zelf"].parent == "A048201"  # trailing space stripped
    assert nodes["Beroep: politie"].parent == "A048205"  # "Beroep…" under "Beroepsmatig totaal"
    assert nodes["Beroep: medisch: totaal"].parent == "A048205"
    assert nodes["Beroep: medisch: huisarts"].parent == "A048207"
    assert nodes["Beroep: medisch: verpleegkundige"].parent == "A048207"
    assert nodes["Gezondheidszorg: totaal"].parent == "T001038"
    roles = {t: n.role for t, n in nodes.items()}
    assert roles["Totaal"] == ROLE_TOTAL
    assert roles["Niet beroepsmatig totaal"] == roles["Beroepsmatig totaal"] == roles["Beroep: medisch: totaal"] == ROLE_SUBTOTAL
    assert roles["Gezondheidszorg: totaal"] == ROLE_PART  # a "…: totaal" without parts here is a part
    assert roles["Beroep: politie"] == roles["Korter dan 6 maanden"] == ROLE_PART


def test_share_parts_are_the_finest_exclusive_partition_of_each_breakdown(db):
    s = _structure(db, "84849NED", KENMERKEN)
    titles = [s.node(k).title for k in s.share_parts()]
    rol = [
        "Niet beroepsmatig: betrokkene zelf", "Niet beroepsmatig: familielid", "Niet beroepsmatig: anders",
        "Beroep: politie", "Beroep: medisch: huisarts", "Beroep: medisch: verpleegkundige", "Beroep: onderwijs",
        "Beroep: anders",
    ]
    organisatie = ["Gezondheidszorg: totaal", "Justitie en veiligheid: totaal", "Jeugdzorg: totaal", "Andere organisatie: anders"]
    duur = ["Korter dan 6 maanden", "6 maanden tot 2 jaar", "2 jaar of langer", "Duur onbekend"]
    assert titles == rol + organisatie + duur  # each group is a breakdown of the total with shares of its own
    assert len(s.share_breakdowns()) == 3


def test_multi_answer_from_a_group_description(db):
    s = _structure(db, "84851NED", "AardGeweldAanvullendeInformatie")
    aanvullend = next(b for b in s.breakdowns if b.group == "Aanvullende informatie")
    assert aanvullend.multi_answer and "meerdere antwoorden" in aanvullend.reason
    metadata_only = build_structure(db.categories("84851NED", "AardGeweldAanvullendeInformatie").drop(columns="data_multi_answer"))
    aard = next(b for b in metadata_only.breakdowns if b.group == "Aard geweld" and b.parent == metadata_only.total)
    assert not aard.multi_answer  # the metadata says nothing about it


def test_multi_answer_from_national_figures(db):
    cats = db.categories("84851NED", "AardGeweldAanvullendeInformatie")
    s = build_structure(cats.drop(columns="data_multi_answer"))
    spec = _view(db, "aard-geweld", "84851NED", checked=False)
    checked = data_check(s, _national(db, spec, "2023JJ00"))
    aard = next(b for b in checked.breakdowns if b.group == "Aard geweld" and b.parent == checked.total)
    assert aard.multi_answer and "meer dan 'Totaal'" in aard.reason
    kinder = next(b for b in checked.breakdowns if b.parent == "A048401")
    assert kinder.multi_answer  # 0.20 + 0.25 + 0.30 of the total exceed "Kindermishandeling: totaal" (0.50)
    assert checked.share_parts() == []
    # the same check, recorded at load time, reaches every reader of the categories
    stored = build_structure(cats)
    assert [b.multi_answer for b in stored.breakdowns] == [b.multi_answer for b in checked.breakdowns]
    assert "Nederland, 2023JJ00" in next(b for b in stored.breakdowns if b.parent == "A048401").reason


def test_exceeds_parent_tolerance():
    # 2 parts: tolerance 2.5 * 3 + 0.5 % of 1000 = 12.5
    assert not exceeds_parent(1000, [500, 512])
    assert exceeds_parent(1000, [500, 513])
    assert exceeds_parent(1000, [700, 400, None])  # a suppressed part can only add to the excess
    assert not exceeds_parent(1000, [1100, None])  # one known part: nothing to compare
    assert not exceeds_parent(None, [700, 400])
    assert not exceeds_parent(float("nan"), [700, 400])


def test_outcomes_per_form_are_multi_answer_but_their_subtotal_is_exclusive(db):
    spec = _view(db, "uitkomsten-onderzoek", "84853NED")
    titles = {c.key: c.title for c in spec.categories}
    assert spec.multi_answer and spec.has_shares
    assert [titles[c.key] for c in spec.share_parts] == ["Niet voortijdig afgesloten totaal", "Voortijdig afgesloten"]
    assert [c.title for c in spec.subtotals] == ["Niet voortijdig afgesloten totaal"]
    assert all(c.role == ROLE_PART for c in spec.parts)
    assert MULTI_ANSWER_CAPTION == "meerdere antwoorden mogelijk, telt niet op tot 100 %"
    assert spec.multi_answer_caption == MULTI_ANSWER_CAPTION


def test_topics_as_categories_with_a_nested_topic_group(db):
    spec = measures_view("85361NED", db.measures("85361NED"), group=None)
    roles = {c.title.strip(): c.role for c in spec.categories}
    assert spec.total_key == "TotaalOntvangenMeldingen_1"
    assert roles["Totaal"] == ROLE_SUBTOTAL
    assert [c.key for c in spec.share_parts] == [
        "EersteMelding_2", "Hermelding_3", "TijdensVeiligheidsbeoordeling_5", "NaVeiligheidsbeoordeling_6",
        "TijdensMonitoringDoorVT_7",
    ]
    relative = measures_view("85361NED", db.measures("85361NED"), group="Ontvangen meldingen (relatief)")
    assert relative.is_percent and not relative.has_shares and "percentages" in relative.no_share_reason
    kern = measures_view("84847NED", db.measures("84847NED"), group=None)
    assert kern.total_key is None and not kern.has_shares and "Geen totaal" in kern.no_share_reason


# ---------------------------------------------------------------------------
# Shares never add up to more than 100 % + rounding


def _views(db):
    for theme in THEMES:
        for table_id in theme.tables:
            dims = db.dimensions(table_id)
            if dims.empty:
                for group in measure_groups(db.measures(table_id)):
                    yield measures_view(table_id, db.measures(table_id), group=group)
                continue
            for dim in dims["key"]:
                yield _view(db, theme.slug, table_id, dim)


def _assert_shares_at_most_100(cells: pd.DataFrame, spec) -> int:
    drawn = cells[cells["share"].notna()]
    # several breakdowns of one total (rol/functie, organisatie) each add up to 100 % at most
    sums = drawn.groupby(["region", "period", "breakdown"]).agg(share=("share", "sum"), n=("share", "size")).reset_index()
    totals = (cells[cells["category"] == spec.total_key][["region", "period", "value"]]
              .drop_duplicates(["region", "period"]).rename(columns={"value": "total"}))
    sums = sums.merge(totals, on=["region", "period"], how="left")
    assert sums["total"].notna().all(), (spec.table_id, "a share without its total")
    limit = 1 + (ROUNDING_HALF_STEP * (sums["n"] + 1)) / sums["total"] + RELATIVE_MARGIN
    over = sums[sums["share"] > limit]
    assert over.empty, (spec.table_id, spec.dimension, over)
    return len(sums)


def test_no_set_of_shares_exceeds_100_percent_on_cbs_samples(db):
    checked = 0
    for spec in _views(db):
        cells = add_shares(_cells(db, spec), spec)
        assert not cells.loc[~cells["category"].isin(spec.share_keys), "share"].notna().any()
        checked += _assert_shares_at_most_100(cells, spec)
    assert checked > 100


def test_no_set_of_shares_exceeds_100_percent_on_demo(demo_db):
    demo = open_database(demo_db)
    checked = 0
    for spec in _views(demo):
        cells = add_shares(_cells(demo, spec, periods=["2023HJ01", "2023JJ00"]), spec)
        checked += _assert_shares_at_most_100(cells, spec)
    assert checked > 100


# ---------------------------------------------------------------------------
# Default category


def test_default_category_is_the_largest_exclusive_part(db):
    spec = _view(db, "rol-en-organisatie", "84849NED", measure="OntvangenMeldingen_2")
    cells = _cells(db, spec, ["NL01"], ["2023JJ00"])
    assert default_category(spec, cells) == "A048213"  # Justitie en veiligheid (organisatie), 0.42 of the total
    assert default_category(spec, None) == "A048202"  # without figures: the first exclusive part
    uitkomsten = _view(db, "uitkomsten-onderzoek", "84853NED")
    cells = _cells(db, uitkomsten, ["NL01"], ["2023JJ00"])
    assert default_category(uitkomsten, cells) == "A048611"  # Voortijdig afgesloten, never the subtotal
    aard = _view(db, "aard-geweld", "84851NED")
    cells = _cells(db, aard, ["NL01"], ["2023JJ00"])
    assert default_category(aard, cells) == "A048405"  # Partnergeweld (0.45): no exclusive part, largest part


# ---------------------------------------------------------------------------
# Periods, loading what fits


def test_nader_voorlopig_is_provisional(db):
    assert is_provisional("Nader voorlopig") and is_provisional("Voorlopig ") and not is_provisional("Definitief")
    assert not is_provisional(None) and period_label("2024HJ01", "Nader voorlopig").endswith("*")
    periods = db.periods().set_index("code")["status"]
    assert periods["2024HJ01"] == "Voorlopig" and periods["2023JJ00"] == "Definitief"
    spec = _view(db, "veiligheid", "84852NED")
    cells = _cells(db, spec, ["NL01"], ["2024HJ01", "2023HJ02"])
    assert cells.set_index("period")["provisional"].groupby(level=0).all().to_dict() == {"2023HJ02": False, "2024HJ01": True}


def test_unknown_region_prefix_and_fourth_dimension_load_what_fits(db):
    assert "CR01" not in set(db.categories("84854NED", "RegioS")["key"])
    assert any("CR01" in note for note in db.load_notes("84854NED"))
    assert list(db.dimensions("84855NED")["key"]) == ["OrganisatieVanOverdracht", "TypeHulp", "Leeftijd"]
    note = " ".join(db.load_notes("84855NED"))
    assert "Geslacht" in note and "Totaal mannen en vrouwen" in note
    assert len(db.tables()) == 10


def test_a_revision_that_moves_categories_between_groups(tmp_path):
    path = tmp_path / "vtdata.duckdb"
    _refresh_from(cbs_snapshots(revision=1), path)
    before = open_database(path)
    duur_before = _view(before, "duur-geweld", "84849NED")
    assert "A048219" in duur_before.category_keys
    _refresh_from(cbs_snapshots(revision=2), path)
    after = open_database(path)
    assert after.version != before.version
    s = _structure(after, "84849NED", KENMERKEN)
    assert s.node("A048209").group == "Rol/functie adviesvrager/melder › Beroepsmatig"  # moved up a level
    assert s.node("A048209").parent == "A048207"  # still under "Beroep: medisch: totaal"
    assert "A048209" in s.share_parts()
    duur = _view(after, "duur-geweld", "84849NED")
    # "Duur onbekend" left its group; as a breakdown of its own its title still places it in duur-geweld
    assert "A048219" in duur.category_keys and duur.has_shares
    rol = _view(after, "rol-en-organisatie", "84849NED")
    assert "A048219" not in rol.category_keys and "A048219" in {k for k, _, _ in rol.excluded}


# ---------------------------------------------------------------------------
# The report and the CLI


def test_theme_reports(db):
    reports = {t.slug: theme_report(db, t) for t in THEMES}
    assert all(r.empty_reason is None for r in reports.values())
    rol = reports["rol-en-organisatie"].tables[0]
    assert rol.table_id == "84849NED" and rol.views[0].total == {"key": "T001038", "title": "Totaal"}
    assert "Duur geweld" in json.dumps(rol.views[0].left_out, ensure_ascii=False)
    aard = reports["aard-geweld"].tables[0].views[0]
    assert aard.multi_answer and aard.share_parts == [] and "sluiten elkaar niet uit" in aard.no_share_reason
    text = "\n".join(report_lines(reports["overdrachten"]))
    assert "Geslacht" in text and "CR01" in text


def test_an_empty_choice_says_why_in_dutch(db):
    theme = Theme("leeg", "Iets heel anders", "intro", ("84849NED",), category_groups="bestaat-niet")
    report = theme_report(db, theme)
    assert report.empty_reason and "geen categorieën" in report.empty_reason and "bestaat-niet" in report.empty_reason
    missing = Theme("weg", "Weg", "intro", ("99999NED",))
    assert "zit in de database" in theme_report(db, missing).empty_reason


def _cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "vtdata", *args], capture_output=True, text=True, env=env, timeout=300)


def test_status_themes_cli(cbs_db):
    result = _cli("status", "--themes", "--db", str(cbs_db))
    assert result.returncode == 0, result.stderr
    for theme in THEMES:
        assert f"Thema {theme.slug} " in result.stdout
    assert "subtotaal: Beroep: medisch: totaal" in result.stdout
    assert "weggelaten bij het laden" in result.stdout
    result = _cli("status", "--json", "--themes", "--db", str(cbs_db))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [t["slug"] for t in doc["themes"]] == [t.slug for t in THEMES]
    veiligheid = next(t for t in doc["themes"] if t["slug"] == "veiligheid")["tables"][0]
    assert [v["dimension"] for v in veiligheid["views"]] == ["Veiligheidstaxatie", "Veiligheidsbeoordeling"]
    roles = {c["title"]: c["role"] for c in veiligheid["views"][0]["categories"]}
    assert roles["Totaal"] == "total" and roles["Acute onveiligheid"] == "part"


# ---------------------------------------------------------------------------
# The app on this data


# the not-found page is registered only for an unknown path (vtdata.ui.not_found), never switched to
PAGES = sorted(p.name for p in (ROOT / "app_pages").glob("*.py") if p.name != "niet_gevonden.py")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("region", ["GM1900", "VT01"])
def test_pages_render_on_cbs_samples(cbs_db, page, region, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("VTDATA_DB", str(cbs_db))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params["region"] = region
    at.query_params["period"] = "2024HJ01"
    at.run()
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]


def test_an_empty_theme_page_says_why(cbs_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("VTDATA_DB", str(cbs_db))
    script = (
        "from vtdata.model.catalog import Theme\n"
        "from vtdata.ui import theme as m\n"
        "m.THEMES_BY_SLUG['leeg'] = Theme('leeg', 'Iets heel anders', 'intro', ('84849NED',), category_groups='bestaat-niet')\n"
        "m.render_theme('leeg')\n"
    )
    at = AppTest.from_string(script, default_timeout=240)
    at.query_params["region"] = "NL01"
    at.run()
    assert not at.exception
    assert any("geen categorieën voor dit thema" in str(i.value) for i in at.info), [i.value for i in at.info]


@pytest.mark.parametrize("source", ["cbs", "demo"])
@pytest.mark.parametrize("slug", ["rol-en-organisatie", "aard-geweld", "uitkomsten-onderzoek", "eerdere-betrokkenheid"])
def test_drawn_shares_on_the_page_stay_within_100_percent(request, source, slug, monkeypatch):
    """The distribution chart the page draws: its shares add up to at most 100 % + rounding."""
    from streamlit.testing.v1 import AppTest

    from tests.test_theme_pages import _chart_rows

    path = request.getfixturevalue("cbs_db" if source == "cbs" else "demo_db")
    monkeypatch.setenv("VTDATA_DB", str(path))
    at = AppTest.from_string(f"from vtdata.ui.theme import render_theme\nrender_theme({slug!r})\n", default_timeout=240)
    at.query_params["region"] = "NL01"
    at.query_params["period"] = "2023JJ00"
    at.run()
    assert not at.exception
    rows = [r for r in _chart_rows(at.get("vega_lite_chart")[0]) if "category" in r]
    drawn = [r for r in rows if r.get("share") is not None and not math.isnan(r["share"])]
    shares = [r["share"] for r in drawn]
    assert rows
    # n shares rounded to 5 and their total: at most 2.5 * (n + 1) off, on totals of thousands; several
    # breakdowns of one total (rol/functie, organisatie) are told apart by `breakdown` and checked each
    for name in {r.get("breakdown") for r in drawn}:
        part = [r["share"] for r in drawn if r.get("breakdown") == name]
        assert sum(part) <= 1 + RELATIVE_MARGIN + 0.01, (name, [(r["category_title"], r.get("share")) for r in rows])
    if slug == "aard-geweld" and source == "cbs":
        assert not shares  # several forms per case: no shares at all


def test_split_by_sums_cuts_runs_that_each_add_up_to_the_total():
    values = {"a": 600.0, "b": 400.0, "z": 0.0, "c": 500.0, "d": 500.0}
    assert split_by_sums(1000, ["a", "b", "z", "c", "d"], values) == [["a", "b", "z"], ["c", "d"]]
    assert split_by_sums(1000, ["a", "b", "c"], values) is None  # the last run does not close
    assert split_by_sums(1000, ["a", "b", "x"], values) is None  # an unknown member: no decision
    assert split_by_sums(1000, ["a", "b"], values) is None  # one run is one breakdown, nothing to cut
    assert split_by_sums(900, ["a", "b", "c", "d"], values) is None  # overshoots: more answers, not a cut


def test_a_breakdown_no_theme_claims_is_shown_as_overig_not_dropped():
    """A third breakdown of 84849NED that no catalog pattern matches goes to the table's first theme, marked."""
    titles = ["Totaal", "Niet beroepsmatig totaal", "Beroepsmatig totaal", "Rol/functie onbekend",
              "Leeftijd slachtoffer: 0 tot 18 jaar", "Leeftijd slachtoffer: 18 tot 65 jaar", "Leeftijd slachtoffer: 65 jaar of ouder",
              "Duur geweld: korter dan 1 jaar", "Duur geweld: 1 jaar of langer", "Duur geweld: onbekend"]
    frame = pd.DataFrame({"key": [f"K{i}" for i in range(len(titles))], "title": titles, "group_title": None,
                          "position": range(len(titles))})
    s = build_structure(frame)
    sharing = tuple(t for t in THEMES if "84849NED" in t.tables)
    rol = select_for_theme(THEMES_BY_SLUG["rol-en-organisatie"], s, "84849NED", sharing)
    duur = select_for_theme(THEMES_BY_SLUG["duur-geweld"], s, "84849NED", sharing)
    leeftijd = {"K4", "K5", "K6"}
    assert leeftijd <= set(rol.keys) and set(rol.unplaced) == leeftijd  # shown by the first theme, marked
    assert not leeftijd & set(duur.keys) and {"K7", "K8", "K9"} <= set(duur.keys)
    assert all("past bij geen thema" in why for key, why in duur.excluded if key in leeftijd)
    shown = set(rol.keys) | set(duur.keys)
    assert shown == set(frame["key"])  # every category on some page
    spec = dimension_view(THEMES_BY_SLUG["rol-en-organisatie"], "84849NED",
                             pd.DataFrame({"key": ["M"], "title": ["Meldingen"], "unit": ["aantal"], "decimals": [0],
                                           "position": [0], "group_title": [None]}),
                             pd.DataFrame({"key": ["Kenmerken"], "title": ["Kenmerken"], "position": [0]}),
                             lambda d: frame, measure=None, dimension=None)
    assert "Overig / niet ingedeeld: Leeftijd slachtoffer: 0 tot 18 jaar" in unplaced_note(spec)
