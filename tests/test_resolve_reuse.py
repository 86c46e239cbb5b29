"""A re-solve of the review page starts from the current version's compiled season, the
edits applied to it in memory (``whatif.scenario.edited_model``,
``model.compile.recompiled``), not from the edited instance read and compiled again:
the same instance, the same problem array for array, the same roster at equal work.

On the small instance (400 volunteers), solved once under a work limit.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from builders import REPO, away_for_first_camp, solved_on_work
from campplanner.app.review import resolves
from campplanner.app.review.actor import Actor
from campplanner.app.review.edits import edited_instance
from campplanner.app.review.opening import open_review
from campplanner.app.review.session import ReviewSession
from campplanner.contract.instance import instance_from_data, load_instance
from campplanner.model.compile import compile_instance, recompiled
from campplanner.solver import SolveOptions
from campplanner.whatif.scenario import edited_model

SMALL = REPO / "instances" / "small.json"
ANA = Actor("ana", "province")
WORK = 1.0  # deterministic work of each re-solve: rosters compared, never clocks


def assert_same_fields(ours, theirs, *, dtypes: bool = True) -> None:
    """Two dataclasses (problems, baselines) equal field for field: arrays element for
    element (and of one dtype, unless ``dtypes`` is False), the rest by ``==``."""
    for field in dataclasses.fields(theirs):
        a, b = getattr(ours, field.name), getattr(theirs, field.name)
        if isinstance(b, np.ndarray):
            assert (not dtypes or a.dtype == b.dtype) and np.array_equal(a, b), field.name
        else:
            assert a == b, field.name


def record_edits(instance) -> list[dict]:
    """One edit of every kind a planner records: away (someone always available, and
    thirty at once), remove (forbid) and lock."""
    people = [v.id for v in instance.volunteers]
    camps = instance.camps
    lock_camp = camps[9]
    problem = compile_instance(instance)
    requirement = int(problem.camp_requirements[9])
    pointer, order = problem.requirement_candidates
    holder = problem.volunteer_ids[
        problem.candidate_volunteer[order[pointer[requirement]]]
    ]  # a lock that can hold
    return [
        {
            "op": "unavailable",
            "volunteers": people[5:35],
            "first": camps[3].start,
            "last": camps[3].end,
        },
        {
            "op": "unavailable",
            "volunteers": [people[40]],
            "first": camps[0].start,
            "last": camps[-1].end,
        },
        {
            "op": "forbid",
            "pairs": [
                {"volunteer": people[50], "camp": camps[7].id},
                {"volunteer": people[51], "camp": camps[8].id},
            ],
        },
        {
            "op": "lock",
            "assignments": [
                {
                    "volunteer": holder,
                    "camp": lock_camp.id,
                    "skill": lock_camp.requirements[0].skill,
                }
            ],
        },
    ]


def test_an_edit_applied_in_memory_is_the_edited_file_read_and_compiled() -> None:
    instance = load_instance(SMALL)
    problem = compile_instance(instance)
    edits = record_edits(instance)
    raw = SMALL.read_bytes()
    fresh_instance = instance_from_data(json.loads(edited_instance(raw, edits)))
    fresh = compile_instance(fresh_instance)
    found = edited_model(instance, edits, instance.name)  # as the page's re-solve names it
    assert found is not None
    edited, changed = found
    assert edited == fresh_instance and edited.name == "small"
    named = {*edits[0]["volunteers"], *edits[1]["volunteers"]}
    named |= {e["volunteer"] for e in edits[2]["pairs"] + edits[3]["assignments"]}
    assert [instance.volunteers[k].id for k in changed] == sorted(named)  # 33 or 34
    again = recompiled(problem, edited, changed)
    assert fresh.num_candidates < problem.num_candidates  # the edits removed candidates
    assert len(again.locked_candidates) == 1
    assert_same_fields(again, fresh)


def test_edits_it_cannot_apply_in_memory_are_left_to_the_full_read() -> None:
    instance = load_instance(SMALL)
    camp = instance.camps[0].id
    for edits in (
        [{"op": "set_camp", "camp": camp, "capacity": 3}],  # a county's scope
        [{"op": "forbid", "pairs": [{"volunteer": "nobody", "camp": camp}]}],
        [{"op": "lock", "assignments": [{"volunteer": "v00001", "camp": camp, "skill": "x"}]}],
        [{"op": "unavailable", "volunteers": ["v00001"], "first": "2026-13-01", "last": "x"}],
    ):
        assert edited_model(instance, edits) is None, edits


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solved_on_work(SMALL, tmp_path_factory.mktemp("published") / "published.json", WORK)


@pytest.fixture
def session(tmp_path: Path, published: Path):
    opened = open_review(
        str(SMALL), str(published), f"sqlite:///{tmp_path / 'ws.sqlite'}", say=lambda _: None
    )
    opened.time_limit = 120.0  # the safety net: both re-solves end on their work
    opened.work_limit = WORK
    yield opened
    opened.close()
    opened.workspace.close()


def _finished(session: ReviewSession, job_id: str) -> dict:
    session.background.resolves[job_id].job.wait(300)
    return session.resolve(ANA, job_id)


def test_a_resolve_reuses_the_current_season_and_finds_the_roster_of_a_fresh_read(
    session: ReviewSession,
) -> None:
    head = session.head()
    rev = session.state(ANA)["rev"]
    for volunteer in [v.volunteer_id for v in head.view.itineraries if v.stops][:6]:
        stop = head.itineraries[volunteer].stops[0].camp
        rev = session.add_edit(
            ANA,
            {
                "kind": "unavailable",
                "volunteer": volunteer,
                "first": stop.start,
                "last": stop.end,
                "rev": rev,
            },
        )["rev"]
    reused = _finished(session, session.start_resolve(ANA))
    phases = [e["phase"] for e in reused["events"]]
    assert "applying the edits" in phases and "reading" not in phases  # nothing read again
    fresh_id = resolves.start_resolve(
        session.workspace, session.background, session.time_limit, work_limit=WORK
    )  # the workspace's edited instance, read and compiled as a file
    fresh = _finished(session, fresh_id)
    assert "reading" in [e["phase"] for e in fresh["events"]]
    ours = session.background.resolves[reused["id"]].job.result().outcome
    theirs = session.background.resolves[fresh_id].job.result().outcome
    assert ours.instance == theirs.instance
    assert ours.result.coverage == theirs.result.coverage
    assert np.array_equal(ours.result.assigned, theirs.result.assigned)
    assert reused["finished"]["diff"] == fresh["finished"]["diff"]
    # accepted, the version keeps the edited instance as the file path writes it
    accepted = session.accept(ANA, reused["id"], "", session.state(ANA)["rev"])
    stored = session.workspace.instance_json(accepted["version"])
    assert instance_from_data(json.loads(stored)) == theirs.instance


def _away(session: ReviewSession, people: int, skip: int = 0) -> None:
    away_for_first_camp(session, ANA, people, skip)


def test_a_replan_after_away_edits_keeps_its_parents_bound_and_names_its_season(
    session: ReviewSession,
) -> None:
    """One bound per season: edits that only take days away cannot raise the maximum
    coverage, so a re-plan's bound is never above its parent's, and the page says which
    version's season the bound was proven for."""
    first = session.overview(ANA)
    assert first["bound"] is not None and first["bound_season"] == first["version"]
    parent_bound, parent = first["bound"], first["version"]
    for round_ in range(2):
        _away(session, 3, skip=10 * round_)
        job = session.start_resolve(ANA)
        shown = _finished(session, job)["finished"]
        assert shown["bound"] <= parent_bound  # never above the parent's
        assert shown["bound_season"] in (None, first["bound_season"])
        if shown["bound"] == parent_bound:  # the parent's proof: its season named
            assert shown["bound_season"] == first["bound_season"]
        session.accept(ANA, job, "", session.state(ANA)["rev"])
        now = session.overview(ANA)
        assert now["bound"] == shown["bound"]
        assert now["bound_season"] == (shown["bound_season"] or now["version"])
        parent_bound, parent = now["bound"], now["version"]
        first = now
    assert parent > 1


def test_the_page_names_the_season_of_its_bound(tmp_path: Path, published: Path) -> None:
    from web_helpers import post, served, wait_for_job

    site, client = served(SMALL, tmp_path, solution=published, time_limit=120.0)
    site.work_limit = WORK
    try:
        page = client.get("/?lang=en").text
        assert "proven for this version&#39;s season" in page or "proven for this version's" in page
        persian = client.get("/?lang=fa").text
        assert "اثبات‌شده برای فصلِ همین نسخه" in persian
        head = site.head()
        volunteer = next(v.volunteer_id for v in head.view.itineraries if v.stops)
        stop = head.itineraries[volunteer].stops[0].camp
        edit = {"kind": "unavailable", "volunteer": volunteer}
        assert post(
            client, "/api/edits", {**edit, "first": stop.start, "last": stop.end}
        ).is_success
        job = post(client, "/api/solve").json()["job"]
        state = wait_for_job(client, job, timeout=300)
        season = state["finished"]["bound_season"]
        assert post(client, f"/api/jobs/{job}/accept").is_success
        persian = client.get("/?lang=fa").text
        if season is None:
            assert "اثبات‌شده برای فصلِ همین نسخه" in persian
        else:  # the bound of version 1's season, said so
            assert "اثبات‌شده برای فصلِ نسخهٔ" in persian and "<bdi>۱</bdi>" in persian
    finally:
        site.close()
        site.workspace.close()


def test_a_replan_of_the_edits_changes_alone_makes_no_improvement_call(
    session: ReviewSession,
) -> None:
    """The option "only the changes the edits need": someone in a role no camp needs to
    run is away for their camp; the re-plan may move them, and nobody else."""
    head = session.head()
    problem = head.problem
    volunteer, camp, _ = next(
        (v, c, s)
        for v, c, s in head.triples
        if not problem.requirement_essential[
            problem.requirement_index[(problem.camp_index[c], problem.skill_index[s])]
        ]
    )
    stop = head.camps[camp]
    fields = {"kind": "unavailable", "volunteer": volunteer, "rev": session.state(ANA)["rev"]}
    session.add_edit(ANA, {**fields, "first": stop.start, "last": stop.end})
    job = session.start_resolve(ANA, edits_only=True)
    shown = _finished(session, job)["finished"]
    diff = shown["diff"]
    assert diff["people_changed"] >= 1
    assert {e["volunteer"] for k in ("added", "removed", "moved") for e in diff[k]} == {volunteer}
    assert shown["bound"] is None or shown["bound"] <= session.overview(ANA)["bound"]
    version = session.accept(ANA, job, "", session.state(ANA)["rev"])["version"]
    calls = session.calls_page(ANA, version)["groups"]
    assert calls["improvements"] == []
    assert [c["volunteer"] for c in calls["needed"]] == [volunteer]
    # the new version is the whole season: its pages rank every candidate
    now = session.head()
    assert now.problem.num_candidates == compile_instance(now.instance).num_candidates


def test_accept_stores_what_was_made_while_the_planner_read_the_diff(
    session: ReviewSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accepting writes nothing then: the roster's file, the edited instance and the new
    version's pages were made in the background once the diff was shown."""
    _away(session, 2)
    job = session.start_resolve(ANA)
    _finished(session, job)
    replanned = session.background.resolves[job].job.result()
    made = replanned.files()  # the background's, waited for (made once)
    assert session.resolve(ANA, job)["accept_ready"] is True  # the page stops waiting

    def again(*args, **kwargs):
        raise AssertionError("made again at accept")

    monkeypatch.setattr(resolves, "unexplained_solution_json", again)
    monkeypatch.setattr(resolves, "edited_instance", again)
    monkeypatch.setattr(resolves, "ready", again)
    version = session.accept(ANA, job, "", session.state(ANA)["rev"])["version"]
    assert session.workspace.solution_json(version) == made.solution_json
    head = session.head()
    assert head is made.opened and head.version.id == version
    assert instance_from_data(json.loads(session.workspace.instance_json(version))) == head.instance
    # who to call after it: from the open version, the workspace's roster not read again
    from campplanner.app.review import calls

    read = calls.calls_page(session.workspace, version, ANA)
    monkeypatch.setattr(calls, "instance_from_data", again)
    assert session.calls_page(ANA, version) == read
    assert (
        session.calls_file(ANA, version, "csv").content
        == calls.calls_file(
            calls.version_calls(session.workspace, version, ANA, head.view), version, "csv"
        ).content
    )


def test_what_the_roster_does_not_change_is_made_during_the_search_as_accept_would(
    session: ReviewSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edited instance's file and its fingerprint, made once the search starts
    (``AheadOfAccept``), give the accept's files byte for byte; the opened version's
    roster, taken from the solve's indices, is the one its file names."""
    from campplanner.app.jobs import ProgressEvent
    from campplanner.explain import roster_from_assignments

    _away(session, 2)
    job = session.start_resolve(ANA)
    _finished(session, job)
    replanned = session.background.resolves[job].job.result()
    made = replanned.files()
    ahead = resolves.AheadOfAccept(replanned.base_json, replanned.ops, replanned.outcome.instance)
    ahead.start_at_search(ProgressEvent(0.0, "solving", stage="first roster"))
    assert ahead._thread is None  # not during the first roster: Python's own work
    ahead.start_at_search(ProgressEvent(0.0, "solving", stage=resolves.SEARCH_STAGE))
    again = dataclasses.replace(
        replanned, ahead=ahead, edited_json=None, _files=None, _unscoped_json=None
    )

    def not_again(*args, **kwargs):
        raise AssertionError("made again after the search")

    ahead.finished()
    monkeypatch.setattr(resolves, "edited_instance", not_again)
    monkeypatch.setattr(resolves, "instance_fingerprint", not_again)
    monkeypatch.setattr("campplanner.app.solving.instance_fingerprint", not_again)
    files = again.files()
    assert files.solution_json == made.solution_json
    assert files.instance_json == made.instance_json
    opened = files.opened
    assert opened is not None
    from campplanner.contract.solution import roster_triples

    expected = roster_from_assignments(opened.problem, roster_triples(opened.solution))
    assert np.array_equal(opened.assigned, expected)


def test_the_large_replan_takes_its_parents_bound_and_proves_no_other(published: Path) -> None:
    """The season's re-plan (the large method's neighbourhood search) with the parent's
    bound: it reports that bound and spends no time proving its own; without it, it
    proves one (its "bound" phase)."""
    from campplanner.contract.solution import solution_from_data
    from campplanner.model.baseline import baseline_from_triples
    from campplanner.solver.neighbourhood import NeighbourhoodReplanner
    from campplanner.whatif.diff import published_roster

    instance = load_instance(SMALL)
    solution = solution_from_data(json.loads(published.read_text()))
    triples, cancelled = published_roster(solution)
    away = sorted({v for v, _, _ in triples})[:3]
    camp = next(c for c in instance.camps if c.id == triples[0][1])
    edits = [{"op": "unavailable", "volunteers": away, "first": camp.start, "last": camp.end}]
    edited, changed = edited_model(instance, edits)
    problem = recompiled(compile_instance(instance), edited, changed)
    baseline = baseline_from_triples(problem, triples, cancelled)
    parent = solution.coverage_bound
    assert parent is not None
    options = SolveOptions(time_limit=120, work_limit=WORK, known_bound=parent)
    stages: set[str] = set()

    def progress(elapsed: float, coverage: int | None, bound: float, stage: str = "") -> None:
        stages.add(stage)

    kept = NeighbourhoodReplanner(problem, options, baseline).solve(progress)
    assert kept.coverage_bound == parent and "bound" not in kept.timings
    proved = NeighbourhoodReplanner(problem, SolveOptions(120, work_limit=WORK), baseline)
    assert "bound" in proved.solve(progress).timings  # proven again without it
    # every stage the page's progress line hears is worded as a step, in both languages
    from campplanner.web.i18n import WORDS

    assert stages - {""} <= set(resolves.STEP_OF), stages - set(resolves.STEP_OF)
    assert all(step in WORDS for step in resolves.STEP_OF.values())


def test_only_edits_that_take_rosters_away_keep_the_parents_bound() -> None:
    from campplanner.app.solving import with_known_bound
    from campplanner.solver.result import Result

    parent = {"coverage_bound": 90, "bound_season": {"version": 2}}
    away = [{"op": "unavailable", "volunteers": ["v1"], "first": "1403-01-01", "last": "x"}]
    lock = [{"op": "lock", "assignments": []}, {"op": "forbid", "pairs": []}]
    assert resolves.parent_bound(parent, 5, away + lock) == (90, 2)  # version 2's season
    assert resolves.parent_bound({"coverage_bound": 90}, 5, away) == (90, 5)  # its own
    for raising in ("set_camp", "add_volunteers", "unlock", "allow", "set_requirement"):
        assert resolves.parent_bound(parent, 5, [*away, {"op": raising}]) is None
    assert resolves.parent_bound({"coverage_bound": None}, 5, away) is None
    roster = np.array([0, 1], dtype=np.int64)
    weaker = Result("feasible", roster, 80, 95)
    assert with_known_bound(weaker, 90).coverage_bound == 90  # never above the parent's
    tighter = Result("feasible", roster, 80, 85)
    assert with_known_bound(tighter, 90).coverage_bound == 85
    reached = Result("feasible", roster, 90, 95)
    assert with_known_bound(reached, 90).status == "optimal"


def test_the_api_and_the_form_offer_the_edits_changes_alone(
    tmp_path: Path, published: Path
) -> None:
    from web_helpers import post, served, wait_for_job

    site, client = served(SMALL, tmp_path, solution=published, time_limit=120.0)
    site.work_limit = WORK
    try:
        assert 'name="edits_only"' in client.get("/edits").text  # the form's choice
        head = site.head()
        problem = head.problem
        volunteer, camp, _ = next(
            (v, c, s)
            for v, c, s in head.triples
            if not problem.requirement_essential[
                problem.requirement_index[(problem.camp_index[c], problem.skill_index[s])]
            ]
        )
        stop = head.camps[camp]
        edit = {"kind": "unavailable", "volunteer": volunteer}
        assert post(
            client, "/api/edits", {**edit, "first": stop.start, "last": stop.end}
        ).is_success
        job = post(client, "/api/solve", {"edits_only": True}).json()["job"]
        diff = wait_for_job(client, job, timeout=300)["finished"]["diff"]
        assert {e["volunteer"] for k in ("added", "removed", "moved") for e in diff[k]} == {
            volunteer
        }
    finally:
        site.close()
        site.workspace.close()


def test_a_countys_replan_of_the_edits_changes_alone_moves_nobody_else(
    session: ReviewSession,
) -> None:
    """A county coordinator's re-solve (the other counties' camps closed, applied to the
    open season in memory): the edits' changes alone hold there too."""
    head = session.head()
    problem = head.problem
    county = "khomein"
    volunteer, camp, _ = next(
        (v, c, s)
        for v, c, s in head.triples
        if problem.place_counties[int(problem.camp_place[problem.camp_index[c]])] == county
        and not problem.requirement_essential[
            problem.requirement_index[(problem.camp_index[c], problem.skill_index[s])]
        ]
    )
    coordinator = Actor("cora", "county", counties=frozenset({county}))
    stop = head.camps[camp]
    fields = {"kind": "unavailable", "volunteer": volunteer, "rev": session.state(ANA)["rev"]}
    session.add_edit(coordinator, {**fields, "first": stop.start, "last": stop.end})
    job = session.start_resolve(coordinator, edits_only=True)
    state = _finished(session, job)
    assert "reading" not in [e["phase"] for e in state["events"]]  # the season reused
    diff = state["finished"]["diff"]
    assert {e["volunteer"] for k in ("added", "removed", "moved") for e in diff[k]} == {volunteer}


def _county_edits(session: ReviewSession, county: str) -> Actor:
    """Two of ``county``'s serving people away for their camp there, recorded by its
    coordinator: the coordinator."""
    head = session.head()
    problem = head.problem
    coordinator = Actor("cora", "county", counties=frozenset({county}))

    def of_county(camp: str) -> bool:
        return problem.place_counties[int(problem.camp_place[problem.camp_index[camp]])] == county

    elsewhere = {v for v, c, _ in head.triples if not of_county(c)}
    theirs = [(v, c) for v, c, _ in head.triples if of_county(c) and v not in elsewhere]
    rev = session.state(ANA)["rev"]
    for volunteer, camp in theirs[:2]:
        stop = head.camps[camp]
        fields = {"kind": "unavailable", "volunteer": volunteer, "rev": rev}
        fields |= {"first": stop.start, "last": stop.end}
        rev = session.add_edit(coordinator, fields)["rev"]
    return coordinator


def test_a_countys_scope_applied_in_memory_is_the_scoped_file_read_and_compiled(
    session: ReviewSession,
) -> None:
    """The other counties' camps kept as they are (teams locked, no bed left, the empty
    ones closed) on the compiled season: the problem the scoped file compiles to, array
    for array, and the roster it maps."""
    from campplanner.app.review.permissions import scope_of

    coordinator = _county_edits(session, "khomein")
    head = session.head()
    scope = scope_of(coordinator, head.problem, head.triples)
    assert scope is not None and scope.teams and scope.empty  # both kinds of camp
    ops = [op for edit in session.workspace.pending_edits() for op in edit.ops]
    prepared = resolves.reused(head, ops)
    narrowed = resolves.scoped(prepared, scope)
    assert narrowed is not None
    raw = session.workspace.instance_json(head.version.id)
    scoped_file = edited_instance(edited_instance(raw, ops), scope.ops())
    fresh = compile_instance(instance_from_data(json.loads(scoped_file)))
    again = narrowed.problem
    assert again.num_candidates < prepared.problem.num_candidates
    assert len(again.locked_candidates) == sum(len(t) for t in scope.teams.values())
    assert_same_fields(again, fresh)
    from campplanner.model.baseline import baseline_from_triples

    triples, cancelled = prepared.published.triples, prepared.published.cancelled
    theirs = baseline_from_triples(fresh, triples, cancelled)
    ours = narrowed.published.baseline
    assert_same_fields(ours, theirs, dtypes=False)


def test_a_countys_resolve_reads_nothing_and_finds_the_roster_of_the_scoped_file(
    session: ReviewSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A county coordinator's re-solve starts from the open season, as the province's
    does (issue 25: it read and compiled the whole season first): no instance read or
    compiled, and at equal work the roster of the scoped file read and compiled; once
    accepted, the new version opens from memory too, as a roster of the whole season."""
    from campplanner.app import solving
    from campplanner.app.review.permissions import scope_of

    coordinator = _county_edits(session, "khomein")
    reads: list[str] = []

    def counted(name, call):
        def wrapper(*args, **kwargs):
            reads.append(name)
            return call(*args, **kwargs)

        return wrapper

    for module, name in (
        (solving, "load_instance"),
        (solving, "compile_instance"),
        (resolves, "load_instance"),
        (resolves, "compile_instance"),
        (resolves, "instance_from_data"),
    ):
        monkeypatch.setattr(module, name, counted(name, getattr(module, name)))
    job = session.start_resolve(coordinator)
    reused = _finished(session, job)
    replanned = session.background.resolves[job].job.result()
    made = replanned.files()  # what accept stores and opens, made in the background
    # the re-solve reads and compiles nothing, nor does its accept open the new version
    # by reading it (the edited instance is still written, as the province's is)
    assert reads == []
    phases = [e["phase"] for e in reused["events"]]
    assert "applying the edits" in phases and "reading" not in phases
    monkeypatch.undo()
    head = session.head()
    scope = scope_of(coordinator, head.problem, head.triples)
    only = {e.id for e in session.workspace.pending_edits()}
    fresh_id = resolves.start_resolve(
        session.workspace, session.background, session.time_limit, scope, only, work_limit=WORK
    )  # the scoped file, read and compiled: the path of before
    fresh = _finished(session, fresh_id)
    assert "reading" in [e["phase"] for e in fresh["events"]]
    ours = replanned.outcome
    theirs = session.background.resolves[fresh_id].job.result().outcome
    assert ours.result.coverage == theirs.result.coverage
    assert np.array_equal(ours.result.assigned, theirs.result.assigned)
    assert reused["finished"]["diff"] == fresh["finished"]["diff"]
    # accepted: stored as a roster of the province's instance, opened from memory
    accepted = session.accept(coordinator, job, "", session.state(ANA)["rev"])
    version = accepted["version"]
    assert session.head() is made.opened and session.head().version.id == version
    stored = json.loads(session.workspace.solution_json(version))
    kept = instance_from_data(json.loads(session.workspace.instance_json(version)))
    from campplanner.contract.solution import instance_fingerprint

    assert stored["fingerprint"] == instance_fingerprint(kept)
    assert "coverage_bound" not in stored and stored["status"] != "optimal"
    assert kept.locked == load_instance(SMALL).locked  # the scope is not kept
    fresh_files = session.background.resolves[fresh_id].job.result().files()
    assert json.loads(fresh_files.solution_json)["assignments"] == stored["assignments"]


def test_a_resolved_version_keeps_the_seasons_name(session: ReviewSession) -> None:
    """A re-solve's version is the season with the edits, under the season's name: its
    instance, its roster file and its problem say "small", not "edits" (issue 25: the
    packets' and the workbook's every printed page, and the attendance history of a
    re-planned season, named it "edits")."""
    _away(session, 2)
    job = session.start_resolve(ANA)
    _finished(session, job)
    version = session.accept(ANA, job, "", session.state(ANA)["rev"])["version"]
    assert json.loads(session.workspace.instance_json(version))["name"] == "small"
    assert json.loads(session.workspace.solution_json(version))["instance"] == "small"
    head = session.head()
    assert head.version.id == version and head.instance.name == head.problem.name == "small"
