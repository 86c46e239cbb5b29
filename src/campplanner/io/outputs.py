"""Writing output files safely: atomically, never over an input, never over a stranger's file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------ several outputs at once


def guard_folder(folder: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an output folder that cannot be written (before any work): one that is a
    file, an input or inside one, or whose own folder (for a new one) is missing or
    cannot be written to (a read-only mount included)."""
    target = Path(folder)
    for source in inputs:
        if _same_file(target, Path(source)) or _inside(target, Path(source)):
            raise UsageError(f"{target}: this is an input; choose another output folder")
    if target.is_symlink() and not target.is_dir():
        raise UsageError(f"{target}: is a symbolic link (to {os.readlink(target)}); give a folder")
    if target.exists():
        if not target.is_dir():
            raise UsageError(f"{target}: exists and is not a folder")
        writable = target
    else:
        if not target.parent.exists():
            raise UsageError(f"{target.parent}: no such folder")
        writable = target.parent
    if not os.access(writable, os.W_OK | os.X_OK):
        raise UsageError(f"{writable}: this folder cannot be written to")
    return target


# Left free beyond what is written: a disk filled to its last block helps no one.
SPACE_MARGIN = 1024**2


def refuse_without_space(outputs: Iterable[tuple[Path, int]]) -> None:
    """Refuse, before anything is written, outputs whose bytes (counted per file system)
    do not fit in the space free there."""
    needed: dict[int, list[Any]] = {}
    for path, size in outputs:
        where = path if path.is_dir() else path.parent
        while not where.exists():
            where = where.parent
        device = where.stat().st_dev
        entry = needed.setdefault(device, [where, 0])
        entry[1] += size
    for where, size in needed.values():
        stats = os.statvfs(where)
        free = stats.f_bavail * stats.f_frsize
        if size + SPACE_MARGIN > free:
            raise UsageError(
                f"{where}: not enough free space for the outputs (about "
                f"{_megabytes(size + SPACE_MARGIN)} needed, {_megabytes(free)} free); nothing "
                "was written"
            )


def _megabytes(size: float) -> str:
    return f"{size / 1024**2:,.1f} MB"


def write_outputs(
    files: Iterable[tuple[Path, bytes]], folders: Iterable[tuple[Path, dict[str, bytes]]]
) -> None:
    """Write every output, or none: each file, and each folder's files in a new folder
    beside it, are written to temporary names first; only when all are on disk are they
    renamed into place (renames need no space). A full or read-only disk found while
    writing leaves no new file beside the old ones: the temporaries are removed and one
    message says what could not be written."""
    staged: list[tuple[Path, Path]] = []  # (temporary, final)
    made: list[Path] = []  # temporary folders
    try:
        for target, payload in files:
            staged.append((_stage(target, payload), target))
        for folder, contents in folders:
            parent = folder.parent if not folder.exists() else folder
            temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
            made.append(temporary)
            for name, payload in contents.items():
                final = folder / name
                staged.append((_stage(temporary / name, payload, mode_of=final), final))
    except OSError as error:
        _remove(staged, made)
        where = error.filename or (staged[-1][1] if staged else "the output")
        raise UsageError(
            f"{where}: could not be written ({error.strerror or error}); nothing was written"
        ) from None
    except BaseException:
        _remove(staged, made)
        raise
    for folder in {final.parent for _, final in staged}:
        folder.mkdir(exist_ok=True)
    for temporary, final in staged:
        os.replace(temporary, final)
    for temporary in made:
        with contextlib.suppress(OSError):
            temporary.rmdir()


def _stage(target: Path, payload: bytes, mode_of: Path | None = None) -> Path:
    """``payload`` in a temporary file beside ``target``, flushed to disk; its path."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(descriptor, _mode_for(mode_of or target))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return Path(temporary)


def _mode_for(target: Path) -> int:
    """The permissions open() would give a new file; a file replaced keeps its own."""
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        mode = target.stat().st_mode & 0o777
    return mode


def _remove(staged: list[tuple[Path, Path]], made: list[Path]) -> None:
    for temporary, _ in staged:
        with contextlib.suppress(OSError):
            temporary.unlink()
    for folder in made:
        with contextlib.suppress(OSError):
            for leftover in folder.iterdir():
                leftover.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()
