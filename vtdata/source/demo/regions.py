"""The regions of the demo data: Nederland, landsdelen, provincies, VT-regio's, gemeenten.

Gemeente membership of a Veilig Thuis-regio per year comes from the bundled
`vtdata/geodata/gemeente_vt.csv`, so the demo follows the real yearly changes
(merged gemeenten, VT16 + VT26 becoming VT27 in 2023). Every region is listed in
every period; a region that does not exist in a year gets no (null) values.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from vtdata.source.demo.spec import stable_rng

FIRST_YEAR, LAST_YEAR = 2019, 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))

LANDSDELEN = {
    "LD01": ("Noord-Nederland (LD)", ("PV20", "PV21", "PV22")),
    "LD02": ("Oost-Nederland (LD)", ("PV23", "PV24", "PV25")),
    "LD03": ("West-Nederland (LD)", ("PV26", "PV27", "PV28", "PV29")),
    "LD04": ("Zuid-Nederland (LD)", ("PV30", "PV31")),
}

PROVINCIES = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}

# Demo approximation: each VT-regio is put in the one province holding (most of)
# it, and a gemeente's province is taken from its VT-regio. Real VT-regio's follow
# province borders closely, but this is not a CBS classification.
VT_PROVINCE = {
    "VT01": "PV27", "VT02": "PV22", "VT03": "PV24", "VT04": "PV21", "VT05": "PV25",
    "VT06": "PV25", "VT07": "PV27", "VT08": "PV20", "VT09": "PV28", "VT10": "PV28",
    "VT11": "PV23", "VT12": "PV27", "VT13": "PV31", "VT14": "PV25", "VT15": "PV30",
    "VT16": "PV30", "VT17": "PV27", "VT18": "PV28", "VT19": "PV23", "VT20": "PV26",
    "VT21": "PV30", "VT22": "PV27", "VT23": "PV29", "VT24": "PV28", "VT25": "PV31",
    "VT26": "PV30", "VT27": "PV30",
}

# Approximate populations (1 January 2023) of the larger and some well-known small
# gemeenten, so that demo rates and rankings look like the real thing; see the file's
# header: approximations for the demo, not CBS's figures. The others get a
# deterministic pseudo-random size in the range the listed ones leave open.
POPULATION_FILE = "geodata/gemeente_population.csv"
POPULATION_YEAR = 2023
UNLISTED_MEDIAN, UNLISTED_RANGE = 25_000, (9_000, 44_000)


def read_known_population() -> dict[str, int]:
    """gemeente name -> approximate population, from the bundled file (comment lines start with '#')."""
    text = resources.files("vtdata").joinpath(POPULATION_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {r["gemeente_naam"]: int(r["inwoners"]) for r in csv.DictReader(lines)}


@dataclass(frozen=True)
class Region:
    code: str  # unpadded, e.g. "NL01", "GM0363"
    title: str  # StatLine title, e.g. "Utrecht (PV)"
    level: str  # NL | LD | PV | VT | GM


@dataclass
class Geography:
    """All regions plus, per year, which gemeenten make up each region."""

    regions: list[Region]
    gemeenten: list[str]  # gemeente codes, sorted; the rows of the value arrays
    vt_codes: list[str]  # VT01..VT27
    vt_of: np.ndarray  # (G, years): index into vt_codes, -1 when the gemeente does not exist
    sizes: np.ndarray  # (G,) population-like size
    listed: frozenset[str] = frozenset()  # gemeenten whose size is an approximate real population

    def index(self) -> dict[str, int]:
        return {r.code: i for i, r in enumerate(self.regions)}

    def membership(self, year: int) -> np.ndarray:
        """(R, G) 0/1 matrix: gemeente g lies in region r in `year`."""
        y = year - FIRST_YEAR
        idx = self.index()
        matrix = np.zeros((len(self.regions), len(self.gemeenten)))
        for g, code in enumerate(self.gemeenten):
            v = self.vt_of[g, y]
            if v < 0:
                continue
            vt = self.vt_codes[v]
            pv = VT_PROVINCE[vt]
            ld = next(k for k, (_, pvs) in LANDSDELEN.items() if pv in pvs)
            for target in ("NL01", ld, pv, vt, code):
                matrix[idx[target], g] = 1.0
        return matrix


def _read_membership() -> list[dict]:
    text = resources.files("vtdata").joinpath("geodata/gemeente_vt.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _latest(rows: list[dict], key: str, name: str) -> dict[str, str]:
    """The name of each code in the latest year it appears (CBS titles use the newest name)."""
    names: dict[str, tuple[int, str]] = {}
    for r in rows:
        year = int(r["year"])
        if r[key] not in names or year >= names[r[key]][0]:
            names[r[key]] = (year, r[name])
    return {code: n for code, (_, n) in names.items()}


def _gemeente_sizes(gemeenten: list[str], vt_of: np.ndarray, known: dict[str, int]) -> np.ndarray:
    """Population-like sizes: the listed gemeenten's approximate population, else a pseudo-random one.

    A gemeente created by a merger inherits its predecessors' size; when the new
    gemeente's size is listed, its predecessors are scaled to add up to it instead.
    """
    low, high = UNLISTED_RANGE
    sizes = np.array(
        [known.get(code) or float(np.clip(stable_rng("size", code).lognormal(np.log(UNLISTED_MEDIAN), 0.35), low, high))
         for code in gemeenten], dtype=float,
    )
    exists = vt_of >= 0
    for y in range(1, len(YEARS)):
        new = np.flatnonzero(exists[:, y] & ~exists[:, y - 1])
        gone = np.flatnonzero(exists[:, y - 1] & ~exists[:, y])
        for vt in np.unique(vt_of[new, y]):
            heirs = new[vt_of[new, y] == vt]
            # predecessors: gemeenten that ended last year in the same VT-regio
            lost = gone[vt_of[gone, y - 1] == vt]
            if not lost.size:
                continue
            if all(gemeenten[h] in known for h in heirs):
                sizes[lost] *= sizes[heirs].sum() / sizes[lost].sum()
            else:
                sizes[heirs] = sizes[lost].sum() / heirs.size
    return sizes


@lru_cache(maxsize=1)
def geography() -> Geography:
    rows = _read_membership()
    gemeente_names = _latest(rows, "gemeente_code", "gemeente_naam")
    vt_names = _latest(rows, "vt_code", "vt_naam")
    gemeenten = sorted(gemeente_names)
    vt_codes = sorted(vt_names)

    vt_of = np.full((len(gemeenten), len(YEARS)), -1, dtype=np.int64)
    g_index = {c: i for i, c in enumerate(gemeenten)}
    v_index = {c: i for i, c in enumerate(vt_codes)}
    for r in rows:
        vt_of[g_index[r["gemeente_code"]], int(r["year"]) - FIRST_YEAR] = v_index[r["vt_code"]]

    # A gemeente named like a province or VT-regio gets "(gemeente)", as on StatLine.
    clashing = set(PROVINCIES.values()) | set(vt_names.values())
    regions = [Region("NL01", "Nederland", "NL")]
    regions += [Region(code, title, "LD") for code, (title, _) in LANDSDELEN.items()]
    regions += [Region(code, f"{name} (PV)", "PV") for code, name in PROVINCIES.items()]
    regions += [Region(code, f"{vt_names[code]} (VT)", "VT") for code in vt_codes]
    regions += [
        Region(code, f"{gemeente_names[code]} (gemeente)" if gemeente_names[code] in clashing else gemeente_names[code], "GM")
        for code in gemeenten
    ]
    code_of = {r["gemeente_naam"]: r["gemeente_code"] for r in rows if int(r["year"]) == POPULATION_YEAR}
    known = {code_of[name]: size for name, size in read_known_population().items()}
    return Geography(regions, gemeenten, vt_codes, vt_of, _gemeente_sizes(gemeenten, vt_of, known), frozenset(known))
