"""The read model of a roster (report.roster): one object, whichever front end builds it.

The exports and the page build it from an instance and a solution file (ids), the
terminal and ``compare`` from a compiled problem and a Result (indices); both must give
the same view, and the totals every front end shows are pinned here on a roster worked
out by hand.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from builders import camp, make_instance, place, requirement, skill, tiny_data, volunteer
from campplanner.cli.solve_view import (
    print_county_summary,
    print_result_summary,
    print_rosters,
    print_worst_camps,
)
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import instance_from_data
from campplanner.contract.solution import solution_from_data
from campplanner.explain import CAUSES, explain_camps, explain_roster, roster_from_assignments
from campplanner.io.solution_writer import solution_data
from campplanner.model.compile import compile_instance
from campplanner.model.terms import coverage
from campplanner.report import NO_COUNTY, CountyTotal, RosterView, SkillTotal
from campplanner.solver import SolveOptions, make_solver
from campplanner.solver.result import Result

# Two counties and a village in none; every place within a few km of the others.
PLACES = [
    place("arak", 34.09, 49.69, name="اراک", county="arak"),
    place("khomein", 33.64, 50.08, name="خمین", county="khomein"),
    place("qaleh", 34.10, 49.70, name="قلعه", county="arak"),
    place("sarv", 33.65, 50.07, name="سرو", county="khomein"),
    place("dasht", 33.90, 49.90, name="دشت"),
]
SKILLS = [skill("leader", "سرپرست"), skill("nurse", "پرستار"), skill("mason", "بنا")]


def micro() -> dict[str, Any]:
    """Four camps; the roster below fills c1, half of c2, none of c3, one of c4's three.

    c1 qaleh (arak)     priority 3, 3 beds: nurse x2, mason x1  <- v1, v2 nurses; v3 mason
    c2 sarv (khomein)   priority 2, 5 beds: nurse x2, mason x2  <- v4 nurse; v5 mason
    c3 dasht (none)     priority 1, 4 beds: nurse x1, mason x1  <- nobody (cancelled)
    c4 arak (arak)      priority 5, 1 bed:  mason x3            <- v6 mason (the bed binds)
    v7 (a nurse) is on no camp; v8 may serve on none (max_camps 0), so is not listed.
    """
    nurse, mason = {"nurse": 1}, {"mason": 1}
    return make_instance(
        skills=SKILLS,
        places=PLACES,
        groups=[{"id": "g1", "name": "گروه یک", "home": "arak"}],
        volunteers=[
            volunteer("v1", skills=nurse, group="g1"),
            volunteer("v2", skills=nurse, home="khomein"),
            volunteer("v3", skills=mason),
            volunteer("v4", skills=nurse, home="khomein"),
            volunteer("v5", skills={"mason": 2, "nurse": 1}, home="khomein"),
            volunteer("v6", skills=mason),
            volunteer("v7", skills={"mason": 1, "nurse": 2}, home="khomein"),
            volunteer("v8", skills=nurse, max_camps=0),
        ],
        camps=[
            camp(
                "c1",
                place="qaleh",
                priority=3,
                capacity=3,
                requirements=[requirement("nurse", 2), requirement("mason", 1)],
            ),
            camp(
                "c2",
                place="sarv",
                priority=2,
                capacity=5,
                requirements=[requirement("nurse", 2), requirement("mason", 2)],
            ),
            camp(
                "c3",
                place="dasht",
                priority=1,
                capacity=4,
                requirements=[requirement("nurse", 1), requirement("mason", 1)],
            ),
            camp(
                "c4", place="arak", priority=5, capacity=1, requirements=[requirement("mason", 3)]
            ),
        ],
    )


MICRO_ROSTER = [
    ("v1", "c1", "nurse"),
    ("v2", "c1", "nurse"),
    ("v3", "c1", "mason"),
    ("v4", "c2", "nurse"),
    ("v5", "c2", "mason"),
    ("v6", "c4", "mason"),
]


def both_ways(data: dict[str, Any], triples: list[tuple[str, str, str]]) -> list[RosterView]:
    """The roster ``triples`` over ``data``, read as the terminal and as the exports do."""
    instance = instance_from_data(data)
    problem = compile_instance(instance)
    assigned = roster_from_assignments(problem, triples)
    result = Result("feasible", assigned, coverage(problem, assigned), None)
    solution = solution_from_data(solution_data(problem, result, explain=False))
    return [RosterView.from_result(problem, result), RosterView.from_solution(instance, solution)]


def test_both_constructors_give_the_same_view_of_a_roster() -> None:
    from_result, from_solution = both_ways(micro(), MICRO_ROSTER)
    assert from_result == from_solution
    assert [camp.id for camp in from_result.camps] == ["c1", "c2", "c3", "c4"]
    assert len(from_result.itineraries) == 6 and from_result.unassigned


def test_both_constructors_agree_on_a_solved_roster() -> None:
    # tiny.json, solved: Jalali dates, groups, an empty slot; km to the last bit.
    instance = instance_from_data(tiny_data())
    problem = compile_instance(instance)
    result = make_solver(problem, SolveOptions(time_limit=20, method="greedy")).solve()
    assert result.has_roster
    solution = solution_from_data(solution_data(problem, result, explain=False))
    from_result = RosterView.from_result(problem, result)
    assert from_result == RosterView.from_solution(instance, solution)
    assert from_result.coverage == result.coverage
    assert from_result.filled == len(result.assigned)


def test_the_totals_of_a_roster_worked_out_by_hand() -> None:
    for view in both_ways(micro(), MICRO_ROSTER):
        totals = view.totals
        # camps: c1 full; c2 and c4 short; c3 cancelled
        assert (totals.camps, totals.full, totals.short, totals.cancelled) == (4, 1, 2, 1)
        assert view.camps_run == totals.run == 3
        # slots: asked 3 + 4 + 2 + 3 = 12, filled 3 + 2 + 0 + 1 = 6, by 6 people
        assert (view.asked, view.filled, totals.volunteers_sent) == (12, 6, 6)
        # coverage: c1 3 people x 3 + c2 2 x 2 + c4 1 x 5 = 18
        assert view.coverage == 18
        # per skill (leader asked nowhere: left out): nurse 2+2+1 asked, 2+1 filled;
        # mason 1+2+1+3 asked, 1+1+1 filled
        assert view.skills == [
            SkillTotal("nurse", "پرستار", 5, 3),
            SkillTotal("mason", "بنا", 7, 3),
        ]
        assert [s.percent for s in view.skills] == [60, 43]
        assert totals.unfilled_per_skill == {"mason": 4, "nurse": 2}
        # per county, by name (ا < ب < خ): arak has c1 (3 of 3) and c4 (1 of 3)
        assert totals.counties == [
            CountyTotal("اراک", "arak", 2, 1, 1, 0, 6, 4),
            CountyTotal(NO_COUNTY, "", 1, 0, 0, 1, 2, 0),
            CountyTotal("خمین", "khomein", 1, 0, 1, 0, 4, 2),
        ]
        assert [c.percent for c in totals.counties] == [67, 0, 50]
        # what each camp could still give: c2 (4 - 2) x 2; c3 (2 - 0) x 1; c4's one bed
        # is taken, so its two empty mason slots lose nothing more
        lost = {camp.id: camp.coverage_lost for camp in view.camps}
        assert lost == {"c1": 0, "c2": 4, "c3": 2, "c4": 0}
        assert [u.volunteer_id for u in view.unassigned] == ["v7"]
        # in the instance's skill order, whatever the order of the volunteer's own list
        assert view.unassigned[0].skills == (("پرستار", 2), ("بنا", 1))


def test_a_county_part_has_its_own_totals_and_they_add_up() -> None:
    view = RosterView.from_solution(
        instance_from_data(micro()),
        solution_from_data(
            {
                "status": "feasible",
                "assignments": [
                    {"volunteer": v, "camp": c, "skill": k} for v, c, k in MICRO_ROSTER
                ],
            }
        ),
    )
    parts = [view.of_county(name) for name in view.counties]
    assert [part.totals.camps for part in parts] == [2, 1, 1]
    arak = parts[0]
    assert [camp.id for camp in arak.camps] == ["c1", "c4"]
    assert arak.skills == [SkillTotal("nurse", "پرستار", 2, 2), SkillTotal("mason", "بنا", 4, 2)]
    assert {p.volunteer_id for p in arak.itineraries} == {"v1", "v2", "v3", "v6"}
    assert arak.coverage == view.coverage  # a bound is the whole roster's, so is coverage
    assert sum(part.asked for part in parts) == view.asked
    assert sum(part.filled for part in parts) == view.filled
    assert [u.volunteer_id for u in parts[2].unassigned] == ["v7"]  # at home in khomein


def test_the_terminal_prints_the_totals_by_county_id_and_the_worst_camps() -> None:
    view, _ = both_ways(micro(), MICRO_ROSTER)
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    print_county_summary(console, view)
    print_worst_camps(console, view)
    # the counties by their id in the file ("-": none), the worst camps by what they
    # could still give (c4's bed is taken: it loses nothing more)
    assert out.getvalue().splitlines() == [
        "                         Per county                         ",
        "┏━━━━━━━━━┳━━━━━━━┳━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━┓",
        "┃ county  ┃ camps ┃ run ┃ cancelled ┃ slots filled ┃ share ┃",
        "┡━━━━━━━━━╇━━━━━━━╇━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━┩",
        "│ -       │     1 │   0 │         1 │       0 of 2 │    0% │",
        "│ arak    │     2 │   2 │         0 │       4 of 6 │   67% │",
        "│ khomein │     1 │   1 │         0 │       2 of 4 │   50% │",
        "└─────────┴───────┴─────┴───────────┴──────────────┴───────┘",
        "            The 2 camps that lose most coverage             ",
        "┏━━━━━━┳━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓",
        "┃ camp ┃ priority ┃ filled ┃ status    ┃ next              ┃",
        "┡━━━━━━╇━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩",
        "│ c2   │        2 │ 2 of 4 │ short     │ explain --camp c2 │",
        "│ c3   │        1 │ 0 of 2 │ cancelled │ explain --camp c3 │",
        "└──────┴──────────┴────────┴───────────┴───────────────────┘",
        "For each camp's evidence and what would fix it: campplanner explain INSTANCE "
        "SOLUTION --camp ID",
    ]


def test_the_camps_that_lose_most_say_their_cause_and_the_next_command() -> None:
    """Issue 26: the season's summary listed its worst camps as ``cancelled:`` and
    nothing after it (the season's reasons were not worked out within the time
    limit); the reasons of those ten camps alone take a fraction of a second."""
    instance = instance_from_data(micro())
    problem = compile_instance(instance)
    assigned = roster_from_assignments(problem, MICRO_ROSTER)
    result = Result("feasible", assigned, coverage(problem, assigned), None)
    view = RosterView.from_result(problem, result)
    worst = explain_camps(problem, assigned, [camp.index for camp in view.worst(10)])
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    print_worst_camps(console, view, worst, ("season.json", "roster.json"))
    rows = [line for line in out.getvalue().splitlines() if line.startswith("│")]
    assert [row.split("│")[4].strip() for row in rows] == [
        f"short: {CAUSES[worst.slots[0].cause]}",
        f"cancelled: {CAUSES[worst.cancelled[0].root_cause]}",
    ]
    assert [row.split("│")[5].strip() for row in rows] == [
        "explain --camp c2",
        "explain --camp c3",
    ]
    assert "campplanner explain season.json roster.json --camp ID" in out.getvalue()
    assert not any(row.split("│")[4].strip().endswith(":") for row in rows)
    # the same causes as the whole roster's reasons give
    whole = explain_roster(problem, assigned)
    assert {r.camp: r.root_cause for r in whole.cancelled} == {
        r.camp: r.root_cause for r in worst.cancelled
    }
    # no solution file written: the command says to write one first
    out = io.StringIO()
    print_worst_camps(Console(file=out, width=200), view, worst, ("season.json", None))
    assert "explain season.json SOLUTION.json --camp ID (solve again with -o" in out.getvalue()


def test_the_terminal_prints_each_roster_and_the_summary_as_before() -> None:
    # Pinned as the terminal printed them before the read model (from the arrays).
    instance = instance_from_data(micro())
    problem = compile_instance(instance)
    assigned = roster_from_assignments(problem, MICRO_ROSTER)
    result = Result("feasible", assigned, coverage(problem, assigned), None)
    view = RosterView.from_result(problem, result)
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    print_rosters(console, view)
    print_result_summary(console, result, view)
    assert out.getvalue().splitlines() == [
        "c1  c1  |  قلعه (arak)  |  2021-07-01 .. 2021-07-05  |  priority 3  |  3/3 beds",
        "┏━━━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━┳━━━━┓",
        "┃ role   ┃ name ┃ group   ┃ home ┃ km ┃",
        "┡━━━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━╇━━━━┩",
        "│ پرستار │ v1   │ گروه یک │ اراک │  2 │",
        "│ پرستار │ v2   │ -       │ خمین │ 81 │",
        "│ بنا    │ v3   │ -       │ اراک │  2 │",
        "└────────┴──────┴─────────┴──────┴────┘",
        "c2  c2  |  سرو (khomein)  |  2021-07-01 .. 2021-07-05  |  priority 2  |  2/5 beds",
        "┏━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━┳━━━━┓",
        "┃ role   ┃ name        ┃ group ┃ home ┃ km ┃",
        "┡━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━╇━━━━┩",
        "│ پرستار │ v4          │ -     │ خمین │  2 │",
        "│ بنا    │ v5          │ -     │ خمین │  2 │",
        "│ پرستار │ unfilled x1 │       │      │    │",
        "│ بنا    │ unfilled x1 │       │      │    │",
        "└────────┴─────────────┴───────┴──────┴────┘",
        "c3  c3  |  دشت  |  2021-07-01 .. 2021-07-05  |  priority 1  |  0/4 beds  "
        "CANCELLED: nobody assigned",
        "c4  c4  |  اراک (arak)  |  2021-07-01 .. 2021-07-05  |  priority 5  |  1/1 beds",
        "┏━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━┳━━━━┓",
        "┃ role ┃ name        ┃ group ┃ home ┃ km ┃",
        "┡━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━╇━━━━┩",
        "│ بنا  │ v6          │ -     │ اراک │  0 │",
        "│ بنا  │ unfilled x2 │       │      │    │",
        "└──────┴─────────────┴───────┴──────┴────┘",
        "           Summary            ",
        "┌─────────────────┬──────────┐",
        "│ status          │ feasible │",
        "│ coverage        │       18 │",
        "│ proven bound    │        - │",
        "│ gap             │        - │",
        "│ camps run       │   3 of 4 │",
        "│ camps cancelled │        1 │",
        "│ slots filled    │  6 of 12 │",
        "│ volunteers used │        6 │",
        "└─────────────────┴──────────┘",
        "          Slots filled per skill           ",
        "┏━━━━━━━┳━━━━━━━━┳━━━━━━━━┳━━━━━━━┳━━━━━━━┓",
        "┃ skill ┃ name   ┃ filled ┃ asked ┃ share ┃",
        "┡━━━━━━━╇━━━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━┩",
        "│ nurse │ پرستار │      3 │     5 │   60% │",
        "│ mason │ بنا    │      3 │     7 │   43% │",
        "└───────┴────────┴────────┴───────┴───────┘",
    ]


def test_phones_reserves_and_calls_come_from_the_files_only() -> None:
    data = micro()
    data["volunteers"][0]["phone"] = "09121234567"
    from_result, from_solution = both_ways(data, MICRO_ROSTER)
    assert from_solution.has_phones and not from_result.has_phones
    assert from_result.calls is None and from_result.reserve_rows == []


def test_unknown_ids_are_refused_with_their_path() -> None:
    solution = solution_from_data(
        {
            "status": "feasible",
            "assignments": [
                {"volunteer": "v99", "camp": "c1", "skill": "nurse"},
                {"volunteer": "v1", "camp": "c9", "skill": "nurse"},
                {"volunteer": "v1", "camp": "c4", "skill": "nurse"},
            ],
        }
    )
    with pytest.raises(InstanceError) as raised:
        RosterView.from_solution(instance_from_data(micro()), solution, "roster.json")
    paths = [issue.path for issue in raised.value.issues]
    assert paths == ["assignments[0].volunteer", "assignments[1].camp", "assignments[2].skill"]


def test_a_solve_whose_reasons_did_not_fit_still_says_why_its_worst_camps_lose(
    tmp_path,
) -> None:
    """The summary's worst camps come with their causes even when the roster's reasons
    were not worked out (``explain=False`` stands for a season past its time limit)."""
    from builders import REPO
    from campplanner.app.solving import WORST_CAMPS, SolveRequest, solve
    from campplanner.cli.solve_view import print_solve_outcome

    request = SolveRequest(
        str(REPO / "instances" / "small.json"),
        SolveOptions(method="greedy", time_limit=30),
        output_path=str(tmp_path / "roster.json"),
        explain=False,
    )
    outcome = solve(request)
    assert outcome.explanation is None and outcome.worst is not None and outcome.view
    worst = outcome.view.worst(WORST_CAMPS)
    assert worst
    said = {r.camp for r in outcome.worst.slots} | {r.camp for r in outcome.worst.cancelled}
    assert said == {camp.index for camp in worst}
    out = io.StringIO()
    print_solve_outcome(Console(file=out, width=250, color_system=None), outcome, full=False)
    text = out.getvalue()
    rows = [line.split("│") for line in text.splitlines() if "explain --camp" in line]
    assert len(rows) == len(worst)
    assert all(": " in row[4] and row[4].split(": ")[1].strip() for row in rows), text
    assert f"campplanner explain {request.instance_path} {request.output_path} --camp ID" in text
