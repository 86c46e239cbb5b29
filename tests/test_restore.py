"""Re-planning: published people put back where it costs no coverage (the last step,
and the search's neighbourhoods along the moves it made)."""

from __future__ import annotations

import numpy as np

from builders import camp, compile_data, make_instance, requirement, volunteer
from campplanner.model.rules import enforce_essentials
from campplanner.model.state import RosterState
from campplanner.model.terms import coverage
from campplanner.solver.restore import restore_published


def _candidate(problem, volunteer_id: str, camp_id: str, skill_id: str = "nurse") -> int:
    v = problem.volunteer_index[volunteer_id]
    c = problem.camp_index[camp_id]
    for i in range(problem.volunteer_candidates[v], problem.volunteer_candidates[v + 1]):
        same_skill = problem.skill_ids[problem.candidate_skill[i]] == skill_id
        if problem.candidate_camp[i] == c and same_skill:
            return i
    raise AssertionError(f"{volunteer_id} is no candidate of {camp_id}")


def _is_roster(problem, roster: np.ndarray) -> bool:
    state = RosterState(problem, np.ones(problem.num_camps, dtype=bool))
    for i in roster.tolist():
        if not state.fits(i):
            return False
        state.add(np.array([i]))
    return np.array_equal(np.sort(enforce_essentials(problem, roster)), np.sort(roster))


def test_a_published_holder_gets_the_slot_back_and_a_free_one_is_refilled() -> None:
    # c1 has two nurse slots, published to p1 and p2. The search left p1 out and gave
    # the slot to n1 (not published); p2 was moved out too and the slot is empty.
    # Restoring: p2 fills the empty slot (coverage 2 -> 3, one change fewer), then p1
    # takes the other back from n1 (coverage 3, two changes fewer): the published roster.
    problem = compile_data(
        make_instance(
            volunteers=[
                volunteer("p1"),
                volunteer("p2"),
                volunteer("n1"),
                volunteer("lead", skills={"leader": 1}),
            ],
            camps=[
                camp(
                    "c1",
                    requirements=[
                        requirement("leader", essential=True),
                        requirement("nurse", count=2),
                    ],
                )
            ],
        )
    )
    leader = _candidate(problem, "lead", "c1", "leader")
    p1, p2, n1 = (_candidate(problem, v, "c1") for v in ("p1", "p2", "n1"))
    published = np.array(sorted([leader, p1, p2]))
    roster = np.array(sorted([leader, n1]))
    restored = restore_published(problem, roster, published)
    assert sorted(restored.tolist()) == sorted([leader, p1, p2])
    assert _is_roster(problem, restored)


def test_nobody_is_put_back_into_a_cancelled_camp_nor_a_lock_removed() -> None:
    # c2 is cancelled in the roster (its essential leader serves c1 now): its published
    # nurse stays out. In c1 the nurse slot is held by a locked volunteer: the published
    # nurse does not take it back.
    problem = compile_data(
        make_instance(
            volunteers=[
                volunteer("lead", skills={"leader": 1}),
                volunteer("pub"),
                volunteer("locked"),
                volunteer("pub2"),
            ],
            camps=[
                camp(
                    "c1", requirements=[requirement("leader", essential=True), requirement("nurse")]
                ),
                camp(
                    "c2",
                    start="2021-08-01",
                    end="2021-08-03",
                    requirements=[requirement("leader", essential=True), requirement("nurse")],
                ),
            ],
            locked=[{"volunteer": "locked", "camp": "c1", "skill": "nurse"}],
        )
    )
    lead_c1 = _candidate(problem, "lead", "c1", "leader")
    locked = _candidate(problem, "locked", "c1")
    published = np.array(
        sorted([_candidate(problem, "pub", "c1"), _candidate(problem, "pub2", "c2")])
    )
    roster = np.array(sorted([lead_c1, locked]))
    restored = restore_published(problem, roster, published)
    assert sorted(restored.tolist()) == sorted(roster.tolist())


def test_a_moved_published_volunteer_goes_back_and_the_displaced_one_takes_their_place() -> None:
    # c1 and c2 overlap in time, one nurse slot each. Published: p1 at c1 (c2's nurse
    # dropped out). The search moved p1 to c2 and gave c1 to n1: three changes. p1
    # cannot simply go back (busy at c2) nor take c1 from n1 (still busy): the move
    # back takes p1 out of c2, gives p1 c1's slot and n1 c2's. Same coverage, one
    # change left (n1 at c2, which nobody published can hold).
    problem = compile_data(
        make_instance(
            volunteers=[volunteer("p1"), volunteer("n1")],
            camps=[camp("c1"), camp("c2")],
        )
    )
    p1_c1, p1_c2 = _candidate(problem, "p1", "c1"), _candidate(problem, "p1", "c2")
    n1_c1, n1_c2 = _candidate(problem, "n1", "c1"), _candidate(problem, "n1", "c2")
    published = np.array([p1_c1])
    roster = np.array(sorted([p1_c2, n1_c1]))
    restored = restore_published(problem, roster, published)
    assert sorted(restored.tolist()) == sorted([p1_c1, n1_c2])
    assert _is_roster(problem, restored)
    assert coverage(problem, restored) == coverage(problem, roster)


def test_the_move_back_refills_an_essential_slot_or_is_not_made() -> None:
    # p1, a leader and a mason, was published leading c1 and moved to be c2's essential
    # mason (c2's mason dropped out); c1 runs with another leader, n1, who is no
    # mason. Moving p1 back would leave c2 without its essential mason (H9) unless a
    # free mason takes the place: without one the roster stays as it is; with n2 the
    # move is made (p1 back at c1, n2 at c2, n1 out).
    def season(extra: list) -> object:
        return compile_data(
            make_instance(
                volunteers=[
                    volunteer("p1", skills={"leader": 1, "mason": 1}),
                    volunteer("n1", skills={"leader": 1}),
                    volunteer("nurse1"),
                    *extra,
                ],
                camps=[
                    camp(
                        "c1",
                        requirements=[requirement("leader", essential=True), requirement()],
                    ),
                    camp("c2", requirements=[requirement("mason", essential=True)]),
                ],
            )
        )

    for extra, moved in (([], False), ([volunteer("n2", skills={"mason": 1})], True)):
        problem = season(extra)
        p1_c1 = _candidate(problem, "p1", "c1", "leader")
        p1_c2 = _candidate(problem, "p1", "c2", "mason")
        n1_c1 = _candidate(problem, "n1", "c1", "leader")
        nurse = _candidate(problem, "nurse1", "c1")
        published = np.array(sorted([p1_c1, nurse]))
        roster = np.array(sorted([p1_c2, n1_c1, nurse]))
        restored = restore_published(problem, roster, published)
        if moved:
            n2_c2 = _candidate(problem, "n2", "c2", "mason")
            assert sorted(restored.tolist()) == sorted([p1_c1, n2_c2, nurse])
        else:
            assert sorted(restored.tolist()) == sorted(roster.tolist())
        assert _is_roster(problem, restored)
        assert coverage(problem, restored) == coverage(problem, roster)


def test_the_moves_neighbourhood_holds_both_ends_of_a_move() -> None:
    # Three volunteers each moved from their published camp to another (six camps
    # differ). A sub-model of two camps can undo a move only if it holds both its ends:
    # the "moves" neighbourhood follows the moved people instead of taking two
    # changed camps at random as "changed" does (a pair of one move once in five).
    from campplanner.solver.lns import Lns, LnsOptions

    names = ("A", "B", "C", "D", "E", "F")
    problem = compile_data(
        make_instance(
            volunteers=[volunteer(v) for v in ("v1", "v2", "v3")],
            camps=[camp(c) for c in names],
        )
    )
    moves = {"v1": ("A", "B"), "v2": ("C", "D"), "v3": ("E", "F")}
    published = np.array(sorted(_candidate(problem, v, a) for v, (a, _) in moves.items()))
    roster = np.array(sorted(_candidate(problem, v, b) for v, (_, b) in moves.items()))
    pairs = {frozenset(problem.camp_index[c] for c in pair) for pair in moves.values()}
    for seed in range(10):
        lns = Lns(problem, roster, LnsOptions(seed=seed), published=published)
        camps = lns.moves(2)
        assert camps is not None
        assert frozenset(camps.tolist()) in pairs


def test_a_published_volunteer_takes_back_the_last_bed_from_a_slot_that_is_not_essential() -> None:
    # c1 has two beds: its essential leader and one more. Published: the leader and p1
    # as nurse; the search gave the second bed to m1 as mason. p1's nurse slot is open
    # but no bed is left: m1 gives the bed back (mason is not essential), the same
    # coverage (a camp's priority per person), two changes fewer. The leader, essential,
    # never gives way.
    problem = compile_data(
        make_instance(
            volunteers=[
                volunteer("lead", skills={"leader": 1}),
                volunteer("p1"),
                volunteer("m1", skills={"mason": 1}),
            ],
            camps=[
                camp(
                    "c1",
                    capacity=2,
                    requirements=[
                        requirement("leader", essential=True),
                        requirement("nurse"),
                        requirement("mason"),
                    ],
                )
            ],
        )
    )
    lead = _candidate(problem, "lead", "c1", "leader")
    p1 = _candidate(problem, "p1", "c1")
    m1 = _candidate(problem, "m1", "c1", "mason")
    roster = np.array(sorted([lead, m1]))
    restored = restore_published(problem, roster, np.array(sorted([lead, p1])))
    assert sorted(restored.tolist()) == sorted([lead, p1])
    assert _is_roster(problem, restored)
    assert coverage(problem, restored) == coverage(problem, roster)
