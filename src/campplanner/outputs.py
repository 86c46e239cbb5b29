"""Writing output files safely: atomically, never over an input, never over a stranger's file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from campplanner.errors import UsageError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def guard_output(
    path: str | Path,
    inputs: Iterable[str | Path] = (),
    *,
    force: bool = False,
    replaceable: Callable[[Path], bool] | None = None,
) -> Path:
    """Refuse an output path that is an input, a folder, or an existing file we may not replace.

    An existing file is replaced only with ``force`` or when ``replaceable(path)`` says
    it is one of our own outputs (a previous solution file, for example).
    """
    target = Path(path)
    for source in inputs:
        if _same_file(target, Path(source)):
            raise UsageError(f"{target}: this is an input file; choose another output path")
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name")
    if target.exists() and not force and not (replaceable and replaceable(target)):
        raise UsageError(f"{target}: exists and was not written by this command; use --force")
    if not target.parent.exists():
        raise UsageError(f"{target.parent}: no such folder")
    return target


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``.

    A reader (or a crash) never sees a half-written file.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); an output is an ordinary file that
        # colleagues may read, so give it the permissions open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(descriptor, 0o666 & ~umask)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
