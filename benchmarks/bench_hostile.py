"""Crafted files that describe far more than they hold: how fast are they refused?

Issue 17's attacks at their full size, each run as a planner would (a fresh
``campplanner`` process) under a memory cap (``ulimit -v``, 4 GiB by default), as the
attacker ran them: a workbook whose sheet or shared strings inflate to 1 GiB, one
declaring 1M x 16k cells, one of 5 million rows, a damaged and a DTD-carrying one,
``/dev/zero``, ten million volunteers in a gzip file, 1.2 billion candidate pairs, a
9 GiB skill matrix. Each must end in exit 2 with a message, within seconds, far below
the cap. The baseline in the same run is ``validate`` on the province
(``instances/markazi-season.json.gz``) under the same cap.

Run: ``python benchmarks/bench_hostile.py [--cap-gib 4] [--no-write]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import REPO, machine_line, markdown_table, write_section

CLI = [sys.executable, "-c", "from campplanner.cli import main; main()"]
TINY = str(REPO / "instances" / "tiny.json")
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def run(args: list[str], cap: int) -> tuple[float, int, float, str]:
    """Wall seconds, exit code, peak RSS (GiB) and the first error line of one process."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    started = time.monotonic()
    done = subprocess.run(
        [*CLI, *args], capture_output=True, text=True, check=False, preexec_fn=limit, timeout=900
    )
    wall = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    said = " ".join(done.stderr.split())
    if "Traceback" in done.stderr:
        said = "TRACEBACK: " + done.stderr.strip().splitlines()[-1]
    return wall, done.returncode, peak, said[:110]


# ------------------------------------------------------------------- the workbooks


def _roster_book(folder: Path) -> tuple[Path, dict[str, bytes]]:
    import xlsxwriter

    path = folder / "plain.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("roster")
    for row, values in enumerate([["volunteer", "camp", "skill"], ["v01", "c1", "nurse"]]):
        sheet.write_row(row, 0, values)
    book.close()
    with zipfile.ZipFile(path) as archive:
        return path, {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _book(folder: Path, name: str, parts: dict[str, Any]) -> Path:
    _, plain = _roster_book(folder)
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in {**plain, **parts}.items():
            if callable(data):
                with archive.open(part, "w", force_zip64=True) as stream:
                    data(stream)
            else:
                archive.writestr(part, data)
    return path


def _sheet_xml(plain: dict[str, bytes]) -> str:
    return plain[SHEET].decode()


def sheet_bomb(folder: Path) -> Path:
    xml = _sheet_xml(_roster_book(folder)[1])
    head, tail = xml.split("</sheetData>")

    def write(stream: Any) -> None:
        stream.write(head.encode())
        for _ in range(1024):
            stream.write(b"<row/>" * (1024**2 // 6))
        stream.write(b"</sheetData>" + tail.encode())

    return _book(folder, "sheet-bomb.xlsx", {SHEET: write})


def strings_bomb(folder: Path) -> Path:
    def write(stream: Any) -> None:
        stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        text = b"<si><t>" + b"a" * 1_000_000 + b"</t></si>"
        for _ in range(1024):
            stream.write(text)
        stream.write(b"</sst>")

    return _book(folder, "strings-bomb.xlsx", {STRINGS: write})


def dimension(folder: Path) -> Path:
    xml = _sheet_xml(_roster_book(folder)[1])
    xml = xml.replace('<dimension ref="A1:C2"/>', '<dimension ref="A1:XFD1048576"/>')
    xml = xml.replace(
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    return _book(folder, "dimension.xlsx", {SHEET: xml})


def many_rows(folder: Path) -> Path:
    xml = _sheet_xml(_roster_book(folder)[1])
    return _book(
        folder,
        "rows.xlsx",
        {SHEET: xml.replace("</sheetData>", "<row/>" * 5_000_000 + "</sheetData>")},
    )


def damaged(folder: Path) -> Path:
    xml = _sheet_xml(_roster_book(folder)[1])
    return _book(folder, "damaged.xlsx", {SHEET: xml[: len(xml) // 2]})


def entities(folder: Path) -> Path:
    xml = _sheet_xml(_roster_book(folder)[1])
    dtd = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
    xml = xml.replace('<dimension ref="A1:C2"/>', '<dimension ref="A1:C2"/>' + dtd)
    return _book(folder, "entities.xlsx", {SHEET: xml.replace(">v01<", ">&b;<")})


# ------------------------------------------------------------------- the instances


def _write_gzip(path: Path, head: str, items: Any, tail: str) -> Path:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as stream:
        stream.write(head)
        first = True
        for item in items:
            stream.write(("" if first else ",") + json.dumps(item, separators=(",", ":")))
            first = False
        stream.write(tail)
    return path


_PLACES = [{"id": "p", "name": "p", "lat": 34.0, "lon": 49.7}]


def _instance(
    volunteers: Any, camps: list[dict[str, Any]], skills: list[dict[str, Any]], path: Path
) -> Path:
    head = (
        json.dumps(
            {"format": "campplanner/1", "skills": skills, "places": _PLACES, "camps": camps}
        )[:-1]
        + ',"volunteers":['
    )
    return _write_gzip(path, head, volunteers, "]}")


def _camp(k: int, skill: str = "s") -> dict[str, Any]:
    return {
        "id": f"c{k}",
        "name": "c",
        "place": "p",
        "start": "2024-07-01",
        "end": "2024-07-05",
        "capacity": 5,
        "requirements": [{"skill": skill, "count": 1}],
    }


def ten_million(folder: Path) -> Path:
    people = (
        {"id": f"v{k}", "name": "n", "home": "p", "skills": {"s": 1}} for k in range(10_000_000)
    )
    return _instance(people, [_camp(0)], [{"id": "s", "name": "s"}], folder / "people.json.gz")


def candidates(folder: Path) -> Path:
    people = ({"id": f"v{k}", "name": "n", "home": "p", "skills": {"s": 1}} for k in range(20_000))
    camps = [_camp(k) for k in range(60_000)]
    return _instance(people, camps, [{"id": "s", "name": "s"}], folder / "pairs.json.gz")


def skill_matrix(folder: Path) -> Path:
    people = (
        {"id": f"v{k}", "name": "n", "home": "p", "skills": {"s0": 1}} for k in range(100_000)
    )
    skills = [{"id": f"s{k}", "name": "s"} for k in range(100_000)]
    return _instance(people, [_camp(0, "s0")], skills, folder / "matrix.json.gz")


CASES: list[tuple[str, str, Callable[[Path], Path] | None]] = [
    ("workbook: a sheet inflating to 1 GiB", "check", sheet_bomb),
    ("workbook: shared strings inflating to 1 GiB", "check", strings_bomb),
    ("workbook: <dimension> A1:XFD1048576 (13 KB)", "check", dimension),
    ("workbook: 5 million rows", "check", many_rows),
    ("workbook: a sheet cut short", "check", damaged),
    ("workbook: DTD and entities after <dimension>", "check", entities),
    ("validate /dev/zero", "validate", None),
    ("10,000,000 volunteers (gzip)", "validate", ten_million),
    ("1.2 billion candidate pairs", "validate", candidates),
    ("a 9.3 GiB skill matrix", "validate", skill_matrix),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cap-gib", type=float, default=4.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    cap = int(args.cap_gib * 1024**3)
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        baseline = run(["validate", str(REPO / "instances" / "markazi-season.json.gz")], cap)
        rows.append(
            [
                "baseline: validate the province",
                "-",
                f"{baseline[0]:.1f}",
                str(baseline[1]),
                f"{baseline[2]:.2f}",
                "(a summary)",
            ]
        )
        for title, command, craft in CASES:
            path = "/dev/zero" if craft is None else str(craft(folder))
            size = "-" if craft is None else f"{Path(path).stat().st_size / 1e6:.2f} MB"
            target = [TINY, path] if command == "check" else [path]
            wall, code, peak, said = run([command, *target], cap)
            rows.append(
                [
                    title,
                    size,
                    f"{wall:.1f}",
                    str(code),
                    f"{peak:.2f}",
                    said.replace("|", "/").replace(path, "FILE"),
                ]
            )
            print(" | ".join(rows[-1]), flush=True)
    header = ["file", "size on disk", "wall s ", "exit ", "peak RSS GiB (upper bound) ", "message"]
    markdown = "\n".join(
        [
            f"## Hostile sizes refused (`bench_hostile.py`, under a {args.cap_gib:g} GiB cap)",
            "",
            machine_line(),
            "",
            "Each crafted file through a fresh `campplanner` process under `ulimit -v`; exit 2 "
            "with a message is the goal, never a traceback (peak RSS is the largest child so "
            "far: an upper bound). The `<dimension>` file is a readable roster once its "
            "declared size is ignored: exit 1 is `check` reporting its violations.",
            "",
            markdown_table(header, rows),
        ]
    )
    print(markdown)
    if not args.no_write:
        write_section("hostile", markdown)


if __name__ == "__main__":
    main()
