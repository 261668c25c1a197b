"""A refresh: source -> new database version -> validate -> publish.

Whatever goes wrong (network, bad payload, full disk, Ctrl-C, a killed
process), the published version is never touched: the new version is built in
its own `.part` file and becomes current only through the atomic link swap in
`vtdata.store.publish`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from vtdata import geo, loader, population, store
from vtdata.catalog import TABLES
from vtdata.schema import INDEX_SQL, SCHEMA_VERSION
from vtdata.validate import validate

DEFAULT_STATLINE_URL = "https://opendata.cbs.nl"
SOURCES = ("statline", "demo")
COPIED_TABLES = ("stat_tables", "measures", "dimensions", "categories", "category_groups", "load_notes",
                 "breakdown_checks", "observations")


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

    @property
    def skipped(self) -> bool:
        return self.version is None


def statline_url() -> str:
    return os.environ.get("VTDATA_STATLINE_URL") or DEFAULT_STATLINE_URL


def _download_options() -> dict:
    """Retries can be lowered (e.g. in tests) with VTDATA_STATLINE_RETRIES."""
    retries = os.environ.get("VTDATA_STATLINE_RETRIES")
    return {"retries": int(retries)} if retries and retries.isdigit() else {}


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
    with store.refresh_lock(db):
        store.cleanup(db)
        previous = store.current_version(db)
        held = _held_modified(previous, source) if previous else {}
        stale = _stale_tables(wanted, held) if if_stale and source == "statline" else wanted
        kept = [t for t in held if t not in stale and t in TABLES]
        if not stale:
            return RefreshResult(db, source, None, [], kept, time.monotonic() - started)
        snapshots = _fetch(source, stale, progress)
        people, missing = _fetch_population(source, progress)
        built = store.new_version_path(db)
        try:
            missing = _build(built, snapshots, previous, kept, source, stale + kept, people, missing)
            version = store.publish(db, built)
        except BaseException:
            store.discard(built)
            raise
        store.cleanup(db)
    return RefreshResult(db, source, version, stale, kept, time.monotonic() - started, missing)


def _fetch_population(source: str, progress):
    """(snapshot, None), or (None, the Dutch reason): a failed population download does not stop a refresh."""
    from vtdata.statline import StatLineError

    try:
        return population.fetch(source, progress, **(_download_options() if source == "statline" else {})), None
    except StatLineError as exc:
        return None, str(exc)


def _fetch(source: str, table_ids: list[str], progress):
    if source == "demo":
        from vtdata.demo import build_demo_snapshots

        return build_demo_snapshots(table_ids)
    from vtdata import statline

    statline.configure(statline_url())
    return statline.download_tables(table_ids, progress=progress, **_download_options())


def _stale_tables(wanted: list[str], held: dict[str, str]) -> list[str]:
    """The wanted tables that StatLine changed since the held version (by TableInfos.Modified)."""
    from vtdata import statline

    statline.configure(statline_url())
    infos = statline.fetch_table_infos(wanted, **_download_options())
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


def _build(
    path: Path, snapshots, previous: Path | None, kept: list[str], source: str, table_ids: list[str],
    people=None, people_missing: str | None = None,
) -> str | None:
    """Build and validate a version; returns why the population is missing (None: it is in)."""
    con = duckdb.connect(str(path))
    try:
        loader.create_schema(con)
        for snapshot in snapshots:
            loader.load_snapshot(con, snapshot)
        if kept:
            _copy_tables(con, previous, kept)
        loader.derive_regions_and_periods(con)
        years = [row[0] for row in con.execute("SELECT DISTINCT year FROM periods ORDER BY year").fetchall()]
        geo.load_into(con, years)
        missing = population.load_or_reason(con, people, people_missing)
        loader.write_meta(
            con,
            {
                "source": source,
                "refreshed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "statline_url": statline_url() if source == "statline" else "",
                "schema_version": SCHEMA_VERSION,
                **({population.MISSING_REASON_KEY: missing} if missing else {}),
            },
        )
        con.execute(INDEX_SQL)
        validate(con, table_ids)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return missing


def _copy_tables(con, previous: Path, table_ids: list[str]) -> None:
    quoted = str(previous).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS previous (READ_ONLY)")
    try:
        marks = ", ".join("?" for _ in table_ids)
        for name in COPIED_TABLES:
            con.execute(f"INSERT INTO {name} SELECT * FROM previous.{name} WHERE table_id IN ({marks})", table_ids)
    finally:
        con.execute("DETACH previous")
