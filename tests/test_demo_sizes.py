"""The demo population follows the bundled approximate populations, so demo rates look real."""

from __future__ import annotations

import csv
from importlib import resources

from vtdata.source.demo.population import band_counts
from vtdata.source.demo.regions import POPULATION_YEAR, FIRST_YEAR, geography, read_known_population


def demo_population(year: int) -> dict[str, float]:
    geo = geography()
    counts, exists = band_counts()
    y = year - FIRST_YEAR
    return {c: counts[g, y].sum() for g, c in enumerate(geo.gemeenten) if exists[g, y]}


def codes_by_name() -> dict[str, str]:
    """The gemeenten of the population's year, by the name they had then."""
    text = resources.files("vtdata").joinpath("geodata/gemeente_vt.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["gemeente_naam"]: r["gemeente_code"] for r in rows if int(r["year"]) == POPULATION_YEAR}


def test_every_listed_name_is_a_gemeente_of_that_year():
    listed = read_known_population()
    assert len(listed) > 150 and set(listed) <= set(codes_by_name())


def test_listed_gemeenten_have_about_their_real_size():
    people = demo_population(POPULATION_YEAR)
    by_name = {name: people[code] for name, code in codes_by_name().items()}
    for name, size in read_known_population().items():
        assert abs(by_name[name] / size - 1) < 0.01, (name, by_name[name], size)
    # the implausible figures of issue 18
    assert by_name["Schiermonnikoog"] < 2_000 and by_name["Haarlem"] > 140_000 and by_name["Deventer"] > 90_000


def test_the_others_fill_the_national_total_with_mid_sized_gemeenten():
    people = demo_population(POPULATION_YEAR)
    listed = geography().listed
    others = [v for c, v in people.items() if c not in listed]
    assert 17_500_000 < sum(people.values()) < 18_100_000
    assert others and all(5_000 < v < 60_000 for v in others)
