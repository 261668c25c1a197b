"""Where the database lives, its versions, and atomic publication.

`VTDATA_DB` (default data/vtdata.duckdb) is a symbolic link to the current
version file in `<stem>.versions/`. A refresh builds a new version beside the
old ones and only then swaps the link with os.replace, which is atomic: a
reader sees either the old or the new complete database, never a partial one,
and a process that has the old version open keeps reading it undisturbed.

Only that link is ever replaced: anything else at the database path (a plain
file, a directory, a link elsewhere) is refused, never moved or deleted.
Reading needs no write access, so a published folder can be served read-only.
"""

from __future__ import annotations

import contextlib
import errno
import os
from datetime import UTC, datetime
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


_resolved_parents: dict[Path, Path] = {}


def current_version(db: Path) -> Path | None:
    """The file the database path points at now, None when nothing is published.

    Called several times per page run: one readlink instead of resolving the
    whole path each time (the folder's own resolution is remembered).
    """
    try:
        target = os.readlink(db)
    except OSError:  # not a link (or nothing there)
        return db.resolve() if db.exists() else None
    parent = _resolved_parents.get(db.parent)
    if parent is None:
        parent = _resolved_parents.setdefault(db.parent, db.parent.resolve())
    path = Path(os.path.normpath(parent / target))
    if path.is_symlink() or not path.exists():  # a chain of links, or a dangling one
        return db.resolve() if db.exists() else None
    return path


def new_version_path(db: Path) -> Path:
    """A fresh, not yet existing build file for the next version."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = versions_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{db.stem}-{stamp}.duckdb{PART_SUFFIX}"


def is_published_link(db: Path) -> bool:
    """Whether `db` is a link this store made: pointing at a version file in its versions folder."""
    if not db.is_symlink():
        return False
    target = Path(os.path.normpath(os.path.join(os.path.abspath(db.parent), os.readlink(db))))
    return (
        target.parent == Path(os.path.abspath(versions_dir(db)))
        and target.name.startswith(f"{db.stem}-")
        and target.name.endswith(".duckdb")
    )


def check_replaceable(db: Path) -> None:
    """Refuse (StoreError) when `db` holds anything but a link this store published.

    A refresh replaces only its own link: a plain file (whatever it holds), a
    directory or a foreign link at the database path is never moved or deleted.
    """
    if not os.path.lexists(db) or is_published_link(db):
        return
    if db.is_symlink():
        what = f"een koppeling naar {os.readlink(db)}"
    elif db.is_dir():
        what = "een map"
    else:
        what = "een bestand"
    raise StoreError(
        f"{db} is {what}, geen database die vtdata zelf heeft gepubliceerd; verversen vervangt "
        "of verwijdert die niet. Verplaats het of kies een ander pad met --db of VTDATA_DB."
    )


def _link_tmp_pattern(db: Path) -> str:
    return f".{db.name}.*.link"


def publish(db: Path, built: Path) -> Path:
    """Make a complete, validated build file the current version, atomically."""
    check_replaceable(db)
    final = built.with_name(built.name.removesuffix(PART_SUFFIX))
    os.replace(built, final)
    _fsync_dir(final.parent)
    link_tmp = db.parent / _link_tmp_pattern(db).replace("*", str(os.getpid()))
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
    for link_tmp in db.parent.glob(_link_tmp_pattern(db)):  # a publish killed before its swap
        if link_tmp.is_symlink():
            link_tmp.unlink()
            removed.append(link_tmp)
    versions = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[keep:]:
        if old != current:
            discard(old)
            removed.append(old)
    return removed


def lock_path(db: Path) -> Path:
    return db.parent / f"{db.name}.lock"


@contextlib.contextmanager
def refresh_lock(db: Path):
    """Hold the exclusive refresh lock of this database, or fail at once.

    A folder the process cannot write to (a read-only mount serving a published
    database) cannot be refreshed; that is one clear line, not a traceback.
    """
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path(db), "a+")
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreError(
                f"De map {db.parent} is alleen-lezen; verversen kan hier niet "
                "(de gepubliceerde database blijft ongewijzigd)."
            ) from None
        raise
    with handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"Er loopt al een verversing van {db}; probeer het later opnieuw.") from None
        yield


def refresh_running(db: Path) -> bool:
    """True while another process holds the refresh lock of this database.

    Reading never needs write access: the lock file is opened read-only (flock
    works on any open file), and a lock file that is missing or cannot be
    opened means no refresh runs here.
    """
    if fcntl is None:
        return False
    try:
        handle = open(lock_path(db), "rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
