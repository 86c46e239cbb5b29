"""Every output of ``export`` checked before any is written, and written all or none.

Issue 26: ``export --csv`` into a new folder on a read-only mount ended in an
``OSError`` traceback; on a full disk a new ``summary.csv`` sat beside the old files of
the last export; ``--xlsx`` was written before ``--csv``'s folder was refused. The
read-only mount and the full disk are real here: a tmpfs mounted in a user namespace
(``unshare -rm``), skipped where the system does not allow one.
"""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import TINY_PATH
from campplanner.cli import main
from campplanner.contract.errors import UsageError
from campplanner.io import outputs
from campplanner.io.outputs import write_outputs
from web_helpers import latin_words

ENTRY = "from campplanner.cli import run; run()"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def tiny_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    solution = tmp_path_factory.mktemp("roster") / "tiny-roster.json"
    solved = run("solve", str(TINY_PATH), "-o", str(solution), "-q", "--work-limit", "1")
    assert solved.exit_code == 0, solved.output
    return solution


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="no user namespaces to mount in")


def _in_a_mount(
    mount: Path, options: str, *args: str, before: str = "true", after: str = "true"
) -> Any:
    """``campplanner ARGS`` with a tmpfs mounted (``options``) at ``mount``; the shell
    commands ``before`` (to leave old files) and ``after`` (to list them) run inside."""
    mount.mkdir(exist_ok=True)
    shell = (
        f'mount -t tmpfs -o {options} none "$0" && {before} && "$@"; code=$?; {after}; exit $code'
    )
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", shell, str(mount), sys.executable, "-c", ENTRY, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_mount
def test_a_read_only_mount_is_one_message_and_nothing_is_written(
    tmp_path: Path, tiny_roster: Path
) -> None:
    mount = tmp_path / "usb"
    done = _in_a_mount(
        mount,
        "ro",
        "export",
        str(TINY_PATH),
        str(tiny_roster),
        "--xlsx",
        str(tmp_path / "roster.xlsx"),  # writable: must not be written either
        "--csv",
        str(mount / "new-folder"),
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "OSError" not in done.stderr
    assert f"{mount}: this folder cannot be written to" in " ".join(done.stderr.split())
    assert not (tmp_path / "roster.xlsx").exists()


@needs_mount
def test_a_full_disk_leaves_the_last_export_alone(tmp_path: Path, tiny_roster: Path) -> None:
    # The folder holds the last export; the disk has room for a few bytes, not for the
    # new files: refused before writing, and no new file sits beside the old ones.
    mount = tmp_path / "small"
    folder = mount / "csv"
    old = f'mkdir "{folder}" && echo old > "{folder}/summary.csv" && echo old > "{folder}/x.csv"'
    fill = f'head -c 40000 /dev/zero > "{mount}/filler"'
    done = _in_a_mount(
        mount,
        "size=64k",
        "export",
        str(TINY_PATH),
        str(tiny_roster),
        "--csv",
        str(folder),
        "--force",
        before=f"{old} && {fill}",
        after=f'ls -a "{folder}"; cat "{folder}/summary.csv"',
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "not enough free space" in " ".join(done.stderr.split()), done.stderr
    assert done.stdout.split() == [".", "..", "summary.csv", "x.csv", "old"], done.stdout


def test_a_write_that_fails_half_way_leaves_no_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up after the space was checked (another program writes): the
    # second file fails; neither the first file nor the folder's new files appear.
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "summary.csv").write_text("old")
    staged = outputs._stage
    calls = []

    def stage(target: Path, payload: bytes, mode_of: Path | None = None) -> Path:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return staged(target, payload, mode_of)

    monkeypatch.setattr(outputs, "_stage", stage)
    with pytest.raises(UsageError) as refused:
        write_outputs(
            [(tmp_path / "roster.xlsx", b"new")],
            [(folder, {"roster.csv": b"new", "summary.csv": b"new"})],
        )
    assert "No space left on device" in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]
    assert [p.name for p in folder.iterdir()] == ["summary.csv"]
    assert (folder / "summary.csv").read_text() == "old"


def test_a_refused_csv_file_keeps_the_workbook_unwritten(tmp_path: Path, tiny_roster: Path) -> None:
    # --xlsx used to be written before a file of --csv's folder was refused.
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "roster.csv").write_text("a planner's own file")
    done = run(
        "export",
        str(TINY_PATH),
        str(tiny_roster),
        "--xlsx",
        str(tmp_path / "roster.xlsx"),
        "--csv",
        str(folder),
    )
    assert done.exit_code == 2, done.output
    assert "roster.csv: exists" in " ".join(done.output.split())
    assert not (tmp_path / "roster.xlsx").exists()


def test_an_export_writes_every_output_and_no_temporary(tmp_path: Path, tiny_roster: Path) -> None:
    done = run(
        "export",
        str(TINY_PATH),
        str(tiny_roster),
        "--xlsx",
        str(tmp_path / "roster.xlsx"),
        "--csv",
        str(tmp_path / "new"),
        "--html",
        str(tmp_path / "roster.html"),
    )
    assert done.exit_code == 0, done.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["new", "roster.html", "roster.xlsx"]
    assert all(not p.name.startswith(".") for p in (tmp_path / "new").iterdir())
    assert any(p.suffix == ".csv" for p in (tmp_path / "new").iterdir())


def test_the_line_export_prints_is_in_the_language_of_lang(
    tmp_path: Path, tiny_roster: Path
) -> None:
    """Persian by default (as the files are), no Latin word but the paths; English as it
    always read."""
    data = json.loads(TINY_PATH.read_text(encoding="utf-8"))
    filled = len(json.loads(tiny_roster.read_text(encoding="utf-8"))["assignments"])
    asked = sum(r["count"] for c in data["camps"] for r in c["requirements"])
    xlsx, folder = tmp_path / "roster.xlsx", tmp_path / "csv"
    said = {}
    for lang in ("fa", "en"):
        args = ["--xlsx", str(xlsx), "--csv", str(folder), "--force", "--lang", lang]
        done = run("export", str(TINY_PATH), str(tiny_roster), *args)
        assert done.exit_code == 0, done.output
        said[lang] = done.stdout
    files = len(list(folder.iterdir()))
    assert said["en"] == (
        f"Exported 4 camps, {filled} of {asked} slots filled: {xlsx}, {folder}/ "
        f"({files} CSV files)\n"
    )
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    assert said["fa"] == (
        f"برنامهٔ ۴ اردو نوشته شد، {str(filled).translate(persian)} از "
        f"{str(asked).translate(persian)} جا پر: {xlsx}، {folder}/ "
        f"({str(files).translate(persian)} پرونده)\n"
    )
    assert latin_words(said["fa"], set()) == []
    default = run("export", str(TINY_PATH), str(tiny_roster), "--xlsx", str(xlsx), "--force")
    assert default.stdout.startswith("برنامهٔ ۴ اردو نوشته شد") and default.stdout.endswith(
        f"جا پر: {xlsx}\n"
    )
