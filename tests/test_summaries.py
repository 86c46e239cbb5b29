"""The pandas tables for county desks and group leaders, on the tiny roster.

tiny: four camps in three counties, twelve volunteers; the optimal roster (see
test_spreadsheets) sends some of them and leaves others on no camp.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from builders import tiny_data
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.io import summaries as S
from campplanner.io.csv_out import roster_csv_files
from campplanner.io.solution_writer import solution_data
from campplanner.io.workbook_out import GROUP_SHEET, UNASSIGNED_SHEET, roster_workbook
from campplanner.model.compile import compile_instance
from campplanner.report import RosterView
from campplanner.solver import CpSatSolver, SolveOptions


@pytest.fixture(scope="module")
def view() -> RosterView:
    instance = instance_from_data(tiny_data())
    problem = compile_instance(instance)
    result = CpSatSolver(problem, SolveOptions(time_limit=20)).solve()
    return RosterView.from_solution(instance, solution_from_data(solution_data(problem, result)))


def test_county_totals_add_up(view: RosterView) -> None:
    headers, rows = S.as_rows(S.county_frame(view))
    assert headers == S.COUNTY_HEADERS
    assert sorted(r[0] for r in rows) == sorted(view.counties)  # Persian names: اراک...
    assert sum(r[1] for r in rows) == len(view.camps)
    assert sum(r[4] for r in rows) == view.asked and sum(r[5] for r in rows) == view.filled
    for row in rows:
        assert row[2] + row[3] == row[1] and row[4] - row[5] == row[6]
        assert isinstance(row[7], int)


def test_every_group_member_is_listed_with_each_camp_in_date_order(view: RosterView) -> None:
    frame = S.group_frame(view)
    grouped = {v["id"]: v.get("group") for v in tiny_data()["volunteers"]}
    members = frame[S.GROUP_HEADERS[1]].tolist()
    assert set(members) == {vid for vid, group in grouped.items() if group}
    for plan in view.itineraries:
        if not plan.group_name:
            continue
        rows = frame[frame[S.GROUP_HEADERS[1]] == plan.volunteer_id]
        assert rows[S.GROUP_HEADERS[5]].tolist() == [stop.camp.id for stop in plan.stops]
    idle = frame[frame[S.GROUP_HEADERS[6]] == S.NOT_SENT]
    assert set(idle[S.GROUP_HEADERS[1]]) == {
        u.volunteer_id for u in view.unassigned if u.group_name
    }


def test_volunteers_on_no_camp_by_county_and_skill(view: RosterView) -> None:
    sent = {plan.volunteer_id for plan in view.itineraries}
    assert {u.volunteer_id for u in view.unassigned} == {
        v["id"] for v in tiny_data()["volunteers"] if v["id"] not in sent
    }
    frame = S.unassigned_frame(view)
    assert len(frame) == sum(len(u.skills) for u in view.unassigned)
    keys = list(zip(frame[S.UNASSIGNED_HEADERS[0]], frame[S.UNASSIGNED_HEADERS[1]], strict=True))
    assert keys == sorted(keys)
    pivot = S.unassigned_pivot(view)
    total = pivot[pivot[S.UNASSIGNED_HEADERS[1]] == S.TOTAL][S.TOTAL].item()
    assert total == len(frame)


def test_the_workbook_and_csv_files_carry_the_tables(view: RosterView) -> None:
    book = openpyxl.load_workbook(io.BytesIO(roster_workbook(view)))
    groups = list(book[GROUP_SHEET].iter_rows(values_only=True))
    assert len(groups) == 1 + len(S.group_frame(view))
    assert book[UNASSIGNED_SHEET].max_row == 1 + len(S.unassigned_frame(view))
    files = roster_csv_files(view)
    assert {
        "counties.csv",
        "groups.csv",
        "unassigned.csv",
        "unassigned_by_skill_and_county.csv",
    } <= set(files)
