"""Outputs: atomic, never over an input, never over a stranger's file, ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from campplanner.contract.errors import UsageError
from campplanner.contract.solution import is_solution_file
from campplanner.io.outputs import guard_output, write_atomic


def test_write_atomic_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_write_atomic_gives_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.json", b"{}")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(UsageError, match=r"out.json: could not be written .disk full."):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_guard_refuses_inputs_folders_and_strangers(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    with pytest.raises(UsageError, match="input"):
        guard_output(tmp_path / "." / "in.json", [source])
    with pytest.raises(UsageError, match="folder"):
        guard_output(tmp_path, [])
    stranger = tmp_path / "notes.txt"
    stranger.write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="--force"):
        guard_output(stranger, [])
    assert guard_output(stranger, [], force=True) == stranger
    assert guard_output(stranger, [], replaceable=lambda p: True) == stranger
    with pytest.raises(UsageError, match="no such folder"):
        guard_output(tmp_path / "missing" / "out.json", [])


def test_guard_sees_through_links(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(source)
    with pytest.raises(UsageError, match="input"):
        guard_output(link, [source], force=True)


def test_guard_refuses_links_devices_and_fifos_even_with_force(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, words in (
        (link, "symbolic link"),
        (fifo, "not a regular file"),
        (Path("/dev/null"), "not a regular file"),
    ):
        with pytest.raises(UsageError, match=words):
            guard_output(target, force=True)
        # without --force, a FIFO is not opened to see what is inside (that would hang)
        with pytest.raises(UsageError, match=words):
            guard_output(target, replaceable=is_solution_file)


def test_a_text_that_merely_mentions_the_format_is_not_a_solution_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(
        'my notes: "format": "campplanner-solution/1" is the solution format', encoding="utf-8"
    )
    with pytest.raises(UsageError, match="use --force"):
        guard_output(notes, replaceable=is_solution_file)


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    private = tmp_path / "roster.json"
    private.write_text("{}", encoding="utf-8")
    private.chmod(0o600)
    write_atomic(private, "new")
    assert private.stat().st_mode & 0o777 == 0o600


def test_an_output_inside_a_folder_being_read_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    with pytest.raises(UsageError, match="input"):
        guard_output(folder / "instance.json", [folder])


def test_a_folder_that_cannot_be_written_is_refused_before_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, who may write anywhere: the folder's answer is simulated.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(UsageError, match="cannot be written"):
        guard_output(tmp_path / "out.json")
