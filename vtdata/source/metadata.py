"""Metadata sets: the StatLine metadata of the tables, without data, as JSON files.

`vtdata metadata --output DIR` writes one file per table (`<TABLE_ID>.json`:
`{"table_id": ..., "entities": {"TableInfos": [...], "DataProperties": [...],
"CategoryGroups": [...], "<dimension key>": [...], ...}}`), exactly as StatLine
sends the entity sets (padded keys too). Someone with internet runs it once
against the real StatLine; copying the folder to `tests/metadata/<name>/` makes
the real structure a test fixture for good (`tests/test_metadata_sets.py`).

`snapshot_from_metadata` turns a file back into a `TableSnapshot` with one
empty cell per topic for Nederland in the first period, so the real loader can
store it and every structure decision (`vtdata.model.structure`, the theme report)
is taken from the metadata alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from vtdata.source.snapshot import TableSnapshot

DATA_SETS = ("TypedDataSet", "UntypedDataSet")


def write_metadata(directory: Path | str, metadata: dict[str, dict[str, list[dict]]]) -> list[Path]:
    """One JSON file per table in `directory` (created if needed), each written atomically."""
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table_id, entities in metadata.items():
        doc = {"table_id": table_id, "entities": {k: v for k, v in entities.items() if k not in DATA_SETS}}
        target = out_dir / f"{table_id}.json"
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{table_id}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; this is a fixture to share
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written


def read_metadata_set(directory: Path | str) -> dict[str, dict[str, list[dict]]]:
    """{table_id: entities} of every `*.json` file in `directory`."""
    out = {}
    for path in sorted(Path(directory).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out[str(doc["table_id"])] = doc["entities"]
    return out


def snapshot_from_metadata(table_id: str, entities: dict[str, list[dict]]) -> TableSnapshot:
    """A snapshot of the metadata with one row of empty cells (Nederland, the first period)."""
    snapshot = TableSnapshot(table_id, {k: list(v) for k, v in entities.items()})
    row: dict = {"ID": 0}
    for key in snapshot.dimension_keys:
        rows = entities.get(key) or []
        national = [r["Key"] for r in rows if str(r["Key"]).strip() == "NL01"]
        row[key] = national[0] if national else rows[0]["Key"]
    for key in snapshot.topic_keys:
        row[key] = None
    snapshot.entities["TypedDataSet"] = [row]
    return snapshot
