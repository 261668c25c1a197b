"""Discussion prompts: documented rules, neutral wording, 2-4 questions, each with its rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from vtdata.figures import prompts as pr
from vtdata.figures.view_cells import add_shares
from vtdata.model.view_spec import MODE_DIMENSION, Category, ViewSpec

NAN = math.nan
JUDGING = ("te hoog", "te laag", "slecht", "zorgwekkend", "goed", "beter", "slechter", "probleem", "alarmerend", "onvoldoende")


def frame(rows):
    return pd.DataFrame(rows, columns=pr.FIGURE_COLUMNS)


def row(title, unit="aandeel", region=NAN, vt=NAN, nl=NAN, base=NAN, count=NAN, before=NAN, change_nl=NAN):
    return {"title": title, "unit": unit, "region": region, "vt_region": vt, "nederland": nl, "base": base,
            "count": count, "count_before": before, "change_nl": change_nl}


def test_share_far_above_the_national_share_gives_the_example_question():
    prompts = pr.discussion_prompts(
        frame([row("Acute onveiligheid", region=0.12, nl=0.08, base=400), row("Geen onveiligheid", region=0.5, nl=0.52, base=400)]),
        region_name="Haaglanden", period_label="1e halfjaar 2023",
    )
    first = prompts[0]
    assert first.rule == "afwijking-landelijk"
    assert first.text == (
        "Het aandeel acute onveiligheid in Haaglanden is 1,5× het landelijke (12,0% tegen 8,0%). "
        "Herkent u dit? Wat verklaart het?"
    )
    assert first.rule_text == pr.RULES["afwijking-landelijk"]


def test_small_bases_and_suppressed_cells_give_no_deviation():
    figures = frame([
        row("Klein", region=0.3, nl=0.1, base=pr.MIN_BASE - 5),  # base too small
        row("Geheim", region=NAN, nl=0.1, base=400),  # suppressed share
    ])
    prompts = pr.discussion_prompts(figures, region_name="X", period_label="P")
    assert all(p.rule != "afwijking-landelijk" for p in prompts)


def test_below_the_vt_region_and_a_change_over_time():
    figures = frame([
        row("Fysiek geweld", region=0.10, vt=0.20, nl=0.12, base=300, count=30, before=60),
        row("Psychisch geweld", region=0.30, vt=0.31, nl=0.30, base=300, count=90, before=88),
    ])
    prompts = pr.discussion_prompts(
        figures, region_name="Amsterdam", vt_region_name="Amsterdam-Amstelland", period_label="2023", before_label="2022"
    )
    rules = [p.rule for p in prompts]
    assert "afwijking-vt-regio" in rules
    vt = next(p for p in prompts if p.rule == "afwijking-vt-regio")
    assert "0,5× dat van Amsterdam-Amstelland (10,0% tegen 20,0%)" in vt.text
    assert 2 <= len(prompts) <= 4


def test_change_rule_with_independently_computed_percentage():
    figures = frame([row("Meldingen", unit="aantal", count=150, before=100), row("Adviezen", unit="aantal", count=101, before=100)])
    prompts = pr.discussion_prompts(figures, region_name="Utrecht", period_label="2023", before_label="2022")
    change = next(p for p in prompts if p.rule == "verandering")
    assert change.figure == "Meldingen"
    assert "van 100 (2022) naar 150 (2023), +50,0%" in change.text


def test_change_against_the_national_change():
    figures = frame([row("Overdrachten", unit="aantal", count=110, before=100, change_nl=30.0)])
    prompts = pr.discussion_prompts(figures, region_name="Twente", period_label="2023", before_label="2020")
    assert prompts[0].rule == "anders-dan-landelijk"
    assert "met +10,0%, landelijk met +30,0%" in prompts[0].text


def test_fallbacks_keep_at_least_two_prompts_when_nothing_stands_out():
    figures = frame([row("A", region=0.6, nl=0.58, base=500), row("B", region=0.4, nl=0.42, base=500)])
    prompts = pr.discussion_prompts(figures, region_name="Zeeland", period_label="2023")
    assert [p.rule for p in prompts] == ["grootste-aandeel", "dicht-bij-landelijk"]


@pytest.mark.parametrize("n", [1, 3, 10])
def test_at_most_four_prompts_one_per_figure_and_never_judging(n):
    figures = frame([row(f"Categorie {i}", region=0.05 * (i + 1), vt=0.01, nl=0.02, base=1000, count=200 + 100 * i, before=100) for i in range(n)])
    prompts = pr.discussion_prompts(figures, region_name="Regio", vt_region_name="VT", period_label="2023", before_label="2022")
    assert 1 <= len(prompts) <= pr.MAX_PROMPTS
    assert len({p.figure for p in prompts}) == len(prompts)
    for p in prompts:
        assert p.rule in pr.RULES
        assert p.text.rstrip().endswith("?")
        assert not any(word in p.text.lower().split() or f" {word} " in f" {p.text.lower()} " for word in JUDGING), p.text


def test_no_figures_no_prompts():
    assert pr.discussion_prompts(frame([]), region_name="X", period_label="P") == []


def test_figures_from_cells_takes_shares_of_region_vt_and_nederland():
    parts = (Category("A", "Acuut", parent="T001"), Category("B", "Structureel", parent="T001"))
    spec = ViewSpec("T", MODE_DIMENSION, (Category("T001", "Totaal", role="total"), *parts),
                    "T001", "aantal", 0, measure="M", dimension="D", share_parts=parts)
    rows = []
    for region, values in {"GM0518": (400, 60, 340), "VT15": (2000, 160, 1840), "NL01": (40000, 3200, 36800)}.items():
        for key, value in zip(("T001", "A", "B"), values):
            rows.append({"region": region, "period": "2023HJ01", "category": key, "category_title": spec.title_of(key),
                         "value": float(value), "suppressed": False})
    cells = add_shares(pd.DataFrame(rows), spec)
    figures = pr.figures_from_cells(cells, region="GM0518", vt_region="VT15", nederland="NL01", total_key="T001")
    acuut = figures[figures["title"] == "Acuut"].iloc[0]
    assert acuut["region"] == pytest.approx(60 / 400)
    assert acuut["vt_region"] == pytest.approx(160 / 2000)
    assert acuut["nederland"] == pytest.approx(3200 / 40000)
    assert acuut["base"] == 400
    prompts = pr.discussion_prompts(figures, region_name="'s-Gravenhage", vt_region_name="Haaglanden", period_label="2023")
    assert prompts[0].text.startswith("Het aandeel acuut in 's-Gravenhage is 1,9× het landelijke (15,0% tegen 8,0%).")
