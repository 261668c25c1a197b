"""A synthetic CBS 03759ned (population on 1 January) in StatLine shape, for the demo.

Per gemeente and year: a population that grows a little (its own rate); the
gemeenten listed in ``geodata/gemeente_population.csv`` keep their approximate
real size on 1 January 2023 (growing a little before and after) and the others are scaled so that Nederland
follows the real totals (about 17.3 million in 2019 to 18.0
million in 2025), with a gemeente-specific share of minderjarigen around 19.5 %.
Each gemeente's population is split over ages (single years 0-19, then five-year
bands) as whole persons; every published age category, region and Nederland is
a sum of those, so totals add up exactly (population counts are not rounded).

The dimensions and keys are shaped like StatLine's: Geslacht, Leeftijd,
BurgerlijkeStaat, RegioS (padded keys; NL, landsdelen, provincies, gemeenten)
and Perioden (``2019JJ00`` ...). Leeftijd has many more categories than the
refresh needs, so its server-side filter matters. To keep the demo small the
TypedDataSet is not the full cube StatLine has: it holds every age and region
for the totals of Geslacht and BurgerlijkeStaat, and the other Geslacht and
BurgerlijkeStaat combinations for Nederland at all ages together only.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from vtdata.model.catalog import POPULATION_TABLE
from vtdata.source.demo.odata import DEMO_NOTE, MODIFIED, region_rows
from vtdata.source.demo.regions import FIRST_YEAR, POPULATION_YEAR, YEARS, geography
from vtdata.source.demo.spec import stable_rng
from vtdata.source.snapshot import CATEGORY_GROUPS, DATA_PROPERTIES, TABLE_INFOS, TYPED_DATA_SET, TableSnapshot

TABLE_ID = POPULATION_TABLE.id
NATIONAL_2019, GROWTH_PER_YEAR = 17_282_163, 127_000  # ~18.04 million in 2025
MINOR_SHARE = 0.195
REGION_LEVELS = ("NL", "LD", "PV", "GM")  # as 03759ned: no VT-regio's

# Age bands the population is split over: ages 0..19 one by one, then five-year bands.
BANDS = [(a, a + 1) for a in range(20)] + [(a, a + 5) for a in range(20, 95, 5)] + [(95, 999)]
# Share of the adult population (18+) per band from 18 on, roughly as in the Netherlands.
ADULT_WEIGHTS = [1.2, 1.25, 6.5, 6.8, 6.6, 6.2, 5.9, 6.3, 7.2, 7.3, 6.7, 5.9, 5.4, 4.0, 2.6, 1.5, 0.6, 0.15]


def _age_categories() -> list[tuple[str, str, tuple[int, int]]]:
    """(key, title, (first age, end age)) of Leeftijd in StatLine order: total, groups, single years."""
    cats = [("10000", "Totaal", (0, 999))]
    cats += [(f"{70100 + i * 100}", f"{a} tot {a + 5} jaar", (a, a + 5)) for i, a in enumerate(range(0, 15, 5))]
    cats += [(f"{10160 + i * 10}", f"{a} jaar", (a, a + 1)) for i, a in enumerate(range(15, 20))]
    cats += [("70400", "15 tot 20 jaar", (15, 20))]
    cats += [(f"{70500 + i * 100}", f"{a} tot {a + 5} jaar", (a, a + 5)) for i, a in enumerate(range(20, 95, 5))]
    cats += [("22000", "95 jaar of ouder", (95, 999))]
    cats += [("52000", "0 tot 20 jaar", (0, 20)), ("53100", "20 tot 65 jaar", (20, 65)), ("21700", "65 jaar of ouder", (65, 999))]
    return cats


GESLACHT = [("T001038", "Totaal mannen en vrouwen", 1.0), ("3000", "Mannen", 0.497), ("4000", "Vrouwen", 0.503)]
BURGERLIJKE_STAAT = [
    ("T001019", "Totaal burgerlijke staat", 1.0),
    ("1010", "Ongehuwd", 0.49),
    ("1020", "Gehuwd", 0.37),
    ("1050", "Verweduwd", 0.05),
    ("1080", "Gescheiden", 0.09),
]


def _split(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Whole numbers per weight that add up to each total exactly (largest remainder)."""
    raw = totals[:, None] * weights / weights.sum(axis=-1, keepdims=True)
    base = np.floor(raw)
    short = (totals - base.sum(axis=1)).astype(int)
    order = np.argsort(-(raw - base), axis=1, kind="stable")
    rank = np.argsort(order, axis=1, kind="stable")
    return base + (rank < short[:, None])


@lru_cache(maxsize=1)
def band_counts() -> tuple[np.ndarray, np.ndarray]:
    """Persons per gemeente, year and age band (G, Y, B), and whether the gemeente exists (G, Y)."""
    geo = geography()
    exists = geo.vt_of >= 0
    growth = np.array([stable_rng("population-growth", c).normal(0.005, 0.006) for c in geo.gemeenten])
    share = np.array([np.clip(MINOR_SHARE * np.exp(stable_rng("minors", c).normal(0, 0.08)), 0.14, 0.26)
                      for c in geo.gemeenten])
    t = np.arange(len(YEARS))
    # sizes are of POPULATION_YEAR: grow (or shrink back) from there
    raw = geo.sizes[:, None] * (1 + growth[:, None]) ** (t - (POPULATION_YEAR - FIRST_YEAR))[None, :] * exists
    national = NATIONAL_2019 + GROWTH_PER_YEAR * t
    # The listed gemeenten keep their approximate real size; the others make up the national total.
    large = np.array([c in geo.listed for c in geo.gemeenten])
    raw[~large] *= (national - raw[large].sum(axis=0)) / raw[~large].sum(axis=0)
    totals = np.round(raw).astype(np.int64)  # (G, Y)
    minors = np.round(totals * share[:, None])
    per_age_minor = np.ones(18)
    adult_weights = np.array(ADULT_WEIGHTS)
    counts = np.zeros((*totals.shape, len(BANDS)))
    for y in range(len(YEARS)):
        counts[:, y, :18] = _split(minors[:, y], np.broadcast_to(per_age_minor, (len(totals), 18)))
        counts[:, y, 18:] = _split(totals[:, y] - minors[:, y], np.broadcast_to(adult_weights, (len(totals), 18)))
    return counts, exists


def _category_matrix(cats) -> np.ndarray:
    """(C, B) 0/1: band b lies in category c."""
    return np.array([[1.0 if first <= lo and hi <= end else 0.0 for lo, hi in BANDS] for _, _, (first, end) in cats])


def build_demo_population() -> TableSnapshot:
    geo = geography()
    counts, exists = band_counts()
    regions = [r for r in geo.regions if r.level in REGION_LEVELS]
    region_index = {r.code: i for i, r in enumerate(geo.regions)}
    gemeente_index = {c: g for g, c in enumerate(geo.gemeenten)}
    ages = _age_categories()
    in_category = _category_matrix(ages)
    periods = [f"{y}JJ00" for y in YEARS]
    rows: list[dict] = []
    sex_total, bs_total = GESLACHT[0][0], BURGERLIJKE_STAAT[0][0]
    for y, period in enumerate(periods):
        by_region = geo.membership(FIRST_YEAR + y) @ counts[:, y, :] @ in_category.T  # (R, C)
        for region in regions:
            values = by_region[region_index[region.code]]
            absent = region.level == "GM" and not exists[gemeente_index[region.code], y]
            for (key, _, _), value in zip(ages, values):
                rows.append(_row(sex_total, key, bs_total, region.code, period, None if absent else int(value)))
        national = by_region[region_index["NL01"]][0]
        for sex, _, sex_share in GESLACHT:
            for bs, _, bs_share in BURGERLIJKE_STAAT:
                if (sex, bs) != (sex_total, bs_total):
                    rows.append(_row(sex, ages[0][0], bs, "NL01", period, int(round(national * sex_share * bs_share))))
    for i, row in enumerate(rows):
        row["ID"] = i
    return TableSnapshot(
        TABLE_ID,
        {
            TABLE_INFOS: [_table_info(len(rows))],
            DATA_PROPERTIES: _data_properties(),
            CATEGORY_GROUPS: [],
            "Geslacht": [_category(k, t) for k, t, _ in GESLACHT],
            "Leeftijd": [_category(k, t) for k, t, _ in ages],
            "BurgerlijkeStaat": [_category(k, t) for k, t, _ in BURGERLIJKE_STAAT],
            "RegioS": region_rows(regions),
            "Perioden": [{"Key": p, "Title": p[:4], "Description": None, "Status": "Definitief"} for p in periods],
            TYPED_DATA_SET: rows,
        },
    )


def _row(sex: str, age: str, bs: str, region: str, period: str, value: int | None) -> dict:
    average = None if value is None else float(round(value * 1.0035))
    return {"ID": 0, "Geslacht": sex, "Leeftijd": age, "BurgerlijkeStaat": bs, "RegioS": region.ljust(6),
            "Perioden": period, "BevolkingOp1Januari_1": value, "GemiddeldeBevolking_2": average}


def _category(key: str, title: str) -> dict:
    return {"Key": key, "Title": title, "Description": None, "CategoryGroupID": None}


def _data_properties() -> list[dict]:
    def prop(pid, type_, **fields):
        return {"odata.type": f"Cbs.OData.{type_}", "ID": pid, "Position": pid, "ParentID": None, "Type": type_, **fields}

    return [
        prop(0, "Dimension", Key="Geslacht", Title="Geslacht", Description=None, Default="Selected"),
        prop(1, "Dimension", Key="Leeftijd", Title="Leeftijd", Description="Leeftijd op 1 januari.", Default="Selected"),
        prop(2, "Dimension", Key="BurgerlijkeStaat", Title="Burgerlijke staat", Description=None, Default="Selected"),
        prop(3, "GeoDimension", Key="RegioS", Title="Regio's", Description=None, Default="Selected"),
        prop(4, "TimeDimension", Key="Perioden", Title="Perioden", Description=None, Default="Selected"),
        prop(5, "Topic", Key="BevolkingOp1Januari_1", Title="Bevolking op 1 januari", Description=None,
             Datatype="Long", Unit="aantal", Decimals=0, Default="Selected", PresentationType="Absolute"),
        prop(6, "Topic", Key="GemiddeldeBevolking_2", Title="Gemiddelde bevolking", Description=None,
             Datatype="Double", Unit="aantal", Decimals=0, Default="Impossible", PresentationType="Absolute"),
    ]


def _table_info(n_rows: int) -> dict:
    return {
        "ID": 0,
        "Title": POPULATION_TABLE.title,
        "ShortTitle": "Bevolking; geslacht, leeftijd, regio",
        "Identifier": TABLE_ID,
        "Summary": "Bevolking op 1 januari en gemiddeld naar geslacht, leeftijd en regio\n"
                   "Synthetische demonstratiecijfers, geen CBS-cijfers",
        "Modified": MODIFIED,
        "MetaDataModified": MODIFIED,
        "ReasonDelivery": "Actualisering",
        "Source": "vtdata (demonstratiegegevens)",
        "Language": "nl",
        "Catalog": "CBS",
        "Frequency": "Perjaar",
        "Period": f"{YEARS[0]} - {YEARS[-1]}",
        "ShortDescription": f"{DEMO_NOTE}\n\nDe bevolking op 1 januari per regio, naar geslacht, leeftijd en burgerlijke staat.",
        "Description": f"{DEMO_NOTE}\n\nDeze demonstratietabel heeft de opbouw van StatLine-tabel {TABLE_ID} van het CBS.",
        "RecordCount": n_rows,
        "ColumnCount": 8,
    }
