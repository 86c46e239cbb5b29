"""Each roster rule's one home, removed: the add-a-rule recipe's proof that it is one.

``model/rules.py`` holds every roster rule as one function (``ROSTER_PREDICATES``):
the exact model, the neighbourhood search's sub-models, ``RosterState``, the greedy's
scalar pass, the relaxations, ``explain``, the lock conflicts and the replacement
rankings all read it. :func:`removed` swaps one of them for a version that always
allows, everywhere it is imported; a place that wrote the rule out again by itself
would still obey it, and the tests that use this (tests/test_rules_every_method.py)
would see that place not break.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import campplanner
from campplanner.model import rules
from campplanner.model.problem import Problem

# Every module loaded before any rule is removed: one imported for the first time while
# a rule is out would keep the always-allow twin after the test.
for _module in pkgutil.walk_packages(campplanner.__path__, "campplanner."):
    importlib.import_module(_module.name)


def _no_window_meets(first_a: Any, reach_a: Any, first_b: Any, reach_b: Any) -> np.ndarray:
    return np.zeros(np.broadcast(first_a, reach_a, first_b, reach_b).shape, dtype=bool)


def _no_camp_limit(problem: Problem, volunteers: Any, joined: Any) -> np.ndarray:
    # nobody can join more camps than there are: as good as no limit
    return problem.num_camps + 0 * np.asarray(volunteers) - np.asarray(joined, dtype=np.int64)


def _no_slot_limit(problem: Problem, requirements: Any, filled: Any) -> np.ndarray:
    return problem.num_volunteers + 0 * np.asarray(requirements) - np.asarray(filled, np.int64)


def _no_bed_limit(problem: Problem, camps: Any, people: Any) -> np.ndarray:
    return problem.num_volunteers + 0 * np.asarray(camps) - np.asarray(people, dtype=np.int64)


def _no_essentials(problem: Problem, requirements: Any, filled: Any) -> np.ndarray:
    shape = np.broadcast(np.asarray(requirements), np.asarray(filled)).shape
    return np.zeros(shape, dtype=np.int64)


ALWAYS_ALLOW: dict[str, Callable[..., Any]] = {
    "windows_meet": _no_window_meets,
    "camps_left": _no_camp_limit,
    "slots_left": _no_slot_limit,
    "beds_left": _no_bed_limit,
    "essentials_missing": _no_essentials,
}

PREDICATES = sorted({name for names in rules.ROSTER_PREDICATES.values() for name in names})


def removed(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Replace the rule function ``name`` of model/rules.py by its always-allow twin in
    every loaded campplanner module that holds it; the modules patched."""
    original = getattr(rules, name)
    patched = []
    for module_name, module in sorted(sys.modules.items()):
        if module_name.startswith("campplanner") and getattr(module, name, None) is original:
            monkeypatch.setattr(module, name, ALWAYS_ALLOW[name])
            patched.append(module_name)
    return patched
