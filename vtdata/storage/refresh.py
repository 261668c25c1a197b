"""A refresh: source -> new database version -> validate -> publish.

Whatever goes wrong (network, bad payload, full disk, Ctrl-C, a killed
process), the published version is never touched: the new version is built in
its own `.part` file and becomes current only through the atomic link swap in
`vtdata.storage.store.publish`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from collections.abc import Callable

import duckdb

from vtdata import settings

from vtdata.storage import geo

from vtdata.storage import loader

from vtdata.storage import population

from vtdata.storage import store
from vtdata.model.catalog import TABLES
from vtdata.storage.schema import SCHEMA_VERSION
from vtdata.source.urls import without_credentials
from vtdata.storage.validate import validate

DEFAULT_STATLINE_URL = "https://opendata.cbs.nl"
SOURCES = ("statline", "demo")
COPIED_TABLES = ("stat_tables", "measures", "dimensions", "categories", "category_groups", "load_notes",
                 "breakdown_checks", "observations")
# Deadlines in seconds: a server that trickles bytes never trips a per-read timeout.
TABLE_DEADLINE_ENV, DEFAULT_TABLE_DEADLINE = "VTDATA_TABLE_DEADLINE", 600.0
REFRESH_DEADLINE_ENV, DEFAULT_REFRESH_DEADLINE = "VTDATA_REFRESH_DEADLINE", 1800.0


class RefreshError(Exception):
    """A refresh that failed, with a one-line Dutch message."""


@dataclass
class RefreshResult:
    db: Path
    source: str
    version: Path | None
    downloaded: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    seconds: float = 0.0
    population_missing: str | None = None  # why the population (rates) is missing, in Dutch
    warnings: list[str] = field(default_factory=list)  # published anyway, one Dutch line per table

    @property
    def skipped(self) -> bool:
        return self.version is None


def statline_url() -> str:
    return os.environ.get("VTDATA_STATLINE_URL") or DEFAULT_STATLINE_URL


def _download_options() -> dict:
    """Retries can be lowered (e.g. in tests) with VTDATA_STATLINE_RETRIES."""
    retries = os.environ.get("VTDATA_STATLINE_RETRIES")
    return {"retries": int(retries)} if retries and retries.isdigit() else {}


def _deadline_from_env(name: str, default: float) -> float:
    """Seconds from the environment variable `name` (a positive number), else `default`."""
    try:
        seconds = settings.positive_number(name)
    except ValueError as bad:
        raise RefreshError(f"{name} moet een positief aantal seconden zijn, niet {bad.args[0]!r}.") from None
    return default if seconds is None else seconds


def deadlines() -> tuple[float, float]:
    """(per table, whole refresh) in seconds, from VTDATA_TABLE_DEADLINE and VTDATA_REFRESH_DEADLINE."""
    return (
        _deadline_from_env(TABLE_DEADLINE_ENV, DEFAULT_TABLE_DEADLINE),
        _deadline_from_env(REFRESH_DEADLINE_ENV, DEFAULT_REFRESH_DEADLINE),
    )


def refresh(
    source: str = "statline",
    db: Path | str | None = None,
    if_stale: bool = False,
    progress: Callable | None = None,
    table_ids: list[str] | None = None,
) -> RefreshResult:
    """Build and publish a complete new database from `source`.

    `table_ids` limits the download to those tables (default: the whole
    catalog); tables of the current version from the same source that are not
    downloaded are copied over unchanged, so nothing is lost.
    """
    if source not in SOURCES:
        raise RefreshError(f"Onbekende bron {source!r}; kies uit {', '.join(SOURCES)}.")
    unknown = [t for t in table_ids or [] if t not in TABLES]
    if unknown:
        raise RefreshError(f"Onbekende tabel {unknown[0]}; bekend zijn: {', '.join(TABLES)}.")
    db = store.db_path(db)
    wanted = list(table_ids or TABLES)
    started = time.monotonic()
    table_deadline, refresh_deadline = deadlines()
    ends_at = started + refresh_deadline
    with store.refresh_lock(db):
        store.check_replaceable(db)
        store.cleanup(db)
        previous = store.current_version(db)
        held = _held_modified(previous, source) if previous else {}
        limits = {"table_deadline": table_deadline, "ends_at": ends_at}
        stale = _stale_tables(wanted, held, limits) if if_stale and source == "statline" else wanted
        kept = [t for t in held if t not in stale and t in TABLES]
        if not stale:
            return RefreshResult(db, source, None, [], kept, time.monotonic() - started)
        snapshots = _fetch(source, stale, progress, limits)
        people, missing = _fetch_population(source, progress, limits)
        built = store.new_version_path(db)
        try:
            missing, warnings = _build_interruptibly(built, snapshots, previous, kept, source, stale + kept, people, missing)
            if time.monotonic() > ends_at:
                raise RefreshError(
                    f"De verversing duurde langer dan de tijdslimiet van {refresh_deadline:g} s "
                    f"({REFRESH_DEADLINE_ENV}); de gepubliceerde database is ongewijzigd."
                )
            version = store.publish(db, built)
        except BaseException:
            store.discard(built)
            raise
        store.cleanup(db)
    return RefreshResult(db, source, version, stale, kept, time.monotonic() - started, missing, warnings)


def _fetch_population(source: str, progress, limits: dict):
    """(snapshot, None), or (None, the Dutch reason): a failed population download does not stop a refresh."""
    from vtdata.source.statline import StatLineError

    options = {**_download_options(), **_time_left(limits)} if source == "statline" else {}
    try:
        return population.fetch(source, progress, **options), None
    except StatLineError as exc:
        return None, str(exc)


def _time_left(limits: dict) -> dict:
    """Deadline keywords for a statline call: the table deadline and what is left of the refresh's."""
    return {"table_deadline": limits["table_deadline"], "deadline": max(0.001, limits["ends_at"] - time.monotonic())}


def _fetch(source: str, table_ids: list[str], progress, limits: dict):
    if source == "demo":
        from vtdata.source.demo import build_demo_snapshots

        return build_demo_snapshots(table_ids)
    from vtdata.source import statline

    statline.configure(statline_url())
    return statline.download_tables(table_ids, progress=progress, **_download_options(), **_time_left(limits))


def _stale_tables(wanted: list[str], held: dict[str, str], limits: dict) -> list[str]:
    """The wanted tables that StatLine changed since the held version (by TableInfos.Modified)."""
    from vtdata.source import statline

    statline.configure(statline_url())
    infos = statline.fetch_table_infos(wanted, **_download_options(), **_time_left(limits))
    return [t for t in wanted if t not in held or (infos[t].get("Modified") or "") > held[t]]


def _held_modified(version: Path, source: str) -> dict[str, str]:
    """Modified dates of the current version, if it came from the same source."""
    try:
        con = duckdb.connect(str(version), read_only=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("source") != source or meta.get("schema_version") != SCHEMA_VERSION:
                return {}
            return dict(con.execute("SELECT table_id, coalesce(modified, '') FROM stat_tables").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return {}


class _BuildThread(threading.Thread):
    """`_build` off the main thread, so a signal (Ctrl-C, SIGTERM) is handled at once.

    DuckDB looks at pending signals only between the tasks of a query, and not at
    all while its main thread waits for its workers: a signal could wait for the
    query to end, or come out as "Query interrupted". Here the main thread only
    waits; when the signal's exception arrives there, the build's queries are
    interrupted until the thread ends, and the exception goes on as raised.
    """

    def __init__(self, *args):
        super().__init__(name="vtdata-build", daemon=True)
        self.args, self.con, self.result, self.error = args, None, None, None

    def run(self) -> None:
        try:
            self.result = _build(*self.args, opened=self._opened)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self.error = exc

    def _opened(self, con) -> None:
        self.con = con

    def wait(self) -> tuple[str | None, list[str]]:
        try:
            while self.is_alive():
                self.join(0.1)
        except BaseException:
            while self.is_alive():  # a query started after the first interrupt is stopped too
                if self.con is not None:
                    with contextlib.suppress(duckdb.Error):  # closed meanwhile: the thread ends
                        self.con.interrupt()
                self.join(0.05)
            raise
        if self.error is not None:
            raise self.error
        return self.result


def _build_interruptibly(*args) -> tuple[str | None, list[str]]:
    build = _BuildThread(*args)
    build.start()
    return build.wait()


def _build(
    path: Path, snapshots, previous: Path | None, kept: list[str], source: str, table_ids: list[str],
    people=None, people_missing: str | None = None, opened: Callable | None = None,
) -> tuple[str | None, list[str]]:
    """Build and validate a version; returns why the population is missing (None: it is in) and the warnings."""
    con = duckdb.connect(str(path))
    if opened is not None:
        opened(con)
    try:
        loader.create_schema(con)
        for snapshot in snapshots:
            loader.load_snapshot(con, snapshot)
        if kept:
            _copy_tables(con, previous, kept)
        loader.derive_regions_and_periods(con)
        years = [row[0] for row in con.execute("SELECT DISTINCT year FROM periods ORDER BY year").fetchall()]
        # Boundaries of a year newer than the bundled ones come from PDOK on a StatLine
        # refresh (the newest bundled year when PDOK fails, see geo.load_into); demo data stay offline.
        geo.load_into(con, years, fetch=source == "statline")
        renamed = geo.align_vt_codes(con)  # before the population: VT sums follow the membership
        missing = population.load_or_reason(con, people, people_missing)
        loader.write_meta(
            con,
            {
                "source": source,
                "refreshed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "statline_url": without_credentials(statline_url()) if source == "statline" else "",
                "schema_version": SCHEMA_VERSION,
                **({population.MISSING_REASON_KEY: missing} if missing else {}),
            },
        )
        # a boundary code replaced by StatLine's is reported with the tables' warnings ("Let op:" lines)
        warnings = validate(con, table_ids) + [("grenzen", f"grenzen: {note}") for note in renamed]
        if warnings:
            con.executemany("INSERT INTO structure_notes VALUES (?, ?)", warnings)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return missing, [line for _, line in warnings]


def _copy_tables(con, previous: Path, table_ids: list[str]) -> None:
    quoted = str(previous).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS previous (READ_ONLY)")
    try:
        marks = ", ".join("?" for _ in table_ids)
        for name in COPIED_TABLES:
            con.execute(f"INSERT INTO {name} SELECT * FROM previous.{name} WHERE table_id IN ({marks})", table_ids)
    finally:
        con.execute("DETACH previous")
