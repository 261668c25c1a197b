"""The region profile: its figures equal the query API, and the HTML, PDF, CLI and page show them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vtdata.format import format_value
from vtdata.outputs.profile import ProfileError, build_profile, profile_html
from vtdata.outputs.profile_pdf import profile_pdf

ROOT = Path(__file__).resolve().parents[1]
TABLE = "84847NED"
GEMEENTE, PERIOD = "GM0363", "2023HJ01"


@pytest.fixture(scope="module")
def db(demo_db):
    from vtdata.storage.queries import open_database

    return open_database(demo_db)


@pytest.fixture(scope="module")
def profile(db):
    return build_profile(db, GEMEENTE, PERIOD)


def cell(db, region, period, measure):
    """(value or None, suppressed) straight from the query API."""
    obs = db.observations(TABLE, regions=[region], periods=[period], measures=[measure])
    if obs.empty:
        return None, False
    row = obs.iloc[0]
    return (None if bool(row["suppressed"]) else float(row["value"])), bool(row["suppressed"])


def test_figures_equal_the_query_api(db, profile):
    vt = db.vt_region_of(GEMEENTE, 2023)
    assert [c.code for c in profile.compared] == [GEMEENTE, vt, "NL01"]
    measures = db.measures(TABLE)
    assert [item for item, _ in profile.items] == measures.sort_values("position")["key"].tolist()
    for key in measures["key"]:
        for role, code in (("regio", GEMEENTE), ("vt", vt), ("nl", "NL01")):
            now, _ = cell(db, code, PERIOD, key)
            year_before, _ = cell(db, code, "2022HJ01", key)
            row = profile.row(key, role)
            assert row["value"] == pytest.approx(now) if now is not None else row["value"] is None
            if now is not None and year_before is not None:
                assert row["change"] == pytest.approx(now - year_before)
        three_before, _ = cell(db, GEMEENTE, "2020HJ01", key)
        now, _ = cell(db, GEMEENTE, PERIOD, key)
        row3 = profile.row(key, "regio", 3)
        if now is not None and three_before is not None:
            assert row3["change"] == pytest.approx(now - three_before)


def test_html_shows_the_figures_and_is_self_contained(db, profile):
    page = profile_html(profile)
    assert page.startswith("<!DOCTYPE html>") and "Regioprofiel Amsterdam" in page
    measures = db.measures(TABLE)
    for r in measures.itertuples(index=False):
        now, secret = cell(db, GEMEENTE, PERIOD, r.key)
        label = format_value(now, r.unit, int(r.decimals or 0), secret)
        assert re.search(rf"<tr><td>{re.escape(escape(r.title))}</td><td[^>]*>{re.escape(label)}</td>", page), r.title
    for external in ("src=", "<link", "<script", "@import", "url("):
        assert external not in page
    assert "@page { size: A4" in page and "@media print" in page
    assert "Demonstratiegegevens, geen CBS-cijfers" in page  # demo data never pass for CBS figures
    assert "niet beschikbaar" in page or "per 1.000" in page  # rates, or why not


def test_pdf_is_one_or_two_a4_pages(profile):
    pdf = profile_pdf(profile)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert 1 <= pages <= 2
    assert re.search(rb"/MediaBox \[0 0 595\.28 841\.89\]", pdf)


def test_a_vt_region_compares_with_nederland_only(db):
    p = build_profile(db, "vt01")
    assert p.region == "VT01" and [c.role for c in p.compared] == ["regio", "nl"]
    assert p.period == max(db.categories(TABLE, "Perioden")["key"])


@pytest.mark.parametrize("region, period, message", [
    ("GM9999", None, "Onbekende regio 'GM9999'"),
    ("", None, "Onbekende regio"),
    (GEMEENTE, "2031HJ01", "Periode '2031HJ01' zit niet in de cijfers"),
])
def test_unknown_region_or_period_is_one_dutch_sentence(db, region, period, message):
    with pytest.raises(ProfileError, match=re.escape(message)):
        build_profile(db, region, period)


# --------------------------------------------------------------------------- CLI


def run_cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "vtdata", "profile", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_writes_html_and_pdf(demo_db, tmp_path, profile):
    html_file, pdf_file = tmp_path / "profiel.html", tmp_path / "profiel.pdf"
    for target in (html_file, pdf_file):
        result = run_cli(GEMEENTE, "--period", PERIOD, "--output", str(target), "--db", str(demo_db))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert html_file.read_text(encoding="utf-8") == profile_html(profile)
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("args", [("GM9999",), (GEMEENTE, "--period", "2023X"), (GEMEENTE, "--output", "p.docx")])
def test_cli_fails_with_one_dutch_line_and_writes_nothing(demo_db, tmp_path, args):
    target = tmp_path / "out.html"
    extra = () if "--output" in args else ("--output", str(target))
    result = run_cli(*args, *extra, "--db", str(demo_db))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout:"), result.stderr
    assert not target.exists()


# --------------------------------------------------------------------------- page


def test_regioprofiel_page_shows_the_profile_with_downloads(demo_db, profile):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["region"] = GEMEENTE
    at.query_params["period"] = PERIOD
    at.run()
    at.switch_page("app_pages/regioprofiel.py").run()
    assert not at.exception
    bodies = "\n".join(e.proto.body for e in at.get("html"))
    assert profile_html(profile, standalone=False) in bodies
    assert "@media print" in bodies
    labels = [b.proto.label for b in at.get("download_button")]
    # the profile's own downloads (the sidebar also offers the session's notes)
    assert [label for label in labels if label.startswith("Download als")] == ["Download als PDF", "Download als HTML"]


def test_regioprofiel_is_a_registered_url_path(demo_db):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    paths = {info.get("url_pathname", "") for info in at._registered_pages.values()}
    assert "regioprofiel" in paths


def test_rates_per_1000_inwoners_equal_count_over_population(db, profile):
    population = db.population([c.code for c in profile.compared], 2023).set_index("region")
    assert not population.empty, "the demo database holds the population (CBS 03759ned)"
    assert "aantal / inwoners op 1 januari 2023" in profile.rates_note
    checked = 0
    for r in db.measures(TABLE).itertuples(index=False):
        for c in profile.compared:
            now, _ = cell(db, c.code, PERIOD, r.key)
            hit = profile.rates[(profile.rates["item"] == r.key) & (profile.rates["role"] == c.role)]
            basis = hit["basis"].iloc[0]
            if now is None or c.code not in population.index:
                continue
            assert hit["rate"].iloc[0] == pytest.approx(now / float(population.loc[c.code, basis]) * 1000)
            checked += 1
    assert checked >= len(profile.items)
    assert "Per 1.000 inwoners = aantal / inwoners" in profile_html(profile)


def test_html_uses_the_app_s_font(profile):
    """Streamlit's own font (the theme sets none), with a fallback for the file opened on its own."""
    from vtdata.outputs.profile import CSS

    assert re.search(r'\.vtp \{ font-family: "Source Sans",', CSS)


def test_pdf_table_headings_break_only_between_words(profile):
    """'Amsterdam-Amstelland' fits its column whole: fpdf2 would otherwise split it inside the word."""
    from vtdata.outputs.profile import figures_table, rates_table
    from vtdata.outputs.profile_pdf import _Pdf

    pdf = _Pdf("test")
    pdf.add_page()
    for model, first in ((figures_table(profile), 46), (rates_table(profile), 70)):
        n = sum(span for _, span in model.head[0])
        widths = [first] + [(pdf.epw - first) / max(n - 1, 1)] * (n - 1)
        size = pdf.head_size(model, widths, 0.8)
        pdf.font(size, bold=True)
        rooms = []  # the width of each heading cell that names the VT-regio
        for row in model.head:
            col = 0
            for text, span in row:
                if "Amsterdam-Amstelland" in text:
                    rooms.append(sum(widths[col:col + span]) - 1.6)
                col += span
        assert rooms and all(pdf.get_string_width("Amsterdam-Amstelland") <= room for room in rooms), (size, rooms)
