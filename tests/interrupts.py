"""Ctrl-C sent by a test to its own process, whatever SIGINT disposition the run inherited."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def ctrl_c_raises_keyboard_interrupt():
    """Python's own SIGINT handler for the block, the previous one after it.

    Python turns SIGINT into KeyboardInterrupt only when SIGINT was not ignored at its start,
    and a shell starts a background job (`make test &`) with SIGINT ignored: a test's own
    Ctrl-C then did nothing, and the download it was to stop ran on.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
