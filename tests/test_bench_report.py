"""benchmarks/_report.py: several scripts share docs/benchmarks.md, each its own section."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from builders import REPO


def _report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_report", REPO / "benchmarks" / "_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sections_are_appended_then_replaced_in_place(tmp_path: Path) -> None:
    report = _report()
    page = tmp_path / "benchmarks.md"
    report.write_section("load", "| a |\n|---|\n| 1 |", path=page)
    report.write_section("solve", "solve v1 \\d", path=page)
    report.write_section("load", "| a |\n|---|\n| 2 |", path=page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    assert text.count("<!-- bench:load:start -->") == 1
    assert "| 2 |" in text and "| 1 |" not in text
    assert "solve v1 \\d" in text  # backslashes kept as written
    assert text.index("bench:load:start") < text.index("bench:solve:start")  # order kept


def test_text_outside_sections_is_kept(tmp_path: Path) -> None:
    report = _report()
    page = tmp_path / "benchmarks.md"
    page.write_text("# Mine\n\nNotes by hand.\n", encoding="utf-8")
    report.write_section("load", "numbers", path=page)
    report.write_section("load", "new numbers", path=page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Mine\n\nNotes by hand.\n")
    assert "new numbers" in text and "\nnumbers" not in text


def test_markdown_table_aligns_numbers_right() -> None:
    table = _report().markdown_table(["step", "seconds "], [["load", "1.00"]])
    assert table.splitlines() == ["| step | seconds |", "|---|---:|", "| load | 1.00 |"]
