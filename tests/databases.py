"""A test's own published database, copied from the session's demo database instead of built anew."""

from __future__ import annotations

import shutil
from pathlib import Path

from vtdata.storage import store


def published_copy(source: Path, db: Path) -> Path:
    """Publish at `db` (a link to a version file, as a refresh leaves it) a copy of `source`'s current version.

    For a test that needs a complete demo database of its own to write to, to publish over or
    to serve: a file copy takes a fraction of a second, a demo build 5-8 s.
    """
    built = store.new_version_path(db)
    shutil.copyfile(store.current_version(Path(source)), built)
    store.publish(db, built)
    return db
