"""StatLine keys that become SQL identifiers: check them, then quote them.

Dimension and topic keys come from the server (DataProperties) and end up as
column names in SQL. A hostile or broken server could send a key that is SQL,
so a key must look like every StatLine key does (letters, digits, `_`) before
it is used, and is still quoted as an identifier when it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SAFE_KEY = re.compile(r"[A-Za-z0-9_]+")
SAFE_KEY_TEXT = "alleen letters, cijfers en _"


def is_safe_key(key) -> bool:
    return isinstance(key, str) and SAFE_KEY.fullmatch(key) is not None


def unsafe_keys(keys: Iterable) -> list:
    """The keys that may not be used as an identifier, in order."""
    return [key for key in keys if not is_safe_key(key)]


def quote_identifier(name: str) -> str:
    """A double-quoted SQL identifier (embedded quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'
