"""Small builders of instance files for tests: plain dicts, as a planner's file holds them.

Every builder returns JSON-ready data that tests may mutate before loading, so a test
states only what it is about::

    data = make_instance(
        volunteers=[volunteer("v1", skills={"nurse": 2}, gender="f")],
        camps=[camp("c1", requirements=[requirement("nurse", level=2)], gender="f")],
    )
    problem = compile_data(data)

Defaults make a valid Gregorian instance: three skills, a town and a village about
20 km apart, one volunteer who can fill the one slot of one camp.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine

from campplanner.contract.instance import instance_from_data
from campplanner.contract.schema import Instance
from campplanner.model.compile import compile_instance
from campplanner.model.problem import Problem

REPO = Path(__file__).resolve().parents[1]
TINY_PATH = REPO / "instances" / "tiny.json"

DEFAULT_SKILLS = ("leader", "nurse", "mason")
TOWN = "arak"
VILLAGE = "village"
START, END = "2021-07-01", "2021-07-05"


def tiny_data() -> dict[str, Any]:
    """A fresh copy of the shipped example ``instances/tiny.json`` (Jalali, 12 volunteers)."""
    return json.loads(TINY_PATH.read_text(encoding="utf-8"))


def skill(skill_id: str, name: str | None = None) -> dict[str, Any]:
    return {"id": skill_id, "name": name if name is not None else skill_id}


def place(place_id: str, lat: float = 34.09, lon: float = 49.69, **fields: Any) -> dict[str, Any]:
    return {"id": place_id, "name": place_id, "lat": lat, "lon": lon, **fields}


def group(group_id: str, home: str | None = TOWN, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": group_id, "name": group_id, **fields}
    if home is not None:
        data["home"] = home
    return data


def volunteer(
    volunteer_id: str,
    *,
    home: str = TOWN,
    skills: dict[str, int] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A volunteer; ``skills`` defaults to ``{"nurse": 1}``; any other field by keyword."""
    return {
        "id": volunteer_id,
        "name": volunteer_id,
        "home": home,
        "skills": {"nurse": 1} if skills is None else skills,
        **fields,
    }


def requirement(skill_id: str = "nurse", count: int = 1, **fields: Any) -> dict[str, Any]:
    return {"skill": skill_id, "count": count, **fields}


def camp(
    camp_id: str,
    *,
    place: str = VILLAGE,
    start: str = START,
    end: str = END,
    capacity: int = 10,
    requirements: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A camp; ``requirements`` defaults to one nurse slot; any other field by keyword."""
    return {
        "id": camp_id,
        "name": camp_id,
        "place": place,
        "start": start,
        "end": end,
        "capacity": capacity,
        "requirements": [requirement()] if requirements is None else requirements,
        **fields,
    }


def make_instance(
    *,
    volunteers: list[dict[str, Any]] | None = None,
    camps: list[dict[str, Any]] | None = None,
    skills: list[dict[str, Any]] | None = None,
    places: list[dict[str, Any]] | None = None,
    groups: list[dict[str, Any]] | None = None,
    rules: dict[str, Any] | None = None,
    calendar: str | None = None,
    locked: list[dict[str, Any]] | None = None,
    forbidden: list[dict[str, Any]] | None = None,
    name: str = "test",
    **fields: Any,
) -> dict[str, Any]:
    """A valid instance dict; every list defaults to a small consistent one.

    Arguments left out are left out of the file too when the contract makes them
    optional (``calendar``, ``rules``, ``locked``, ``forbidden``), so defaults are tested.
    Extra keyword arguments become top-level fields (``weights=...``, unknown fields).
    """
    if places is None:
        places = [place(TOWN, 34.0917, 49.6892), place(VILLAGE, 34.20, 49.50)]
    if groups is None:  # one group, at home in the first place if there is one
        groups = [group("g1", home=places[0]["id"] if places else None)]
    data: dict[str, Any] = {
        "format": "campplanner/1",
        "name": name,
        "skills": [skill(s) for s in DEFAULT_SKILLS] if skills is None else skills,
        "places": places,
        "groups": groups,
        "volunteers": [volunteer("v1")] if volunteers is None else volunteers,
        "camps": [camp("c1")] if camps is None else camps,
    }
    if calendar is not None:
        data["calendar"] = calendar
    if rules is not None:
        data["rules"] = rules
    if locked is not None:
        data["locked"] = locked
    if forbidden is not None:
        data["forbidden"] = forbidden
    data.update(fields)
    return copy.deepcopy(data)  # callers may mutate; share nothing with the arguments


def load_data(data: Any, source: str = "<test>") -> Instance:
    """Validate a dict as an instance (raises InstanceError like a file would)."""
    return instance_from_data(data, source)


def compile_data(data: Any) -> Problem:
    """Validate and compile a dict in one step."""
    return compile_instance(load_data(data))


def write_instance(path: Path, data: Any, *, gz: bool | None = None) -> Path:
    """Write ``data`` as UTF-8 JSON (gzip-compressed if ``gz`` or the name ends ``.gz``)."""
    raw = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if gz or (gz is None and path.name.endswith(".gz")):
        raw = gzip.compress(raw)
    path.write_bytes(raw)
    return path


def triples(problem: Problem) -> set[tuple[str, str, str]]:
    """The candidates of a problem as (volunteer id, camp id, skill id) triples."""
    return {
        (
            problem.volunteer_ids[v],
            problem.camp_ids[problem.requirement_camp[r]],
            problem.skill_ids[problem.requirement_skill[r]],
        )
        for v, r in zip(problem.candidate_volunteer, problem.candidate_requirement, strict=True)
    }


def emptied(url: str) -> str:
    """``url``'s database with every table dropped, Alembic's own included (PostgreSQL
    keeps them between tests): a new workspace's."""
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()
    return url


def solved_on_work(instance: Path, output: Path, work: float) -> Path:
    """``instance`` solved on ``work`` into ``output``: a published roster that is the
    same on any machine and at any load (the review tests re-solve it and compare)."""
    from campplanner.app.solving import SolveRequest, solve
    from campplanner.solver import SolveOptions

    options = SolveOptions(time_limit=60, work_limit=work)
    solve(SolveRequest(str(instance), options, output_path=str(output)))
    return output


def one_physician_two_camps(
    skills: list[dict[str, Any]],
    *extra: dict[str, Any],
    more_camps: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    """Camps A (priority 2) and B (priority 1) on the same days; each needs a physician
    (essential) and A two nurses, B one. With one physician only one camp runs: A with
    p1, n1, n2 is worth 3 x 2 = 6, B at most 2 x 1 = 2; so the optimum is A's 6, B is
    cancelled and running it would stop A. ``extra``: more volunteers."""
    return make_instance(
        skills=skills,
        rules={"max_camps": 1},
        volunteers=[
            volunteer("p1", skills={"physician": 1}),
            volunteer("n1"),
            volunteer("n2"),
            *extra,
        ],
        camps=[
            camp(
                "A",
                priority=2,
                requirements=[
                    requirement("physician", essential=True),
                    requirement("nurse", count=2),
                ],
            ),
            camp(
                "B",
                priority=1,
                requirements=[requirement("physician", essential=True), requirement("nurse")],
            ),
            *more_camps,
        ],
    )


def away_for_first_camp(session: Any, actor: Any, people: int, skip: int = 0) -> None:
    """``people`` serving volunteers of a review ``session`` (after the first ``skip``)
    marked away for their first camp, one recorded edit each by ``actor``."""
    head = session.head()
    rev = session.state(actor)["rev"]
    serving = [v.volunteer_id for v in head.view.itineraries if v.stops][skip : skip + people]
    for volunteer in serving:
        stop = head.itineraries[volunteer].stops[0].camp
        fields = {"kind": "unavailable", "volunteer": volunteer, "rev": rev}
        rev = session.add_edit(actor, {**fields, "first": stop.start, "last": stop.end})["rev"]


def beds_bind(names: dict[str, str] | None = None) -> dict[str, Any]:
    """Camp A (priority 3) has 3 beds for 5 roles: an essential leader, two nurses, two
    masons; camp B (priority 1, the same days) asks for two masons. The best roster
    fills A's 3 beds (3 x 3 = 9, the leader among them) and B's masons (2 x 1 = 2): 11,
    leaving two of A's slots empty because its beds are full, with free people qualified
    for them (a nurse or two masons). ``names``: the people's names by id (else their
    ids)."""
    names = names or {}

    def person(volunteer_id: str, **fields: Any) -> dict[str, Any]:
        return volunteer(volunteer_id, name=names.get(volunteer_id, volunteer_id), **fields)

    return make_instance(
        rules={"max_camps": 2},
        volunteers=[
            person("l1", skills={"leader": 1}),
            *(person(v) for v in ("n1", "n2", "n3")),
            *(person(f"m{k}", skills={"mason": 1}) for k in range(4)),
        ],
        camps=[
            camp(
                "A",
                capacity=3,
                priority=3,
                requirements=[
                    requirement("leader", essential=True),
                    requirement("nurse", count=2),
                    requirement("mason", count=2),
                ],
            ),
            camp("B", priority=1, requirements=[requirement("mason", count=2)]),
        ],
    )
