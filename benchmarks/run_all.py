"""Run every benchmark and write docs/benchmarks.md (what `make bench` does).

    python benchmarks/run_all.py [--output docs/benchmarks.md] [--only NAME ...]

Runs each `benchmarks/bench_*.py` one after another, in its own process with this
Python and default options, and collects its Markdown output under a heading per
benchmark, with the date and the machine facts (cores, memory, Python, package
versions). A benchmark that fails is reported in the file with its exit code and
the tail of its error output, and makes this script exit non-zero, after the
others have run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PACKAGES = ("streamlit", "duckdb", "pandas", "pyarrow", "altair", "pydeck", "cbsodata", "numpy")
TIMEOUT = 3600


def _memory_gb() -> str:
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
        return f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, AttributeError):
        return "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            match = re.search(r"model name\s*:\s*(.+)", f.read())
        return match.group(1).strip() if match else platform.processor() or "unknown"
    except OSError:
        return platform.processor() or "unknown"


def _load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine_facts() -> list[str]:
    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return [
        f"- CPU: {_cpu_model()}, {cores} cores ({usable} usable by this process)",
        f"- Memory: {_memory_gb()}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
        f"- Load average when started (1, 5, 15 min): {_load()}",
    ]


def _title(script: Path) -> str:
    """The first line of the benchmark's docstring."""
    text = script.read_text(encoding="utf-8")
    match = re.search(r'^"""(.+?)$', text, flags=re.M)
    return match.group(1).strip().rstrip(".") if match else script.stem


def run(script: Path) -> tuple[int, str, str, float]:
    start = time.monotonic()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    try:
        done = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = -1, exc.stdout or "", f"timed out after {TIMEOUT} s"
        out = out.decode() if isinstance(out, bytes) else out
    return code, out, err, time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--only", nargs="+", help="benchmark names, e.g. bench_pages")
    args = parser.parse_args(argv)

    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem in args.only or s.name in args.only]
    if not scripts:
        print("no benchmarks found", file=sys.stderr)
        return 2

    started = datetime.now(UTC)
    facts = machine_facts()
    sections, failed = [], []
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        code, out, err, seconds = run(script)
        print(f"  {script.name}: exit {code}, {seconds:.0f} s", file=sys.stderr, flush=True)
        body = out.strip() or "(no output)"
        section = [f"## {script.stem}: {_title(script)}", "", f"`python benchmarks/{script.name}` ({seconds:.0f} s)", "", body]
        if code != 0:
            failed.append(script.name)
            tail = "\n".join(err.strip().splitlines()[-15:])
            section += ["", f"**Failed with exit code {code}.** Last lines of its error output:", "", "```", tail, "```"]
        sections.append("\n".join(section))

    document = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python benchmarks/run_all.py`); do not edit by hand.",
        "",
        f"Run on {started.strftime('%Y-%m-%d %H:%M')} UTC.",
        "",
        *facts,
        "",
        *(f"{s}\n" for s in sections),
    ]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(document).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}", file=sys.stderr)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
