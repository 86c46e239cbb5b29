"""The code keeps the house style: ruff's lint rules and its formatter, as configured in
pyproject.toml, with no line opting out of the formatter (such a marker fights it)."""

from __future__ import annotations

import subprocess
import sys

from builders import REPO

FOLDERS = ["src", "tests", "benchmarks"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *FOLDERS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_ruff_finds_nothing() -> None:
    done = _ruff("check", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_formatter_would_change_nothing() -> None:
    done = _ruff("format", "--check", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_line_opts_out_of_the_formatter() -> None:
    marker = "fmt: " + "skip"  # split, so this file does not count itself
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for folder in FOLDERS
        for path in (REPO / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marker in line or "fmt: " + "off" in line
    ]
    assert offenders == []
