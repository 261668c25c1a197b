"""A read-only view of a folder for tests: a read-only bind mount (needs root or a mount namespace)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def read_only_mount(source: Path, target: Path) -> str | None:
    """Bind-mount `source` read-only at `target`; the reason when this machine cannot."""
    target.mkdir()
    if shutil.which("mount") is None:
        return "no mount command"
    bind = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True, text=True)
    if bind.returncode != 0:
        return f"mount --bind failed: {bind.stderr.strip()}"
    ro = subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True, text=True)
    if ro.returncode != 0:
        subprocess.run(["umount", str(target)], capture_output=True)
        return f"read-only remount failed: {ro.stderr.strip()}"
    return None


def unmount(target: Path) -> None:
    """Lazy: this process may still hold a database file under `target` open."""
    subprocess.run(["umount", "--lazy", str(target)], capture_output=True)
