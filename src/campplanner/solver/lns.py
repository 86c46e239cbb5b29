"""Large neighbourhood search: improve a roster by re-solving a few camps at a time.

Each step frees every assignment of a small set of camps (the *neighbourhood*) and
asks CP-SAT for the best staffing of those camps, everyone else staying where they
are. The sub-model is the exact model's own rules (every ``add_<rule>`` of
:mod:`campplanner.solver.cpsat_model`) over one boolean per candidate of a freed camp
whose volunteer is *available*: either freed by this step, or with room left once
their fixed assignments outside the neighbourhood are counted (H4 rest and H5 load
against those camps, checked with :class:`~campplanner.model.state.RosterState`,
which the rules then read as the fixed rest of the roster). Free volunteers are pruned
to a few per requirement, those with the fewest other uses first: small sub-models
(hundreds to a few thousand booleans) solve to optimality in a fraction of a second,
and many small steps beat a few large ones.

The current roster is the hint, so CP-SAT starts from a solution as good as the
incumbent; a step is kept when its coverage is not lower (equal steps move the search
sideways). Every kept step is checked against H3 to H6 and H9 before it is applied, so
the roster is a roster of the whole problem at every moment.

Neighbourhoods (:class:`Neighbourhoods`), each picked in turn:

- *cancelled*: a camp that could run but does not, plus the camps that hold the
  volunteers who could fill its essential roles (most of the gain on seasons where
  scarce essential skills decide which camps run);
- *open slots*: a running camp with empty slots, plus the camps that hold the
  volunteers who could fill them;
- *ball*: a camp and the camps nearest to it in time and space (a time window times
  a region);
- *scarce skill*: a skill asked for more than it is held, and the camps of one time
  window that ask for it.

Re-planning adds *damage* (a damaged camp and the camps holding candidates for it),
*changed* (camps where the roster differs from the published one, at random) and
*moves* (the same camps taken along the moves of people between them).

Sizes adapt: a sub-model solved to optimality grows the next one of its kind, one cut
by its work limit shrinks it. Work is limited by CP-SAT's deterministic time, so the
sequence of steps does not depend on the machine's speed unless the clock cuts it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from campplanner.model.problem import Problem
from campplanner.model.rules import (
    beds_left,
    camps_short_of_essentials,
    camps_with_essentials,
    essential_requirements,
    essentials_missing,
    runnable_camps,
)
from campplanner.model.state import RosterState
from campplanner.model.terms import coverage
from campplanner.solver.cpsat_model import build_model
from campplanner.solver.greedy import skill_pressure

KINDS = ("cancelled", "open slots", "ball", "scarce skill")
# Re-planning from a published roster: around the damage first, then the changes made.
REPLAN_KINDS = ("damage", "cancelled", "open slots", "changed")
# After a start that repaired the damage season-wide: the changed camps along the moves.
ALL_KINDS = (*KINDS, "damage", "changed", "moves")


@dataclass
class LnsOptions:
    seed: int = 0
    step_work: float = 1.0  # CP-SAT deterministic time per sub-model
    min_camps: int = 4
    max_camps: int = 40
    start_camps: int = 12
    # free volunteers kept per requirement: count x this + extra, fewest uses first
    keep_per_slot: float = 2.0
    keep_extra: int = 3


@dataclass
class LnsStats:
    steps: int = 0
    work: float = 0.0  # CP-SAT deterministic time spent, summed over steps
    improving: int = 0
    sideways: int = 0
    rejected: int = 0  # a sub-model roster that failed the whole-problem check (a bug)
    gain_by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_KINDS, 0))


class SubModel:
    """The CP-SAT model of one neighbourhood: the exact model's own rules
    (:func:`campplanner.solver.cpsat_model.build_model`, every ``add_<rule>``) over the
    candidates of the freed camps, with the rest of the roster (``fixed``) kept as it is:
    its camps, slots and beds counted as taken, its volunteers' camps as held."""

    def __init__(
        self,
        problem: Problem,
        candidates: np.ndarray,
        fixed: RosterState,
        agreement: np.ndarray | None = None,
    ):
        """``candidates``: ascending candidate indices of ``problem``. ``agreement``: per
        candidate +1 if published, -1 if not, when re-planning: then among rosters of
        equal coverage the one closest to the published wins."""
        p = self.problem = problem
        self.candidates = candidates
        self.model, variables = build_model(p.restricted(candidates), fixed=fixed)
        self.x = variables.assign
        self.runs = variables.runs
        value = p.candidate_value[candidates].astype(np.int64)
        if agreement is not None:
            # coverage first: one unit of it outweighs every change in the neighbourhood
            value = value * (len(candidates) + 1) + agreement[candidates]
        self.model.maximize(cp_model.LinearExpr.weighted_sum(self.x, value.tolist()))

    def hint(self, current: np.ndarray) -> None:
        on = np.isin(self.candidates, current)
        for var, value in zip(self.x, on.tolist(), strict=True):
            self.model.add_hint(var, value)
        running = set(self.problem.candidate_camp[current].tolist())
        for c, var in self.runs.items():
            self.model.add_hint(var, c in running)


class Lns:
    """Improves a roster step by step; see the module docstring."""

    def __init__(
        self,
        problem: Problem,
        roster: np.ndarray,
        options: LnsOptions | None = None,
        guidance: np.ndarray | None = None,
        published: np.ndarray | None = None,
        damaged: np.ndarray | None = None,
    ):
        """``guidance``: per volunteer, how valuable they are elsewhere (an LP's or a
        Lagrangian's dual value); free volunteers of low value are kept first.
        ``published``: when re-planning, the published assignments still possible
        (candidate indices): steps then also minimise the changes against them, and
        ``damaged`` (camp indices) are the camps that lost someone or were added."""
        p = self.problem = problem
        self.options = options or LnsOptions()
        self.rng = np.random.default_rng(self.options.seed)
        self.state = RosterState(p, np.ones(p.num_camps, dtype=bool))
        self.state.add(np.asarray(roster, dtype=np.int64))
        self.coverage = coverage(p, roster)
        self.stats = LnsStats()
        self.size = dict.fromkeys(ALL_KINDS, self.options.start_camps)
        self.runnable = runnable_camps(p)
        self.uses = np.diff(p.volunteer_candidates).astype(np.float64)
        self.guidance = guidance
        self._solver: cp_model.CpSolver | None = None
        self._stop_requested = threading.Event()
        self._step = 0
        self.closer = False  # the last step kept coverage and came closer to the published
        self.ended_by: str | None = None  # why run() returned
        self.pressure = np.minimum(skill_pressure(p), 1e6)
        # camps by place: great-circle distances between camp places, once
        lat = p.place_lat[p.camp_place]
        lon = p.place_lon[p.camp_place]
        self.camp_lat, self.camp_lon = np.radians(lat), np.radians(lon)
        self.has_essentials = camps_with_essentials(p)
        self.agreement: np.ndarray | None = None
        self.published = np.zeros(p.num_candidates, dtype=bool)
        if published is not None:
            self.published[published] = True
            # a byte per candidate: a season has twelve million of them
            self.agreement = np.where(self.published, 1, -1).astype(np.int8)
        self.damaged = np.zeros(0, dtype=np.int64) if damaged is None else np.asarray(damaged)

    # ------------------------------------------------------------------ state
    @property
    def roster(self) -> np.ndarray:
        return self.state.roster

    def set_guidance(self, guidance: np.ndarray) -> None:
        self.guidance = guidance

    def stop(self) -> None:
        """Stop the running step (from any thread); steps after it do nothing."""
        self._stop_requested.set()
        if self._solver is not None:
            self._solver.stop_search()

    # ------------------------------------------------------------ neighbourhoods
    def _running(self) -> np.ndarray:
        return (
            np.bincount(self.problem.candidate_camp[self.roster], minlength=self.problem.num_camps)
            > 0
        )

    def _holders(self, requirements: np.ndarray) -> np.ndarray:
        """Camps currently holding volunteers who are candidates of ``requirements``,
        most such volunteers first."""
        p = self.problem
        pointer, order = p.requirement_candidates
        if not len(requirements):
            return np.zeros(0, dtype=np.int64)
        candidates = np.concatenate([order[pointer[r] : pointer[r + 1]] for r in requirements])
        volunteers = np.unique(p.candidate_volunteer[candidates])
        held = self.state.camps_of[volunteers].ravel()
        held = held[held >= 0]
        if not len(held):
            return np.zeros(0, dtype=np.int64)
        counts = np.bincount(held, minlength=p.num_camps)
        camps = np.flatnonzero(counts)
        noise = self.rng.random(len(camps))
        return camps[np.lexsort((noise, -counts[camps]))]

    def with_rivals(self, camp: int, requirements: np.ndarray, size: int) -> np.ndarray:
        """``camp`` and up to ``size - 1`` camps holding people qualified for
        ``requirements`` (the neighbourhood of a cancelled camp; also whatif/to_run.py)."""
        rivals = self._holders(requirements)
        rivals = rivals[rivals != camp]
        if len(rivals) > size - 1:
            # the camps holding most candidates first, a random half of the rest
            head = rivals[: (size - 1) // 2]
            tail = rivals[(size - 1) // 2 :]
            pick = self.rng.choice(len(tail), size=size - 1 - len(head), replace=False)
            rivals = np.concatenate((head, tail[np.sort(pick)]))
        return np.unique(np.append(rivals, camp))

    def cancelled(self, size: int) -> np.ndarray | None:
        p = self.problem
        idle = np.flatnonzero(self.runnable & ~self._running() & self.has_essentials)
        if not len(idle):
            return None
        asked = np.bincount(p.requirement_camp, weights=p.requirement_count, minlength=p.num_camps)
        weight = p.camp_priority[idle] * np.minimum(asked[idle], beds_left(p, idle, 0))
        weight = weight.astype(float)
        camp = int(self.rng.choice(idle, p=weight / weight.sum()))
        essentials = np.array(essential_requirements(p, camp), dtype=np.int64)
        return self.with_rivals(camp, essentials, size)

    def open_slots(self, size: int) -> np.ndarray | None:
        p = self.problem
        running = self._running()
        open_req = (self.state.slots_left > 0) & running[p.requirement_camp]
        open_req &= (self.state.beds_left > 0)[p.requirement_camp]
        reqs = np.flatnonzero(open_req)
        if not len(reqs):
            return None
        camps = np.unique(p.requirement_camp[reqs])
        camp = int(self.rng.choice(camps))
        return self.with_rivals(camp, reqs[p.requirement_camp[reqs] == camp], size)

    def ball(self, size: int) -> np.ndarray:
        p = self.problem
        camp = int(self.rng.integers(p.num_camps))
        # distance in "days": km / 30 plus the gap between the two camps' dates
        dlat = self.camp_lat - self.camp_lat[camp]
        dlon = self.camp_lon - self.camp_lon[camp]
        h = (
            np.sin(dlat / 2) ** 2
            + np.cos(self.camp_lat) * np.cos(self.camp_lat[camp]) * np.sin(dlon / 2) ** 2
        )
        km = 12742.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        gap = np.maximum(
            0, np.maximum(p.camp_start - p.camp_end[camp], p.camp_start[camp] - p.camp_end)
        )
        score = km / 30.0 + gap + self.rng.random(p.num_camps)
        return np.sort(np.argsort(score, kind="stable")[:size])

    def scarce_skill(self, size: int) -> np.ndarray | None:
        p = self.problem
        skills = np.unique(p.requirement_skill)
        weight = np.minimum(self.pressure[skills], 10.0)
        if not len(skills) or weight.sum() <= 0:
            return None
        skill = int(self.rng.choice(skills, p=weight / weight.sum()))
        camps = np.unique(p.requirement_camp[p.requirement_skill == skill])
        centre = int(self.rng.choice(camps))
        gap = np.abs(p.camp_start[camps] - p.camp_start[centre]) + self.rng.random(len(camps))
        return np.sort(camps[np.argsort(gap, kind="stable")[:size]])

    def damage(self, size: int) -> np.ndarray | None:
        """A damaged camp (one cancelled since first, else one short of people) and the
        camps holding candidates for its short requirements, essential ones first."""
        if not len(self.damaged):
            return None
        p = self.problem
        running = self._running()
        short = self.state.slots_left > 0
        cancelled = self.damaged[~running[self.damaged] & self.runnable[self.damaged]]
        wanting = self.damaged[
            [
                bool(short[p.camp_requirements[c] : p.camp_requirements[c + 1]].any())
                for c in self.damaged
            ]
        ]
        pool = cancelled if len(cancelled) else wanting
        if not len(pool):
            return None
        camp = int(self.rng.choice(pool))
        first, last = p.camp_requirements[camp], p.camp_requirements[camp + 1]
        requirements = np.arange(first, last)
        missing = essentials_missing(p, requirements, self.state.filled[first:last])
        essential = requirements[missing > 0]
        wanted = essential if len(essential) else requirements[short[first:last]]
        return self.with_rivals(camp, wanted if len(wanted) else requirements, size)

    def changed(self, size: int) -> np.ndarray | None:
        """Camps where the roster differs from the published one."""
        p = self.problem
        differs = np.flatnonzero(self.state.assigned != self.published)
        if not len(differs):
            return None
        camps = np.unique(p.candidate_camp[differs])
        if len(camps) > size:
            camps = np.sort(self.rng.choice(camps, size=size, replace=False))
        return camps

    def moves(self, size: int) -> np.ndarray | None:
        """Camps where the roster differs from the published one, along the moves: from
        one such camp, the camps its moved people are in now and those they were
        published in, and so on (a chain of moves in one sub-model can be undone where
        it is no longer needed; random camps seldom hold both ends of a move)."""
        p = self.problem
        differs = np.flatnonzero(self.state.assigned != self.published)
        if not len(differs):
            return None
        camps = np.unique(p.candidate_camp[differs])
        if len(camps) <= size:
            return camps
        # per volunteer who moved, the camps of their differing assignments
        moved = p.candidate_volunteer[differs]
        order = np.argsort(moved, kind="stable")
        moved, where = moved[order], p.candidate_camp[differs][order]
        chosen = {int(self.rng.choice(camps))}
        frontier = list(chosen)
        differ_camp = p.candidate_camp[differs]
        while frontier and len(chosen) < size:
            camp = frontier.pop(0)
            people = np.unique(p.candidate_volunteer[differs[differ_camp == camp]])
            lo = np.searchsorted(moved, people, side="left")
            hi = np.searchsorted(moved, people, side="right")
            linked = np.unique(np.concatenate([where[a:b] for a, b in zip(lo, hi, strict=True)]))
            for other in self.rng.permutation(linked).tolist():
                if other not in chosen and len(chosen) < size:
                    chosen.add(int(other))
                    frontier.append(int(other))
        if len(chosen) < size:  # the chain ended: random changed camps fill the rest
            rest = np.setdiff1d(camps, np.array(sorted(chosen)))
            pick = self.rng.choice(rest, size=min(len(rest), size - len(chosen)), replace=False)
            chosen.update(int(c) for c in pick)
        return np.array(sorted(chosen), dtype=np.int64)

    def neighbourhood(self, kind: str) -> np.ndarray | None:
        size = self.size[kind]
        if kind == "damage":
            return self.damage(size)
        if kind == "changed":
            return self.changed(size)
        if kind == "moves":
            return self.moves(size)
        if kind == "cancelled":
            return self.cancelled(size)
        if kind == "open slots":
            return self.open_slots(size)
        if kind == "ball":
            return self.ball(size)
        return self.scarce_skill(size)

    # ---------------------------------------------------------------- sub-model
    def sub_candidates(self, camps: np.ndarray, freed: np.ndarray) -> np.ndarray:
        """The candidates of the sub-model (ascending).

        Called with ``freed`` already removed from the state."""
        p = self.problem
        state = self.state
        pointer, order = p.requirement_candidates
        freed_people = np.zeros(p.num_volunteers, dtype=bool)
        freed_people[p.candidate_volunteer[freed]] = True
        requirements = np.concatenate(
            [np.arange(p.camp_requirements[c], p.camp_requirements[c + 1]) for c in camps]
        )
        value = self.uses if self.guidance is None else self.guidance * 1e6 + self.uses
        keep_people: list[np.ndarray] = [np.flatnonzero(freed_people)]
        pools: list[np.ndarray] = []
        for r in requirements.tolist():
            candidates = order[pointer[r] : pointer[r + 1]]
            if not len(candidates):
                continue
            camp = int(p.requirement_camp[r])
            candidates = candidates[state.free(candidates, camp)]
            pools.append(candidates)
            volunteers = p.candidate_volunteer[candidates]
            others = ~freed_people[volunteers]
            if self.agreement is not None:
                # re-planning: who was published in this slot is always a candidate
                keep_people.append(volunteers[self.published[candidates]])
            want = int(p.requirement_count[r] * self.options.keep_per_slot)
            want += self.options.keep_extra
            if others.sum() > want:
                ranked = volunteers[others]
                noise = self.rng.random(len(ranked))
                ranked = ranked[np.lexsort((noise, value[ranked]))[:want]]
                keep_people.append(ranked)
            else:
                keep_people.append(volunteers[others])
        kept = np.zeros(p.num_volunteers, dtype=bool)
        kept[np.concatenate(keep_people)] = True
        pool = np.concatenate(pools) if pools else np.zeros(0, dtype=np.int64)
        pool = np.unique(pool[kept[p.candidate_volunteer[pool]]])
        return pool

    def step(self, kind: str, time_limit: float) -> int:
        """One step of ``kind`` within ``time_limit`` seconds; the coverage gained."""
        p = self.problem
        self._step += 1
        self.stats.steps += 1
        camps = self.neighbourhood(kind)
        if camps is None or not len(camps):
            return 0
        in_camps = np.zeros(p.num_camps, dtype=bool)
        in_camps[camps] = True
        current = self.roster
        freed = current[in_camps[p.candidate_camp[current]]]
        self.state.remove(freed)
        try:
            candidates = self.sub_candidates(camps, freed)
            candidates = np.union1d(candidates, freed)  # the hint is always a solution
            model = SubModel(p, candidates, self.state, self.agreement)
            model.hint(freed)
            solver = self._solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = self.options.seed + self._step
            solver.parameters.max_deterministic_time = self.options.step_work
            solver.parameters.max_time_in_seconds = max(0.01, time_limit)
            solver.parameters.catch_sigint_signal = False
            if self._stop_requested.is_set():  # asked while the model was being built
                self.state.add(freed)
                return 0
            status = solver.solve(model.model)
            self.stats.work += solver.deterministic_time
            self._adapt(kind, status == cp_model.OPTIMAL, len(camps))
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.state.add(freed)
                return 0
            chosen = candidates[[solver.boolean_value(v) for v in model.x]]
            before, after = coverage(p, freed), coverage(p, chosen)
            worse = after < before
            if self.agreement is not None and after == before:
                worse = self.agreement[chosen].sum() < self.agreement[freed].sum()
            if worse or not self._fits(chosen, camps):
                if not worse:
                    self.stats.rejected += 1
                self.state.add(freed)
                return 0
            self.state.add(chosen)
        except BaseException:
            # whatever happens, the state holds a whole roster again
            if not self.state.assigned[freed].all():
                self.state.add(freed[~self.state.assigned[freed]])
            raise
        gain = after - before
        self.coverage += gain
        self.closer = self.agreement is not None and (
            self.agreement[chosen].sum() > self.agreement[freed].sum()
        )
        if gain > 0:
            self.stats.improving += 1
            self.stats.gain_by_kind[kind] += gain
        elif not np.array_equal(np.sort(chosen), np.sort(freed)):
            self.stats.sideways += 1
        return gain

    def _fits(self, chosen: np.ndarray, camps: np.ndarray) -> bool:
        """H3 to H6 of ``chosen`` against the fixed roster, H9 in the freed camps, and
        their locks: the sub-model's roster checked on the whole problem."""
        p = self.problem
        state = self.state
        added: list[int] = []
        ok = True
        for i in chosen.tolist():
            if not state.fits(i):
                ok = False
                break
            state.add(np.array([i]))
            added.append(i)
        if ok:
            running = np.zeros(p.num_camps, dtype=bool)
            running[p.candidate_camp[chosen]] = True
            ok = not (camps_short_of_essentials(p, chosen) & running)[camps].any()
            locked = p.locked_candidates[np.isin(p.candidate_camp[p.locked_candidates], camps)]
            ok = ok and bool(np.isin(locked, chosen).all())
        state.remove(np.array(added, dtype=np.int64))
        return ok

    def _adapt(self, kind: str, solved: bool, used: int) -> None:
        o = self.options
        if solved and used >= self.size[kind]:
            self.size[kind] = min(o.max_camps, self.size[kind] + 2)
        elif not solved:
            self.size[kind] = max(o.min_camps, self.size[kind] - 1)

    def run(
        self,
        deadline: float,
        stopped: threading.Event,
        on_improve: Callable[[np.ndarray, int], None] | None = None,
        max_steps: int | None = None,
        kinds: tuple[str, ...] = KINDS,
        stop_when: Callable[[], bool] | None = None,
        work_limit: float | None = None,
    ) -> np.ndarray:
        """Steps, kinds in turn, until ``deadline`` (monotonic seconds), ``stopped``,
        ``max_steps``, ``work_limit`` (CP-SAT deterministic time, summed over steps) or
        ``stop_when()``; ``on_improve(roster, coverage)`` after each gain (or,
        re-planning, each step closer to the published roster). The roster.

        Every limit but the deadline and ``stopped`` is deterministic: a search that
        ends on one of them gives the same roster on any machine."""
        turn = 0
        self.ended_by = "interrupted"
        while not stopped.is_set():
            if stop_when is not None and stop_when():
                self.ended_by = "goal"
                break
            remaining = deadline - time.monotonic()
            if remaining < 0.05:
                self.ended_by = "time limit"
                break
            if max_steps is not None and turn >= max_steps:
                self.ended_by = "steps"
                break
            if work_limit is not None and self.stats.work >= work_limit:
                self.ended_by = "work limit"
                break
            kind = kinds[turn % len(kinds)]
            turn += 1
            self.closer = False
            if (self.step(kind, remaining) > 0 or self.closer) and on_improve is not None:
                on_improve(self.roster, self.coverage)
        return self.roster
