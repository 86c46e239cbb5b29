"""The code keeps the house style: ruff's lint rules and its formatter, as configured in
pyproject.toml, with no line opting out of the formatter (such a marker fights it), and
comments that say why, not what a run once measured."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize

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


# What a benchmark diary sounds like: "took 9 s", "fell from 3.1 s", "was 4-5 ms",
# "(measured", "at load 6-10". Such figures belong in docs/benchmarks.md.
_DIARY = re.compile(
    r"\b(took|fell from|was|were) ~?[\d.,]+(-[\d.,]+)? ?(s|ms|us|MB|MiB|GB|GiB|KB)\b"
    r"|\(measured|\bat load \d",
    re.IGNORECASE,
)


def _comments_and_strings(text: str) -> list[tuple[int, str]]:
    """(line, text) of every comment and string literal (docstrings among them)."""
    kinds = (tokenize.COMMENT, tokenize.STRING)
    return [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type in kinds
    ]


def test_no_comment_keeps_a_benchmark_diary() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}"
        for path in (REPO / "src").rglob("*.py")
        for line, text in _comments_and_strings(path.read_text(encoding="utf-8"))
        if _DIARY.search(text)
    ]
    assert offenders == [], "move the figures to docs/benchmarks.md (Figures behind ...)"


def test_no_test_skips_for_a_missing_python_package() -> None:
    """Every Python package the tests use is a dependency or in the ``test`` extra:
    imported plainly, a missing one fails loudly instead of skipping quietly. Skips are
    for system parts only (chromium, LibreOffice, a PostgreSQL server), saying what to
    install."""
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "import" + "orskip(" in line  # split, so this file does not count itself
    ]
    assert offenders == []


def test_no_test_serves_on_a_fixed_port() -> None:
    """A server a test starts listens on a port asked of the system
    (``web_helpers.free_port``), never on a number written in the test: two runs on one
    machine (two worktrees, CI beside a developer) would collide on it."""
    fixed = re.compile(r"^\s*PORT\s*=\s*\d+|\"--port\",\s*\"\d{4,5}\"")  # port 1: refused
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fixed.search(line)
    ]
    assert offenders == []
