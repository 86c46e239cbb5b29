"""Weights are resolved once, and every job honours them.

defaults < the instance file's ``weights`` < a scenario's ``set_weights`` edit (part of
the instance it makes) < the command line's ``--weight-<term>``. The file weights below
change what is optimal on tiny.json (travel ignored), and each stage-2 solve is
proven optimal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import campplanner.whatif.replace
from builders import tiny_data, write_instance
from campplanner.app.inspect import explain
from campplanner.app.scenarios import compare, replace
from campplanner.app.solving import SolveRequest, solve
from campplanner.model.terms import DEFAULT_WEIGHTS, resolve_weights
from campplanner.solver import SolveOptions

FILE_WEIGHTS = {"travel": 0, "group": 0, "fairness": 1000}
OPTIONS = SolveOptions(time_limit=300, work_limit=2)  # on work: the same rosters at any load


def _weighted_tiny(tmp_path: Path) -> Path:
    data = tiny_data()
    data["weights"] = FILE_WEIGHTS
    return write_instance(tmp_path / "weighted.json", data)


def _scenario(tmp_path: Path, name: str, edits: list[dict[str, Any]]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(
        json.dumps({"format": "campplanner-scenario/1", "name": name, "edits": edits}),
        encoding="utf-8",
    )
    return path


def _km(path: Path, options: SolveOptions = OPTIONS) -> float:
    outcome = solve(SolveRequest(str(path), options))
    assert outcome.result.secondary_status == "optimal"  # deterministic
    return round(outcome.result.terms["travel"], 1)


def test_precedence_defaults_file_then_each_override() -> None:
    assert resolve_weights({}) == DEFAULT_WEIGHTS
    assert resolve_weights({"travel": 0})["travel"] == 0
    assert resolve_weights({"travel": 0}, {"travel": 5})["travel"] == 5
    assert resolve_weights({"travel": 0}, {"travel": None})["travel"] == 0
    assert resolve_weights({"group": 3}, {"travel": 2}) == {
        **DEFAULT_WEIGHTS,
        "group": 3,
        "travel": 2,
    }
    with pytest.raises(ValueError, match="unknown weight"):
        resolve_weights({"speed": 1})
    with pytest.raises(ValueError, match="not a number"):
        resolve_weights({"travel": float("nan")})


def test_solve_honours_the_file_weights(tmp_path: Path) -> None:
    # Travel alone: its optimum is one number whichever roster reaches it (1,070.0 km),
    # and the default weights' optimum travels more (1,119.9 km). With FILE_WEIGHTS
    # (travel ignored) whether the km differ depends on which of the fairness optima
    # CP-SAT returns, so they cannot show that the file's weights were used.
    data = tiny_data()
    data["weights"] = {"travel": 1, "group": 0, "fairness": 0}
    travel_only = _km(write_instance(tmp_path / "travel.json", data))
    default = _km(write_instance(tmp_path / "plain.json", tiny_data()))
    assert travel_only < default  # the file's weights were used


def test_compare_honours_the_file_weights(tmp_path: Path) -> None:
    path = _weighted_tiny(tmp_path)
    nothing = _scenario(tmp_path, "nothing", [])
    report = compare(str(path), [str(nothing)], OPTIONS, jobs=1)
    columns = {row["name"]: row["travel_km"] for row in report["scenarios"]}
    assert columns == {"base": _km(path), "nothing": _km(path)}


def test_compare_honours_a_set_weights_edit(tmp_path: Path) -> None:
    plain = write_instance(tmp_path / "plain.json", tiny_data())
    edit = _scenario(tmp_path, "weights", [{"op": "set_weights", "weights": FILE_WEIGHTS}])
    report = compare(str(plain), [str(edit)], OPTIONS, jobs=1, from_scratch=True)
    columns = {row["name"]: row["travel_km"] for row in report["scenarios"]}
    assert columns == {"base": _km(plain), "weights": _km(_weighted_tiny(tmp_path))}
    # Re-planned (the default), the base roster stays, as fewer changes come first,
    # and the report says why the weights seem to change nothing.
    replanned = compare(str(plain), [str(edit)], OPTIONS, jobs=1)
    assert replanned["scenarios"][1]["against_base"]["changed_assignments"] == 0
    assert "'weights' sets weights" in replanned["notes"][0]


def test_the_command_line_overrides_the_file(tmp_path: Path) -> None:
    path = _weighted_tiny(tmp_path)
    plain = write_instance(tmp_path / "plain.json", tiny_data())
    overrides = SolveOptions(time_limit=20, weights=DEFAULT_WEIGHTS)
    assert _km(path, overrides) == _km(plain)


def test_explain_costs_use_the_file_weights(tmp_path: Path) -> None:
    path = _weighted_tiny(tmp_path)
    solution = tmp_path / "solution.json"
    solve(SolveRequest(str(path), OPTIONS, output_path=str(solution)))
    explained = explain(str(path), str(solution))
    assert explained.weights == {**DEFAULT_WEIGHTS, **FILE_WEIGHTS}
    assert explained.breakdown is not None
    # travel and group weigh nothing: a camp's cost is 0, whatever its km
    assert all(c.weighted(explained.weights) == 0 for c in explained.breakdown.camps)
    overridden = explain(str(path), str(solution), weights={"travel": 1})
    assert overridden.weights["travel"] == 1


def test_replace_replans_with_the_file_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _weighted_tiny(tmp_path)
    solution = tmp_path / "solution.json"
    solve(SolveRequest(str(path), OPTIONS, output_path=str(solution)))
    made = []
    real = campplanner.whatif.replace.make_solver

    def spy(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(campplanner.whatif.replace, "make_solver", spy)
    volunteer = json.loads(solution.read_text(encoding="utf-8"))["assignments"][0]["volunteer"]
    found = replace(str(path), str(solution), volunteer, options=OPTIONS)
    assert found.replan is not None and made
    assert made[0].weights == {**DEFAULT_WEIGHTS, **FILE_WEIGHTS}
