"""Checks of a freshly built database before it is published.

Two kinds, on purpose: what makes the data untrustworthy (a missing or empty
table, cells that do not match the table's shape, unknown codes, non-finite
values) refuses the publish; statistical structure that differs from what we
expect (parts that do not add up to their total: real tables have multi-answer
breakdowns) is published and reported, one line per table, and the pages
degrade (no shares) instead of the whole database.
"""

from __future__ import annotations

import duckdb

from vtdata.model.catalog import REGION_LEVELS
from vtdata.storage.schema import CATEGORY_SLOTS

# A cell rounded to a multiple of 5 is off by at most 2.5, so a total and the
# sum of n exclusive categories may differ by at most 2.5 * (n + 1).
ROUNDING_HALF_STEP = 2.5
# No Veilig Thuis figure comes near this (the Netherlands has under 10^8 people);
# a larger value (say 1e308) is a broken or hostile payload, not a count.
MAX_ABS_VALUE = 1e12


class ValidationError(Exception):
    """The new database is not fit to publish; one-line Dutch message."""


def validate(con: duckdb.DuckDBPyConnection, expected_tables: list[str]) -> list[tuple[str, str]]:
    """Raise `ValidationError` on corruption; return the structure warnings: (table_id, Dutch line) per table."""
    problems = []
    for check in (_tables_present, _row_counts, _finite_values, _known_codes):
        problems.extend(check(con, expected_tables))
    if problems:
        more = f" (en {len(problems) - 1} andere problemen)" if len(problems) > 1 else ""
        raise ValidationError(f"Controle van de nieuwe database mislukt: {problems[0]}{more}.")
    return structure_warnings(con)


def structure_warnings(con) -> list[tuple[str, str]]:
    """Per table one line on national totals that differ from the sum of their parts (published anyway)."""
    by_table: dict[str, list[str]] = {}
    for table_id, text in _totals_add_up(con):
        by_table.setdefault(table_id, []).append(text)
    return [
        (table_id, f"{table_id}: {texts[0]}" + (f" (en {len(texts) - 1} andere cellen)" if len(texts) > 1 else "")
         + "; gepubliceerd, deze delen krijgen geen aandelen")
        for table_id, texts in sorted(by_table.items())
    ]


def _tables_present(con, expected):
    held = {row[0] for row in con.execute("SELECT table_id FROM stat_tables").fetchall()}
    return [f"tabel {t} ontbreekt" for t in expected if t not in held]


def _row_counts(con, expected):
    # Only the requested tables: the population table (03759ned) has no observations.
    rows = con.execute(
        """SELECT t.table_id, t.n_rows,
                  (SELECT count(*) FROM measures m WHERE m.table_id = t.table_id),
                  (SELECT count(*) FROM observations o WHERE o.table_id = t.table_id),
                  (SELECT count(*) FROM observations o WHERE o.table_id = t.table_id AND o.region = 'NL01')
           FROM stat_tables t WHERE list_contains(?, t.table_id)""",
        [list(expected)],
    ).fetchall()
    problems = []
    for table_id, n_rows, n_measures, n_cells, n_national in rows:
        if n_rows == 0:
            problems.append(f"tabel {table_id} is leeg")
        elif n_cells != n_rows * n_measures:
            problems.append(f"tabel {table_id} heeft {n_cells} cellen, verwacht {n_rows * n_measures}")
        elif n_national == 0:
            problems.append(f"tabel {table_id} bevat geen cijfers voor Nederland (NL01)")
    return problems


def _finite_values(con, expected):
    """Every published value is a finite number of sensible size (NaN, inf and 1e308 are not)."""
    rows = con.execute(
        """SELECT table_id, measure, region, period, CAST(value AS VARCHAR) FROM observations
           WHERE value IS NOT NULL AND (isnan(value) OR NOT isfinite(value) OR abs(value) > ?)
           LIMIT 3""",
        [MAX_ABS_VALUE],
    ).fetchall()
    return [
        f"onmogelijke waarde {value} in {table} ({measure}, {region}, {period})"
        for table, measure, region, period, value in rows
    ]


def _known_codes(con, expected):
    problems = []
    levels = ", ".join(f"'{level}'" for level in REGION_LEVELS)
    unknown_regions = con.execute(
        f"SELECT DISTINCT table_id, region FROM observations WHERE left(region, 2) NOT IN ({levels}) LIMIT 3"
    ).fetchall()
    problems += [f"onbekende regio {region} in {table}" for table, region in unknown_regions]
    for dimension, column in (("RegioS", "region"), ("Perioden", "period")):
        orphans = con.execute(
            f"""SELECT DISTINCT o.table_id, o.{column} FROM observations o
                ANTI JOIN categories c ON c.table_id = o.table_id AND c.dimension = ? AND c.key = o.{column}
                LIMIT 3""",
            [dimension],
        ).fetchall()
        problems += [f"{value} in {table} staat niet in {dimension}" for table, value in orphans]
    bad_periods = con.execute(
        "SELECT DISTINCT period FROM observations WHERE NOT regexp_full_match(period, '\\d{4}(HJ0[12]|JJ00)') LIMIT 3"
    ).fetchall()
    problems += [f"onbekende periode {p}" for (p,) in bad_periods]
    return problems


def _flat_dimensions(con):
    """Per category dimension: is it flat, and how many categories are titled 'Totaal...'.

    Flat means one total and otherwise ungrouped, non-subtotal categories.

    Only there do the categories partition the total; hierarchical dimensions
    (with subtotals or groups) are checked with the weaker 'no part exceeds
    the whole' rule.
    """
    return con.execute(
        """SELECT d.table_id, d.key, d.slot,
                  bool_and(c.group_title IS NULL AND (lower(c.title) LIKE 'totaal%' OR lower(c.title) NOT LIKE '%totaal%')) AS flat,
                  count(*) FILTER (WHERE lower(c.title) LIKE 'totaal%') AS n_totals
           FROM dimensions d JOIN categories c ON c.table_id = d.table_id AND c.dimension = d.key
           WHERE d.slot IS NOT NULL
           GROUP BY ALL"""
    ).fetchall()


def _totals_add_up(con):
    """(table_id, Dutch text) for national cells whose parts do not add up to the total."""
    problems = []
    for table_id, dimension, slot, flat, n_totals in _flat_dimensions(con):
        if n_totals != 1:
            continue
        total_key = con.execute(
            "SELECT key FROM categories WHERE table_id = ? AND dimension = ? AND lower(title) LIKE 'totaal%'",
            [table_id, dimension],
        ).fetchone()[0]
        others = [s for s in CATEGORY_SLOTS if s != slot]
        group_by = ", ".join(["period", "measure", *others])
        # National cells only, and only where no part is suppressed.
        rows = con.execute(
            f"""SELECT {group_by},
                       max(value) FILTER (WHERE {slot} = ?) AS total,
                       sum(value) FILTER (WHERE {slot} <> ?) AS parts,
                       max(value) FILTER (WHERE {slot} <> ?) AS largest_part,
                       count(*) FILTER (WHERE {slot} <> ?) AS n_parts,
                       bool_or(suppressed) AS any_suppressed
                FROM observations WHERE table_id = ? AND region = 'NL01'
                GROUP BY {group_by}""",
            [total_key] * 4 + [table_id],
        ).fetchall()
        for *key, total, parts, largest, n_parts, any_suppressed in rows:
            if total is None or any_suppressed:
                continue
            tolerance = ROUNDING_HALF_STEP * (n_parts + 1)
            where = ", ".join(str(k) for k in key if k)
            if flat and abs(total - parts) > tolerance:
                problems.append((table_id, f"{dimension}: totaal {total:g} wijkt af van de som {parts:g} van de delen "
                                           f"(Nederland, {where})"))
            elif not flat and largest is not None and largest > total + tolerance:
                problems.append((table_id, f"{dimension}: een categorie ({largest:g}) is groter dan het totaal "
                                           f"({total:g}) (Nederland, {where})"))
    return problems


# Plausible bounds of the national population on 1 January (about 17-18 million now).
NATIONAL_POPULATION = (15_000_000, 20_000_000)


def population_problems(con) -> list[str]:
    """What is wrong with the `population` table (empty list: fit to publish).

    Checked apart from `validate`: a failing population must not stop the
    Veilig Thuis figures from being published.
    """
    problems = []
    low, high = NATIONAL_POPULATION
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM population ORDER BY year").fetchall()]
    national = dict(con.execute("SELECT year, inwoners FROM population WHERE region = 'NL01'").fetchall())
    for year in years:
        total = national.get(year)
        if total is None or not low <= total <= high:
            shown = "ontbreekt" if total is None else f"is {total:,.0f}".replace(",", ".")
            problems.append(f"inwoners van Nederland op 1 januari {year} {shown}, verwacht 15 tot 20 miljoen")
    negative = con.execute(
        "SELECT region, year FROM population WHERE inwoners < 0 OR minderjarigen < 0 ORDER BY year, region LIMIT 3"
    ).fetchall()
    problems += [f"negatief aantal inwoners voor {region} in {year}" for region, year in negative]
    too_many = con.execute(
        "SELECT region, year FROM population WHERE minderjarigen >= inwoners ORDER BY year, region LIMIT 3"
    ).fetchall()
    problems += [f"meer minderjarigen dan inwoners voor {region} in {year}" for region, year in too_many]
    return problems
