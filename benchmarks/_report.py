"""Shared by the benchmark scripts: each owns one section of ``docs/benchmarks.md``.

A section is delimited by ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``;
a script replaces its own section and leaves the others as they are, so several
scripts (load, solve, ...) can write to one page in any order.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS_MD = REPO / "docs" / "benchmarks.md"

_HEADER = """# Benchmarks

Measured by the scripts in `benchmarks/` (run them with `python benchmarks/NAME.py`);
each script writes its own section below and leaves the others untouched. Numbers are
from one machine, named in each section; compare runs on the same machine only.
"""


def _markers(name: str) -> tuple[str, str]:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"section name {name!r}: use letters, digits, '_', '-', '.'")
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def replace_section(document: str, name: str, markdown: str) -> str:
    """``document`` with section ``name`` replaced by ``markdown`` (appended if absent)."""
    start, end = _markers(name)
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(document):
        # A function, not a string, as replacement: markdown may hold backslashes.
        return pattern.sub(lambda _: block, document, count=1)
    return document.rstrip("\n") + "\n\n" + block + "\n"


def write_section(name: str, markdown: str, path: Path = BENCHMARKS_MD) -> Path:
    """Replace (or append) section ``name`` of ``docs/benchmarks.md`` with ``markdown``."""
    document = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".tmp{os.getpid()}")
    temporary.write_text(replace_section(document, name, markdown), encoding="utf-8")
    temporary.replace(path)  # atomic: a reader never sees half a file
    return path


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def _memory_gib() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return "?"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine_line() -> str:
    """One line naming the machine, the versions and the date, for every section."""
    return (
        f"{dt.date.today().isoformat()}, commit {_commit()}; {os.cpu_count()} CPUs "
        f"({platform.machine()}), {_memory_gib()} RAM; Python {sys.version.split()[0]}, "
        f"ortools {_version('ortools')}, numpy {_version('numpy')}, "
        f"pydantic {_version('pydantic')}"
    )


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table; columns whose header ends with a space are right-aligned."""
    align = ["---:" if h.endswith(" ") else "---" for h in header]
    lines = [
        "| " + " | ".join(h.strip() for h in header) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
