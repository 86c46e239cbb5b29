"""Outputs: atomic, never over an input, never over a stranger's file, ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from campplanner.errors import UsageError
from campplanner.outputs import guard_output, write_atomic


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
    with pytest.raises(OSError):
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
