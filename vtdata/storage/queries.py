"""Read-only access to the published database, as tidy pandas frames.

One read-only DuckDB connection per process and database version; every query
runs on its own cursor, because a connection shared between Streamlit's
threads is not safe. `open_database()` notices a newly published version and
opens that one instead.
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vtdata.storage.cells import TableKeys
from vtdata.storage.schema import CATEGORY_SLOTS, SCHEMA_SQL
from vtdata.storage.store import StoreError, current_version, db_path

_lock = threading.Lock()
_open: dict[Path, Database] = {}

# The tables this module reads; their columns must be as in vtdata.storage.schema.
REQUIRED_TABLES = (
    "meta", "stat_tables", "measures", "dimensions", "categories", "observations",
    "regions", "periods", "geo_shapes", "gemeente_vt",
)  # fmt: skip
_COLUMNS_SQL = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
_expected_columns: dict[str, set[str]] | None = None


def _columns(con) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table, column in con.execute(_COLUMNS_SQL).fetchall():
        found.setdefault(table, set()).add(column)
    return found


def expected_columns() -> dict[str, set[str]]:
    """Columns per required table, read from the schema itself (an in-memory database)."""
    global _expected_columns
    if _expected_columns is None:
        con = duckdb.connect()
        try:
            con.execute(SCHEMA_SQL)
            _expected_columns = {t: c for t, c in _columns(con).items() if t in REQUIRED_TABLES}
        finally:
            con.close()
    return _expected_columns


def schema_problem(con) -> str | None:
    """What is missing from a database's schema (first problem), None when complete."""
    found = _columns(con)
    for table, columns in expected_columns().items():
        if table not in found:
            return f"tabel {table} ontbreekt"
        missing = sorted(columns - found[table])
        if missing:
            return f"kolom {table}.{missing[0]} ontbreekt"
    return None


def open_database(path=None) -> Database:
    """The process-wide Database for the current version at `path` (or $VTDATA_DB)."""
    db = db_path(path)
    version = current_version(db)
    if version is None:
        raise StoreError(f"Er is nog geen database op {db}; maak er een met: python -m vtdata refresh")
    with _lock:
        database = _open.get(version)
        if database is None:
            database = Database(version)
            _open.clear()  # older versions: their cursors finish, then they are garbage
            _open[version] = database
        return database


def _placeholders(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


# A longer list (a map's gemeenten) selects most cells anyway: it is applied to the fetched
# cells, since binding hundreds of `?` (or matching a list parameter) costs more than the scan.
_LONG_LIST = 32


# Columns of `Database.categories` that newer schemas have (category_groups, breakdown_checks.segment).
_CATEGORY_CHECKS = (
    ", (SELECT first(g.description) FROM category_groups g WHERE g.table_id = c.table_id"
    " AND g.dimension = c.dimension AND g.path = c.group_title) AS group_description"
    ", (SELECT first(b.reason) FROM breakdown_checks b WHERE b.table_id = c.table_id"
    " AND b.dimension = c.dimension AND b.key = c.key) AS data_multi_answer"
)
_CATEGORY_SEGMENT = (
    ", (SELECT first(b.segment) FROM breakdown_checks b WHERE b.table_id = c.table_id"
    " AND b.dimension = c.dimension AND b.key = c.key) AS data_segment"
)


class Database:
    """One published database version, opened read-only."""

    def __init__(self, version_file: Path):
        self.path = Path(version_file)
        try:
            self._con = duckdb.connect(str(self.path), read_only=True)
            problem = schema_problem(self._con)
            self._meta = {} if problem else dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.Error as exc:
            raise StoreError(f"De database {self.path.name} is onleesbaar ({type(exc).__name__}).") from exc
        if problem:
            self._con.close()
            raise StoreError(
                f"De database {self.path.name} is onvolledig ({problem}); bouw hem opnieuw met: python -m vtdata refresh"
            )
        self._cursor_lock = threading.Lock()
        self._keys: dict[str, TableKeys] = {}
        self._holding: dict[str, tuple[str, ...]] = {}

    # -- plumbing -------------------------------------------------------------

    @property
    def version(self) -> str:
        return self.path.name

    def query(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        with self._cursor_lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, list(params)).df()
        finally:
            cursor.close()

    def _arrow(self, sql: str, params: Sequence = ()) -> pa.Table:
        with self._cursor_lock:
            cursor = self._con.cursor()
        try:
            return cursor.sql(sql, params=list(params)).to_arrow_table()
        finally:
            cursor.close()

    # -- metadata -------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self._meta)

    @property
    def is_demo(self) -> bool:
        return self._meta.get("source") == "demo"

    def tables(self) -> pd.DataFrame:
        return self.query("SELECT * FROM stat_tables ORDER BY table_id")

    def regions(self, levels: Sequence[str] | None = None) -> pd.DataFrame:
        sql = "SELECT code, title, name, level FROM regions"
        params: list = []
        if levels:
            sql += f" WHERE level IN ({_placeholders(levels)})"
            params = list(levels)
        order = "CASE level WHEN 'NL' THEN 0 WHEN 'LD' THEN 1 WHEN 'PV' THEN 2 WHEN 'VT' THEN 3 ELSE 4 END"
        return self.query(f"{sql} ORDER BY {order}, name", params)

    def periods(self) -> pd.DataFrame:
        return self.query("SELECT code, title, year, kind, status FROM periods ORDER BY year, kind = 'JJ', code")

    def measures(self, table_id: str) -> pd.DataFrame:
        return self.query(
            "SELECT key, title, description, unit, decimals, group_title, position FROM measures "
            "WHERE table_id = ? ORDER BY position",
            [table_id],
        )

    def dimensions(self, table_id: str) -> pd.DataFrame:
        """The category dimensions of a table (not RegioS or Perioden)."""
        return self.query(
            "SELECT key, title, slot, position FROM dimensions WHERE table_id = ? AND slot IS NOT NULL ORDER BY slot",
            [table_id],
        )

    def categories(self, table_id: str, dimension: str) -> pd.DataFrame:
        """`key, title, group_title, position, status, description`, `group_description` (of its
        CategoryGroup), `data_multi_answer` (why Nederland's figures show its breakdown allows more answers)
        and `data_segment` (which breakdown of the total the figures put it in, see `vtdata.storage.breakdown_check`).

        A database of an older schema lacks some of these: the columns it has are returned."""
        for extra in (_CATEGORY_CHECKS + _CATEGORY_SEGMENT, _CATEGORY_CHECKS, ""):
            try:
                return self.query(
                    "SELECT c.key, c.title, c.group_title, c.position, c.status, c.description" + extra
                    + " FROM categories c WHERE c.table_id = ? AND c.dimension = ? ORDER BY c.position",
                    [table_id, dimension],
                )
            except (duckdb.CatalogException, duckdb.BinderException):  # an older schema
                continue
        raise AssertionError("unreachable: the last query needs only the categories table")

    def category_groups(self, table_id: str, dimension: str) -> pd.DataFrame:
        """CategoryGroups of a dimension: `id, title, description, path` (empty for an older database)."""
        try:
            return self.query(
                "SELECT id, title, description, path FROM category_groups WHERE table_id = ? AND dimension = ?",
                [table_id, dimension],
            )
        except duckdb.CatalogException:
            return pd.DataFrame(columns=["id", "title", "description", "path"])

    def load_notes(self, table_id: str) -> list[str]:
        """What the load left out of a table and why (Dutch); empty for an older database."""
        try:
            return self.query("SELECT note FROM load_notes WHERE table_id = ?", [table_id])["note"].tolist()
        except duckdb.CatalogException:
            return []

    def structure_notes(self, table_id: str) -> list[str]:
        """What the checks before publishing reported without refusing (Dutch); empty for an older database."""
        try:
            return self.query("SELECT note FROM structure_notes WHERE table_id = ?", [table_id])["note"].tolist()
        except duckdb.CatalogException:
            return []

    def tables_holding(self, region: str) -> list[str]:
        """The tables with a cell for `region` (remembered: a published version never changes, and a
        page asks for each of its regions several times per run)."""
        found = self._holding.get(region)
        if found is None:
            frame = self.query(
                "SELECT table_id FROM categories WHERE dimension = 'RegioS' AND key = ? ORDER BY table_id", [region]
            )
            found = self._holding[region] = tuple(frame["table_id"])
        return list(found)

    # -- figures --------------------------------------------------------------

    def observations(
        self,
        table_id: str,
        regions: Sequence[str] | None = None,
        periods: Sequence[str] | None = None,
        measures: Sequence[str] | None = None,
        categories: dict[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """Tidy cells of one table; suppressed cells have NaN and suppressed=True.

        Only the cells come from the observations table (which the loader stores
        sorted by table, region and period, so DuckDB skips most of it); titles
        and order come from the table's keys, read once (`vtdata.storage.cells`).
        """
        keys = self._table_keys(table_id)
        where, params = ["table_id = ?"], [table_id]
        filters = [("region", regions), ("period", periods), ("measure", measures)]
        for key, values in (categories or {}).items():
            if key not in keys.slot_of:
                raise KeyError(f"tabel {table_id} heeft geen dimensie {key}")
            filters.append((keys.slot_of[key], values))
        long_lists = []
        for column, values in filters:  # columns come from the schema, never from input
            if values is None:
                continue
            values = list(values)
            if len(values) > _LONG_LIST:
                long_lists.append((column, values))
            else:
                where.append(f"{column} IN ({_placeholders(values) or 'NULL'})")
                params += values
        columns = ["region", "period", *keys.slot_of.values(), "measure", "value", "suppressed"]
        cells = self._arrow(f"SELECT {', '.join(columns)} FROM observations WHERE {' AND '.join(where)}", params)
        for column, values in long_lists:
            cells = cells.filter(pc.is_in(cells[column], value_set=pa.array(values, pa.string())))
        return keys.tidy(cells)

    def _table_keys(self, table_id: str) -> TableKeys:
        """Titles, units and positions of one table, read once per Database (they never change)."""
        keys = self._keys.get(table_id)
        if keys is None:
            keys = TableKeys(table_id, self._arrow)
            if any(slot not in CATEGORY_SLOTS for slot in keys.slot_of.values()):  # slots become column names
                raise StoreError(
                    f"De database {self.path.name} is onleesbaar (onbekende kolom in dimensions van {table_id})."
                )
            with self._cursor_lock:
                keys = self._keys.setdefault(table_id, keys)
        return keys

    # -- population (for rates) -----------------------------------------------

    def population(self, regions: Sequence[str] | None, year: int | Sequence[int]) -> pd.DataFrame:
        """Population on 1 January of `year` (or of several years, in one query): region, year,
        inwoners, minderjarigen (0-17), ordered by year and region.

        Regions without a figure for that year are simply absent; so is every
        region when the database holds no population (see `population_status`).
        """
        years = [int(year)] if isinstance(year, numbers.Integral) else [int(y) for y in year]
        sql = f"SELECT region, year, inwoners, minderjarigen FROM population WHERE year IN ({_placeholders(years) or 'NULL'})"
        params: list = list(years)
        if regions is not None:
            sql += f" AND region IN ({_placeholders(regions) or 'NULL'})"
            params += list(regions)
        try:
            return self.query(sql + " ORDER BY year, region", params)
        except duckdb.CatalogException:  # a version from before the population table
            return pd.DataFrame(columns=["region", "year", "inwoners", "minderjarigen"])

    def population_status(self) -> str | None:
        """None when the population is present, else why not (Dutch, for the user)."""
        reason = self._meta.get("population_missing_reason")
        if reason:
            return reason
        try:
            held = self.query("SELECT count(*) AS n FROM population")["n"].iloc[0]
        except duckdb.CatalogException:
            held = 0
        return None if held else "Geen bevolkingscijfers in deze database; ververs de database om cijfers per 1.000 inwoners te zien."

    # -- geography ------------------------------------------------------------

    def vt_region_of(self, gemeente: str, year: int) -> str | None:
        frame = self.query(
            "SELECT vt_region FROM gemeente_vt WHERE gemeente = ? AND year = "
            "(SELECT coalesce(max(year) FILTER (WHERE year <= ?), min(year)) FROM gemeente_vt)",
            [gemeente, year],
        )
        return None if frame.empty else frame.iloc[0, 0]

    def gemeenten_of(self, vt_region: str, year: int) -> list[str]:
        frame = self.query(
            "SELECT gemeente FROM gemeente_vt WHERE vt_region = ? AND year = "
            "(SELECT coalesce(max(year) FILTER (WHERE year <= ?), min(year)) FROM gemeente_vt) ORDER BY gemeente",
            [vt_region, year],
        )
        return frame["gemeente"].tolist()

    def memberships(self, years: Sequence[int]) -> pd.DataFrame:
        """year, vt_region, gemeente for each of `years`, by the rule of `gemeenten_of`, in one query."""
        years = [int(y) for y in years]
        if not years:
            return pd.DataFrame({"year": [], "vt_region": [], "gemeente": []})
        return self.query(
            "SELECT y.year, m.vt_region, m.gemeente FROM (SELECT unnest(?::INTEGER[]) AS year) y "
            "JOIN gemeente_vt m ON m.year = (SELECT coalesce(max(g.year) FILTER (WHERE g.year <= y.year), "
            "min(g.year)) FROM gemeente_vt g) ORDER BY y.year, m.vt_region, m.gemeente",
            [years],
        )

    def shapes(self, level: str, year: int) -> pd.DataFrame:
        """Boundaries of a level for a figure of `year`: that year's, else the nearest earlier one."""
        return self.query(
            "SELECT code, name, geometry FROM geo_shapes WHERE level = ? AND year = "
            "(SELECT coalesce(max(year) FILTER (WHERE year <= ?), min(year)) FROM geo_shapes WHERE level = ?) "
            "ORDER BY code",
            [level, year, level],
        )


__all__ = ["Database", "open_database", "CATEGORY_SLOTS"]
