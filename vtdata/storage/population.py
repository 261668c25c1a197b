"""Population on 1 January per region and year (CBS table 03759ned), for rates.

The table is refreshed with the Veilig Thuis tables, but only a small part of it
is downloaded: one OData ``$filter`` per year asks StatLine for exactly the cells
used. Every key is found by title in the table's own metadata:

- topic: the first topic titled "Bevolking op 1 januari..." (aantal);
- every category dimension other than Leeftijd (Geslacht, BurgerlijkeStaat):
  its category titled "Totaal..." ("Totaal mannen en vrouwen", ...);
- Leeftijd: its "Totaal..." category gives ``inwoners``; ``minderjarigen``
  (0 to 17 years on 1 January) is the sum of the fewest Leeftijd categories
  whose age ranges exactly tile the ages 0-17. A title "n jaar" is one year,
  "a tot b jaar" the ages a to b - 1, "jonger dan b jaar" 0 to b - 1. With
  single years that is "0 jaar" ... "17 jaar" (18 categories); with groups, e.g.
  "0 tot 5 jaar", "5 tot 10 jaar", "10 tot 15 jaar", "15 jaar", "16 jaar",
  "17 jaar". "15 tot 20 jaar" crosses 18 and is never used;
- Perioden: the years (``JJ00``) from `FIRST_YEAR`; the figure of ``2023JJ00``
  is the population on 1 January 2023;
- RegioS: Nederland (NL), landsdelen (LD), provincies (PV) and gemeenten (GM).

At load time the rows of the VT-regio's are added: per year the sum of the
member gemeenten of that year (`gemeente_vt`; for a year without membership
the nearest earlier one, as `Database.vt_region_of`). When a member's figure
is missing, so is the VT-regio's: never a partial sum.

A population that cannot be downloaded, loaded or validated does not stop a
refresh: `load_or_reason` rolls its rows back and returns the Dutch reason,
which the refresh keeps in `meta` as `population_missing_reason`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable

import duckdb
import pandas as pd

from vtdata.storage import loader
from vtdata.model.catalog import POPULATION_TABLE, region_level
from vtdata.source.snapshot import DATA_PROPERTIES, TYPED_DATA_SET, TableSnapshot

TABLE_ID = POPULATION_TABLE.id
FIRST_YEAR = 2019
LEVELS = ("NL", "LD", "PV", "GM")  # downloaded (landsdelen too: every VT table has them); VT is computed
ADULT_AGE = 18
MISSING_REASON_KEY = "population_missing_reason"

AGE_DIMENSION = "Leeftijd"
REGION_DIMENSION = "RegioS"
PERIOD_DIMENSION = "Perioden"
_TOPIC_TITLE = re.compile(r"^\s*bevolking op 1 januari", re.I)
_AGE_TITLES: tuple[tuple[re.Pattern, Callable], ...] = (
    (re.compile(r"^(\d+) jaar$"), lambda m: (int(m[1]), int(m[1]) + 1)),
    (re.compile(r"^(\d+) tot (\d+) jaar$"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^jonger dan (\d+) jaar$"), lambda m: (0, int(m[1]))),
)


class PopulationError(Exception):
    """The population table is unusable; one Dutch line saying why."""


@dataclass(frozen=True)
class Selection:
    """The keys (padded, as StatLine sends them) of the cells that make the population."""

    topic: str
    totals: dict[str, str]  # other category dimension -> its "Totaal" key
    age_total: str
    minor_ages: tuple[str, ...]
    periods: tuple[str, ...]
    national: tuple[str, ...]  # RegioS keys of level NL

    @property
    def ages(self) -> tuple[str, ...]:
        return (self.age_total, *self.minor_ages)


# --------------------------------------------------------------------------- choosing by title


def age_range(title: str) -> tuple[int, int] | None:
    """The ages [first, end) a Leeftijd title covers: "0 tot 5 jaar" -> (0, 5); None when unknown."""
    text = " ".join(str(title).lower().split())
    for pattern, make in _AGE_TITLES:
        match = pattern.match(text)
        if match:
            return make(match)
    return None


def minor_categories(categories: list[tuple[str, str]]) -> list[str] | None:
    """The keys of the fewest (key, title) categories that exactly tile the ages 0-17, youngest first."""
    pieces: dict[tuple[int, int], str] = {}
    for key, title in categories:
        ages = age_range(title)
        if ages and ages[0] < ages[1] <= ADULT_AGE:
            pieces.setdefault(ages, key)
    best: dict[int, list[str]] = {ADULT_AGE: []}  # best[a]: fewest keys tiling [a, 18)
    for start in range(ADULT_AGE - 1, -1, -1):
        options = [[key, *best[end]] for (first, end), key in pieces.items() if first == start and end in best]
        if options:
            best[start] = min(options, key=len)
    return best.get(0)


def _total_key(entities: dict, dimension: str) -> str:
    for category in entities.get(dimension, []):
        if str(category.get("Title", "")).strip().lower().startswith("totaal"):
            return category["Key"]
    raise PopulationError(f"tabel {TABLE_ID}: geen categorie 'Totaal' in {dimension}")


def select(entities: dict[str, list[dict]]) -> Selection:
    """Choose the cells from the table's metadata (see the module docstring); PopulationError if impossible."""
    props = entities.get(DATA_PROPERTIES) or []
    topics = [p for p in props if p.get("Type") == "Topic" and _TOPIC_TITLE.match(str(p.get("Title", "")))]
    if not topics:
        raise PopulationError(f"tabel {TABLE_ID}: geen onderwerp 'Bevolking op 1 januari'")
    dimensions = [p["Key"] for p in props if p.get("Type") == "Dimension"]
    if AGE_DIMENSION not in dimensions:
        raise PopulationError(f"tabel {TABLE_ID}: geen dimensie {AGE_DIMENSION}")
    ages = entities.get(AGE_DIMENSION, [])
    minors = minor_categories([(c["Key"], c.get("Title", "")) for c in ages])
    if not minors:
        raise PopulationError(f"tabel {TABLE_ID}: de leeftijdsindeling geeft geen 0 tot 18 jaar")
    periods = tuple(
        c["Key"] for c in entities.get(PERIOD_DIMENSION, [])
        if re.fullmatch(r"\d{4}JJ00", c["Key"].strip()) and int(c["Key"][:4]) >= FIRST_YEAR
    )  # fmt: skip
    if not periods:
        raise PopulationError(f"tabel {TABLE_ID}: geen jaren vanaf {FIRST_YEAR}")
    national = tuple(c["Key"] for c in entities.get(REGION_DIMENSION, []) if region_level(c["Key"]) == "NL")
    return Selection(
        topic=topics[0]["Key"],
        totals={d: _total_key(entities, d) for d in dimensions if d != AGE_DIMENSION},
        age_total=_total_key(entities, AGE_DIMENSION),
        minor_ages=tuple(minors),
        periods=periods,
        national=national,
    )


# --------------------------------------------------------------------------- the OData filter


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _any_of(dimension: str, keys) -> str:
    return "(" + " or ".join(f"{dimension} eq {_quote(k)}" for k in keys) + ")"


def odata_filters(selection: Selection) -> list[str]:
    """One ``$filter`` per year: the totals, the ages, the regions of `LEVELS`."""
    regions = [f"{REGION_DIMENSION} eq {_quote(k)}" for k in selection.national]
    regions += [f"substringof({_quote(level)}, {REGION_DIMENSION})" for level in LEVELS if level != "NL"]
    common = [f"{d} eq {_quote(k)}" for d, k in selection.totals.items()]
    common += [_any_of(AGE_DIMENSION, selection.ages), "(" + " or ".join(regions) + ")"]
    return [" and ".join([*common, f"{PERIOD_DIMENSION} eq {_quote(p)}"]) for p in selection.periods]


def filters_for(entities: dict[str, list[dict]]) -> list[str]:
    """`odata_filters` of the table's metadata, for `statline.download_filtered`."""
    from vtdata.source.statline import StatLineError

    try:
        return odata_filters(select(entities))
    except PopulationError as exc:
        raise StatLineError(str(exc), table_id=TABLE_ID) from None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise StatLineError(f"tabel {TABLE_ID} heeft onverwachte metadata ({type(exc).__name__})", table_id=TABLE_ID) from None


# --------------------------------------------------------------------------- from rows to the table


def selected_rows(snapshot: TableSnapshot, selection: Selection) -> list[dict]:
    """The TypedDataSet rows of the selected cells (all of them, after a filtered download)."""
    ages, periods = set(selection.ages), set(selection.periods)
    return [
        row
        for row in snapshot.rows
        if row.get(AGE_DIMENSION) in ages
        and row.get(PERIOD_DIMENSION) in periods
        and all(row.get(d) == key for d, key in selection.totals.items())
        and region_level(str(row.get(REGION_DIMENSION, ""))) in LEVELS
    ]


def population_frame(snapshot: TableSnapshot, selection: Selection) -> pd.DataFrame:
    """DataFrame[region, year, inwoners, minderjarigen] of NL, LD, PV and GM.

    The rows are filtered here too, so a whole table (the demo's) gives the same
    result as the filtered download. minderjarigen is NaN when one of its age
    categories is missing; a region-year without any figure is left out.
    """
    cells = [
        (row[REGION_DIMENSION].strip(), int(row[PERIOD_DIMENSION][:4]), row[AGE_DIMENSION], row.get(selection.topic))
        for row in selected_rows(snapshot, selection)
    ]
    columns = ["region", "year", "inwoners", "minderjarigen"]
    if not cells:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(cells, columns=["region", "year", "age", "value"])
    frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype(float)
    wide = frame.pivot_table(index=["region", "year"], columns="age", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=list(selection.ages))
    out = pd.DataFrame(
        {
            "inwoners": wide[selection.age_total],
            "minderjarigen": wide[list(selection.minor_ages)].sum(axis=1, min_count=len(selection.minor_ages))
            .where(wide[list(selection.minor_ages)].notna().all(axis=1)),
        }
    ).reset_index()
    out = out.dropna(subset=["inwoners", "minderjarigen"], how="all")
    return out[columns].sort_values(["region", "year"]).reset_index(drop=True)


VT_SUMS_SQL = """
INSERT INTO population
WITH years AS (SELECT DISTINCT year FROM population WHERE left(region, 2) = 'GM'),
     membership AS (
        SELECT y.year, g.vt_region, g.gemeente
        FROM years y
        JOIN gemeente_vt g ON g.year = (
            SELECT coalesce(max(m.year) FILTER (WHERE m.year <= y.year), min(m.year)) FROM gemeente_vt m))
SELECT m.vt_region, m.year,
       CASE WHEN count(p.inwoners) = count(*) THEN sum(p.inwoners) END,
       CASE WHEN count(p.minderjarigen) = count(*) THEN sum(p.minderjarigen) END
FROM membership m
LEFT JOIN population p ON p.region = m.gemeente AND p.year = m.year
GROUP BY m.vt_region, m.year
"""


def load_into(con: duckdb.DuckDBPyConnection, snapshot: TableSnapshot) -> int:
    """Write the population (and its stat_tables row) into a database being built; the rows written.

    Needs `gemeente_vt` to be loaded already (for the VT-regio sums).
    """
    try:
        selection = select(snapshot.entities)
        frame = population_frame(snapshot, selection)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise PopulationError(f"tabel {TABLE_ID} heeft een onverwachte vorm ({type(exc).__name__})") from exc
    if frame.empty:
        raise PopulationError(f"tabel {TABLE_ID} bevat geen bevolkingscijfers")
    used = TableSnapshot(snapshot.table_id, {**snapshot.entities, TYPED_DATA_SET: selected_rows(snapshot, selection)})
    loader.insert_table_info(con, used, sorted(p.strip() for p in selection.periods))
    loader.insert_rows(con, "population", list(frame.itertuples(index=False, name=None)))
    con.execute(VT_SUMS_SQL)
    return con.execute("SELECT count(*) FROM population").fetchone()[0]


def load_or_reason(con: duckdb.DuckDBPyConnection, snapshot: TableSnapshot | None, reason: str | None) -> str | None:
    """Load and validate the population in one transaction; None when it is in, else the Dutch reason.

    `reason` is why there is no snapshot (a failed download). On any problem the
    population rows and its stat_tables row are rolled back, nothing half-written.
    """
    if snapshot is None:
        return missing_reason(reason or "niet gedownload")
    from vtdata.storage.validate import population_problems

    con.execute("BEGIN TRANSACTION")
    try:
        load_into(con, snapshot)
        problems = population_problems(con)
        if problems:
            raise PopulationError(f"controle mislukt: {problems[0]}")
    except (PopulationError, loader.LoadError, duckdb.Error) as exc:
        con.execute("ROLLBACK")
        return missing_reason(str(exc))
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return None


def missing_reason(cause: str) -> str:
    """The Dutch sentence shown where rates would be."""
    cause = " ".join(str(cause).split()).rstrip(".")
    return f"Geen bevolkingscijfers (CBS-tabel {TABLE_ID}), dus geen cijfers per 1.000 inwoners: {cause}."


def fetch(source: str, progress=None, **options) -> TableSnapshot:
    """The population snapshot of `source` ("statline": filtered download; "demo": synthetic)."""
    if source == "demo":
        from vtdata.source.demo.population import build_demo_population

        return build_demo_population()
    from vtdata.source import statline

    return statline.download_filtered(TABLE_ID, filters_for, progress=progress, **options)
