"""The README and docs/ as a new user reads them: every example runs as printed, every
option of every command is documented, every file cited exists.

An *example* is a fenced ``sh`` block (or ``python``, run by this Python): it is run
with bash, exactly as printed, in a
temporary folder holding a copy of ``instances/``; the blocks of one page run in order
in the same folder, so a page may write a file in one example and read it in the next.
A synopsis (``campplanner solve INSTANCE [-o SOLUTION.json] ...``) or a program's output
goes in a ``text`` block, never in an ``sh`` one, and a ``text`` block holds no concrete
command line (``test_no_example_hides_in_a_synopsis_block``).

A comment on the line before an example changes how it is run, visibly in the page:

- ``<!-- example: exit 2 -->`` the example is expected to end with that exit code;
- ``<!-- example: replace "--runs 100" "--runs 4" -->`` run with that text replaced (a
  long example run short: the same command with a smaller limit);
- ``<!-- example: serve ARGS -->`` run while ``campplanner serve ARGS`` answers (started
  by the test on a free port, ``{port}`` in a ``replace``, with its own workspace);
- ``<!-- example: skip, REASON -->`` not run (the test suite itself).

``pip install`` is not run again: the suite runs in the installed environment.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest

from builders import REPO
from campplanner.cli import main

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(
    r"(?:^<!-- example: (?P<marker>.*?) -->\n)?^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```",
    re.S | re.M,
)
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]{2,}\b|\[|\.\.\.|\|")
SECONDS = 600  # per example; the slowest (LibreOffice, Chromium) take well under a minute


@dataclass
class Example:
    page: Path
    line: int
    body: str
    exit_code: int = 0
    skip: str | None = None
    serve: list[str] | None = None  # campplanner serve's arguments, while it runs
    python: bool = False  # a python block: run by this Python, not by bash
    replaced: list[tuple[str, str]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"

    def script(self, port: int = 0) -> str:
        text = self.body
        for old, new in self.replaced:
            assert old in text, f"{self.where}: the marker replaces {old!r}, not in the example"
            text = text.replace(old, new.format(port=port))
        # the suite runs in the installed environment: set-up is not repeated
        return re.sub(r"\bpip install [^&;\n]*(&&)?", "", text)


def _examples(page: Path) -> list[Example]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        if match.group("lang") not in ("sh", "python"):
            continue
        example = Example(page, text[: match.start("body")].count("\n") + 1, match["body"])
        example.python = match["lang"] == "python"
        for item in (match["marker"] or "").split(";"):
            item = item.strip()
            if item.startswith("skip"):
                example.skip = item
            elif item.startswith("serve "):
                example.serve = shlex.split(item)[1:]
            elif item.startswith("exit "):
                example.exit_code = int(item.split()[1])
            elif item.startswith("replace "):
                old, new = shlex.split(item)[1:]
                example.replaced.append((old, new))
            elif item:
                raise AssertionError(f"{page.name}: unknown example marker {item!r}")
        found.append(example)
    return found


PAGES_WITH_EXAMPLES = [page for page in PAGES if _examples(page)]


def _entry_point(folder: Path) -> Path:
    """A ``campplanner`` command on this checkout's code, through the entry point that
    pyproject.toml declares (an installed script may be another checkout's)."""
    declared = re.search(
        r'^campplanner = "([\w.]+):(\w+)"',
        (REPO / "pyproject.toml").read_text(encoding="utf-8"),
        re.M,
    )
    assert declared is not None
    module, function = declared.groups()
    folder.mkdir()
    script = folder / "campplanner"
    script.write_text(
        f"#!{sys.executable}\n"
        f"import sys\nsys.path.insert(0, {str(REPO / 'src')!r})\n"
        f"from {module} import {function}\n"
        # worker processes (stress, compare) import __main__ again: run only once
        f"if __name__ == '__main__':\n    sys.exit({function}())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(example: Example, port: int, folder: Path, env: dict[str, str]) -> Any:
    """``campplanner serve`` with the marker's arguments, once it answers."""
    assert example.serve is not None
    arguments = [*example.serve, "--port", str(port)]
    if not {"--workspace", "--db"} & set(example.serve):  # the page's own, or the test's
        arguments += ["--workspace", "docs-test.sqlite"]
    server = subprocess.Popen(
        ["campplanner", "serve", *arguments],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"{example.where}: serve ended: {server.stderr.read()!r}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/session", timeout=2)
            return server
        except urllib.error.HTTPError:  # it answers (401 on a workspace with accounts)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError(f"{example.where}: serve did not answer within 180 s")


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda page: page.name)
def test_every_example_runs_as_printed(page: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "instances", tmp_path / "instances")
    commands = _entry_point(tmp_path / ".bin")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(commands), os.environ.get("PATH", "")]),
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "COLUMNS": "100",
    }
    for example in _examples(page):
        if example.skip:
            continue
        port = _free_port()
        server = None if example.serve is None else _serve(example, port, tmp_path, env)
        try:
            shell = ["bash", "-e", "-o", "pipefail", "-c"]
            done = subprocess.run(
                [*([sys.executable, "-c"] if example.python else shell), example.script(port)],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=SECONDS,
                check=False,
            )
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=60)
        said = (done.stdout + done.stderr)[-3000:]
        assert done.returncode == example.exit_code, f"{example.where}:\n{said}"
        assert "Traceback" not in said, f"{example.where}:\n{said}"


def test_no_example_hides_in_a_synopsis_block() -> None:
    """A concrete command line (no INSTANCE-style placeholder, no [option]) outside an
    ``sh`` block is an example nobody runs: it goes into an ``sh`` block."""
    hidden = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            if match["lang"] == "sh":
                continue
            for offset, line in enumerate(match["body"].splitlines()):
                command = line.strip().removeprefix("$ ")
                if command.startswith("campplanner ") and not PLACEHOLDER.search(command):
                    number = text[: match.start("body")].count("\n") + 1 + offset
                    hidden.append(f"{page.name}:{number}: {command}")
    assert not hidden, "examples outside sh blocks:\n" + "\n".join(hidden)


def test_every_example_block_has_a_marker_the_test_reads() -> None:
    """An ``example:`` comment that does not sit right before an sh block does nothing."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        markers = len(re.findall(r"^<!-- example: ", text, re.M))
        read = sum(1 for m in BLOCK.finditer(text) if m["marker"] and m["lang"] == "sh")
        assert markers == read, f"{page.name}: an example marker not before an sh block"


# ------------------------------------------------------------------- options in cli.md


def _sections(text: str) -> dict[str, str]:
    """ "## campplanner NAME" -> the text of that section of docs/cli.md."""
    parts = re.split(r"^## campplanner (\w+)\s*$", text, flags=re.M)
    return {parts[k]: parts[k + 1] for k in range(1, len(parts), 2)}


def test_cli_md_documents_every_option_of_every_command() -> None:
    sections = _sections((REPO / "docs" / "cli.md").read_text(encoding="utf-8"))
    missing = []
    for name, command in sorted(main.commands.items()):
        if name not in sections:
            missing.append(f"campplanner {name}: no section")
            continue
        section = sections[name]
        commands = [(name, command)]
        if isinstance(command, click.Group):  # campplanner users add, list...: in its section
            for sub, subcommand in sorted(command.commands.items()):
                if not re.search(rf"campplanner {name} (.*\| )?{re.escape(sub)}\b", section):
                    missing.append(f"campplanner {name} {sub}")
                commands.append((f"{name} {sub}", subcommand))
        for where, each in commands:
            missing += _undocumented_options(where, each, section)
    assert not missing, "docs/cli.md does not document:\n" + "\n".join(missing)


def _undocumented_options(name: str, command: click.Command, section: str) -> list[str]:
    missing = []
    for param in command.params:
        if not isinstance(param, click.Option) or param.hidden:
            continue
        named = [o for o in param.opts if re.search(rf"(?<![\w-]){re.escape(o)}\b", section)]
        if not named and not (param.opts[0].startswith("--weight-") and "--weight-*" in section):
            missing.append(f"campplanner {name} {param.opts[0]}")
        for option in param.secondary_opts:  # --summary of --full/--summary
            if option not in section:
                missing.append(f"campplanner {name} {option}")
    return missing


# ------------------------------------------------------------------------ files cited

CITED = re.compile(
    r"`(?P<path>(?:\.\./)*(?:docs|instances|benchmarks|src|tests|shared|\.ci)/[^`\s]*)`"
    r"|\]\((?P<link>[^)#\s]+)\)"
)


def _ignored() -> list[str]:
    """Folders .gitignore keeps out of the repository: outputs the docs may name."""
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [line.strip("/") for line in lines if line.endswith("/") and "/" in line[:-1]]


def test_every_file_the_docs_cite_exists() -> None:
    ignored = _ignored()
    absent = []
    for page in PAGES:
        for match in CITED.finditer(page.read_text(encoding="utf-8")):
            cited = match["path"] or match["link"]
            if "://" in cited or any(ch in cited for ch in "*<>{}$"):
                continue
            path = cited.split(":")[0].rstrip(".,;")
            if any(path.strip("/").startswith(folder) for folder in ignored):
                continue
            if not (REPO / path).exists() and not (page.parent / path).exists():
                absent.append(f"{page.relative_to(REPO)}: {cited}")
    assert not absent, "cited but not in the repository:\n" + "\n".join(absent)


def test_the_readme_sets_up_in_two_commands_and_names_what_the_suite_needs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert len([m for m in BLOCK.finditer(setup) if m["lang"] == "sh"]) == 2
    for package in ("chromium", "libreoffice-calc", "poppler-utils", "postgresql"):
        assert f"`{package}`" in setup, package
    assert "CAMPPLANNER_TEST_PG_URL" in setup and "minutes" in setup
