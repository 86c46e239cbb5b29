"""Writing output files safely: atomically, never over an input, never over a stranger's file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from campplanner.contract.errors import UsageError


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
    ours: Callable[[Path], bool] | None = None,
) -> Path:
    """Refuse an output path that is an input, a folder, or an existing file we may not replace.

    An existing file is replaced only with ``force`` or when ``replaceable(path)`` says
    it is one of our own outputs (a previous solution file, for example). ``ours(path)``
    recognises an earlier output that is still kept without ``force``: the refusal then
    says so, rather than calling it a stranger's file.
    """
    target = Path(path)
    for source in inputs:
        if _same_file(target, Path(source)) or _inside(target, Path(source)):
            raise UsageError(f"{target}: this is an input file; choose another output path")
    if target.is_symlink():
        # --force would replace the link by a file (as root, -o /dev/null --force once
        # meant replacing /dev/null): say where it points and let the user choose.
        raise UsageError(
            f"{target}: is a symbolic link (to {os.readlink(target)}); give the path of a file"
        )
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name")
    if target.exists() and not target.is_file():
        # a device, a FIFO (opening one to look inside would hang) or a socket
        raise UsageError(f"{target}: is not a regular file; give the path of a file")
    if target.exists() and not force and not (replaceable and replaceable(target)):
        if ours is not None and ours(target):
            raise UsageError(
                f"{target}: exists (written by this command earlier); use --force to replace it"
            )
        raise UsageError(f"{target}: exists and was not written by this command; use --force")
    if not target.parent.exists():
        raise UsageError(f"{target.parent}: no such folder")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        # say so now, not after a solve of minutes whose roster would be lost
        raise UsageError(f"{target.parent}: this folder cannot be written to")
    return target


def _inside(target: Path, source: Path) -> bool:
    """True if ``target`` lies in the folder ``source`` (a CSV folder being imported)."""
    try:
        return source.is_dir() and target.resolve().is_relative_to(source.resolve())
    except OSError:
        return False


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``.

    A reader (or a crash) never sees a half-written file.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _write_replacing(target, payload)
    except OSError as error:  # a full or read-only disk, found only now
        raise UsageError(f"{target}: could not be written ({error.strerror or error})") from None


def _write_replacing(target: Path, payload: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); an output is an ordinary file that
        # colleagues may read, so give it the permissions open() would have.
        # A file replaced keeps its own permissions (a private 0600 roster stays private).
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
        with contextlib.suppress(OSError):
            mode = target.stat().st_mode & 0o777
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
