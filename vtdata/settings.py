"""Numbers from environment variables (deadlines, caps): parsed one way everywhere."""

from __future__ import annotations

import math
import os


def positive_number(name: str) -> float | None:
    """The positive number in environment variable `name` (a decimal comma is fine); None when unset.

    Raises ValueError, carrying the variable's text, when it holds no positive finite number:
    the caller says in one Dutch line what the setting is for.
    """
    text = (os.environ.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError(text)
    return value
