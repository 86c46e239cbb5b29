"""How much memory campplanner may plan to use, and the refusal when a file needs more.

A small file can describe a huge problem: 24 MB of gzip holding ten million volunteers,
0.78 MB asking for 1.2 billion (volunteer, slot) pairs, 1.1 MB naming so many skills
that the skill matrix alone takes 9 GiB. Building it would end in a MemoryError after
minutes (or in the out-of-memory killer). Instead the size is estimated from the counts
before the arrays are built, and a problem above the limit is refused at once, with
the numbers.

The limit is ``CAMPPLANNER_MAX_MEMORY_GIB`` when set; otherwise the machine's physical
memory, or less when the process is capped (``ulimit -v``, a container's cgroup).
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

from campplanner.contract.errors import CampPlannerError

MEMORY_ENV = "CAMPPLANNER_MAX_MEMORY_GIB"
GIB = 1024**3


class TooLarge(CampPlannerError):
    """An input whose work would need more memory than the limit (exit 2)."""


def memory_limit() -> int:
    """Bytes campplanner may plan to use: ``CAMPPLANNER_MAX_MEMORY_GIB``, else the RAM."""
    text = os.environ.get(MEMORY_ENV)
    if text:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not value > 0 or value == float("inf"):
            raise TooLarge(f"{MEMORY_ENV}={text!r} is not a positive number of GiB")
        return int(value * GIB)
    return min([_physical_memory(), *_caps()])


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: no estimate, no refusal
        return 2**62


def _caps() -> list[int]:
    """The process's own caps: ``ulimit -v`` and a cgroup's (a container's) memory.max."""
    caps = []
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        caps.append(soft)
    try:
        text = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if text.isdigit():
            caps.append(int(text))
    except OSError:
        pass
    return caps


def describe_limit() -> str:
    if os.environ.get(MEMORY_ENV):
        return f"{gib(memory_limit())} (set by {MEMORY_ENV})"
    where = (
        "this process's memory cap"
        if memory_limit() < _physical_memory()
        else ("this machine's memory")
    )
    return f"{gib(memory_limit())} ({where}; {MEMORY_ENV} sets another)"


def gib(size: float) -> str:
    return f"{size / GIB:,.1f} GiB"


def refuse_beyond_limit(what: str, needed: float) -> None:
    """Raise TooLarge when ``needed`` bytes are past the limit; ``what`` names the counts."""
    if needed > memory_limit():
        raise TooLarge(
            f"too large: {what} would take about {gib(needed)} of memory, more "
            f"than the limit of {describe_limit()}"
        )
