"""Where the database lives, its versions, and atomic publication.

`VTDATA_DB` (default data/vtdata.duckdb) is a symbolic link to the current
version file in `<stem>.versions/`. A refresh builds a new version beside the
old ones and only then swaps the link with os.replace, which is atomic: a
reader sees either the old or the new complete database, never a partial one,
and a process that has the old version open keeps reading it undisturbed.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime, timezone
from pathlib import Path

try:  # advisory lock against two refreshes at once; POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

DEFAULT_DB = Path("data") / "vtdata.duckdb"
PART_SUFFIX = ".part"


class StoreError(Exception):
    """A problem with the database location, with a one-line Dutch message."""


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The published database path: the argument, else $VTDATA_DB, else the default."""
    return Path(path or os.environ.get("VTDATA_DB") or DEFAULT_DB)


def versions_dir(db: Path) -> Path:
    return db.parent / f"{db.stem}.versions"


def current_version(db: Path) -> Path | None:
    """The file the database path points at now, None when nothing is published."""
    if not db.exists():
        return None
    return db.resolve()


def new_version_path(db: Path) -> Path:
    """A fresh, not yet existing build file for the next version."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    folder = versions_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{db.stem}-{stamp}.duckdb{PART_SUFFIX}"


def publish(db: Path, built: Path) -> Path:
    """Make a complete, validated build file the current version, atomically."""
    final = built.with_name(built.name.removesuffix(PART_SUFFIX))
    os.replace(built, final)
    _fsync_dir(final.parent)
    if db.exists() and not db.is_symlink():
        # A plain database file from elsewhere: keep it as an old version, never lose it.
        os.replace(db, versions_dir(db) / f"{db.stem}-adopted-{os.getpid()}.duckdb")
    link_tmp = db.parent / f".{db.name}.{os.getpid()}.link"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    os.symlink(os.path.relpath(final, db.parent), link_tmp)
    os.replace(link_tmp, db)
    _fsync_dir(db.parent)
    return final


def discard(built: Path) -> None:
    """Remove a build that failed; the published version is not touched."""
    for path in (built, built.with_name(built.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def cleanup(db: Path, keep: int = 2) -> list[Path]:
    """Remove old versions beyond the newest `keep` and builds left by killed refreshes.

    Only called while holding the refresh lock, so no build is in progress.
    Readers that still have a removed version open keep reading it (POSIX).
    """
    folder = versions_dir(db)
    if not folder.is_dir():
        return []
    current = current_version(db)
    removed = []
    for part in folder.glob(f"*{PART_SUFFIX}*"):
        discard(part)
        removed.append(part)
    versions = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[keep:]:
        if old != current:
            discard(old)
            removed.append(old)
    return removed


@contextlib.contextmanager
def refresh_lock(db: Path):
    """Hold the exclusive refresh lock of this database, or fail at once."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.parent / f"{db.name}.lock"
    with open(lock_path, "a+") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"Er loopt al een verversing van {db}; probeer het later opnieuw.") from None
        yield


def refresh_running(db: Path) -> bool:
    """True while another process holds the refresh lock of this database."""
    lock_path = db.parent / f"{db.name}.lock"
    if fcntl is None or not lock_path.exists():
        return False
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
