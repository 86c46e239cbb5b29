"""The architecture holds: one home per rule and per term, imports one way, thin CLI.

Each test here is a step of a recipe in docs/architecture.md: if the step is skipped
(a rule registered but missing from the CP-SAT model, a term without its swap delta,
a backend not offered on the command line...), one of these fails and says which.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from builders import REPO, compile_data, tiny_data
from campplanner import check
from campplanner.cli import commands as cli
from campplanner.contract.schema import SolutionFile, Weights
from campplanner.io.formats import EXPORT_FORMATS
from campplanner.io.solution_writer import solution_data
from campplanner.model.rules import (
    CAMP_FILTERS,
    CANDIDATE_RULES,
    ROSTER_RULES,
    RULES,
)
from campplanner.model.terms import SECONDARY, TERMS
from campplanner.solver import BACKENDS, METHODS, CpSatSolver, SolveOptions
from campplanner.solver.cpsat_model import (
    ROSTER_CONSTRAINTS,
    TERM_EXPRESSIONS,
    build_model,
)
from campplanner.solver.polish import SWAP_DELTAS

SRC = REPO / "src"


# ------------------------------------------------------------------------- imports


def _import_graph() -> dict[str, set[str]]:
    """Module -> campplanner modules it imports, at the top or inside functions."""
    modules: dict[str, Path] = {}
    for path in (SRC / "campplanner").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            inside = {t for t in targets if t in modules and t != name}
            graph[name] |= {t for t in inside if not name.startswith(t + ".")}
    return graph


def test_no_import_cycles_not_even_inside_functions() -> None:
    graph = _import_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


# The layers of docs/architecture.md, upstream first: a module may import its own layer
# and the ones before it, never one after. The checker and the generator stand apart:
# they read the contract and write files (io), and only the front ends and the
# application layer call them.
LAYERS = (
    "contract",
    "model",
    "solver",
    "explain",
    "report",
    "whatif",
    "io",
    "workspace",
    "apart",
    "app",
    "web",
    "cli",
)
APART = {"campplanner.check", "campplanner.generate"}


def _layer(module: str) -> str:
    if module in APART:
        return "apart"
    parts = module.split(".")
    assert len(parts) > 1 and parts[1] in LAYERS, f"{module} is in no layer of LAYERS"
    return parts[1]


def test_every_module_is_in_a_layer_and_imports_only_layers_before_it() -> None:
    graph = _import_graph()
    upward = [
        f"{module} ({_layer(module)}) imports {target} ({_layer(target)})"
        for module, targets in sorted(graph.items())
        if module != "campplanner"
        for target in sorted(targets)
        if LAYERS.index(_layer(target)) > LAYERS.index(_layer(module))
    ]
    assert upward == []


# docs/architecture.md is a new engineer's map: a module it does not name is a room
# the map leaves out, so every module's name appears in it (the diagram or the text).
def test_the_architecture_document_names_every_module() -> None:
    document = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    unnamed = [
        str(path.relative_to(SRC))
        for path in sorted((SRC / "campplanner").rglob("*.py"))
        if path.stem not in ("__init__", "__main__") and path.stem not in document
    ]
    assert unnamed == []


# The web is a front end of the application layer alone, as the command line means to
# be: its modules import campplanner.app.* and campplanner.web.* and nothing else, not
# even the contract's plain vocabulary (days and digits reach it through
# app.review.days, refusals through app.review.errors), so that what a request may read
# or change is decided in one layer, where accounts and roles will be enforced.
def test_the_web_imports_only_the_application_layer() -> None:
    graph = _import_graph()
    around = [
        f"{module} imports {target}"
        for module, targets in sorted(graph.items())
        if module.startswith("campplanner.web")
        for target in sorted(targets)
        if not target.startswith(("campplanner.app.", "campplanner.web."))
    ]
    assert around == []


def test_the_tools_apart_read_only_the_contract_and_io() -> None:
    graph = _import_graph()
    for module in APART:
        assert {_layer(t) for t in graph[module]} <= {"contract", "io"}, module


def test_the_model_imports_no_solver() -> None:
    graph = _import_graph()
    for module, targets in graph.items():
        if module.startswith("campplanner.model"):
            assert not {t for t in targets if t.startswith("campplanner.solver")}, module


def test_the_checker_shares_nothing_with_model_or_solver() -> None:
    # transitively: what the checker reads through io must not reach the model either
    graph = _import_graph()
    seen, todo = set(), ["campplanner.check"]
    while todo:
        module = todo.pop()
        for target in graph[module] - seen:
            seen.add(target)
            todo.append(target)
    assert not {t for t in seen if t.startswith(("campplanner.model", "campplanner.solver"))}


# --------------------------------------------------------------------------- rules


def test_every_roster_rule_is_in_the_cpsat_model() -> None:
    assert tuple(ROSTER_CONSTRAINTS) == ROSTER_RULES


def test_every_candidate_rule_has_a_filter() -> None:
    # H1 has its own filter (per requirement); the others are camp-level filters
    assert {"H1", *(rule for _, rule in CAMP_FILTERS)} == set(CANDIDATE_RULES)


def test_every_rule_is_judged_by_the_independent_checker() -> None:
    assert {rule.id for rule in RULES} <= set(check.RULES)


# --------------------------------------------------------------------------- terms


def test_every_secondary_term_is_in_the_cpsat_objective_and_the_swaps() -> None:
    names = [term.name for term in SECONDARY]
    assert list(TERM_EXPRESSIONS) == names
    assert list(SWAP_DELTAS) == names


def test_every_secondary_term_can_be_weighted_in_files_and_on_the_command_line() -> None:
    names = {term.name for term in SECONDARY}
    assert set(Weights.model_fields) == names
    options = {p.name for p in cli.solve.params}
    assert {f"weight_{name}" for name in names} <= options


def test_every_term_splits_per_camp_or_per_volunteer() -> None:
    for term in TERMS:
        assert term.per_camp is not None or term.per_volunteer is not None, term.name


@pytest.mark.parametrize("term", SECONDARY, ids=[t.name for t in SECONDARY])
def test_the_cpsat_expression_of_each_term_equals_its_evaluation(term) -> None:
    # Fix the model at a solved roster and read each term's CP-SAT expression back.
    problem = compile_data(tiny_data())
    roster = CpSatSolver(problem, SolveOptions(time_limit=10, secondary=False)).solve().assigned
    model, x = build_model(problem)
    expression = TERM_EXPRESSIONS[term.name](model, problem, x)
    chosen = np.zeros(problem.num_candidates, dtype=bool)
    chosen[roster] = True
    for var, on in zip(x.assign, chosen.tolist(), strict=True):
        model.add(var == int(on))
    model.minimize(expression)  # auxiliary variables take their tightest value
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    value = term.value(problem, roster)
    # CP-SAT counts whole km per assignment: within half a km of each
    assert abs(solver.value(expression) - value) <= 0.5 * len(roster) + 1e-9


# -------------------------------------------------------------- backends, formats


def test_every_backend_is_offered_on_the_command_line() -> None:
    assert ("auto", *BACKENDS) == METHODS
    method = next(p for p in cli.solve.params if p.name == "method")
    assert tuple(method.type.choices) == METHODS


def test_every_export_format_is_an_option_of_export() -> None:
    options = {p.name for p in cli.export.params}
    assert {f.name for f in EXPORT_FORMATS} <= options


# ------------------------------------------------------------------- the solution


def test_every_section_of_the_solution_file_is_typed() -> None:
    problem = compile_data(tiny_data())
    result = CpSatSolver(problem, SolveOptions(time_limit=10)).solve()
    parsed = SolutionFile.model_validate(solution_data(problem, result))
    assert parsed.model_extra == {}


# --------------------------------------------------------------------- a thin CLI


def test_no_command_body_is_longer_than_thirty_lines() -> None:
    for command in cli.main.commands.values():
        function = inspect.unwrap(command.callback)
        source = inspect.getsource(function)
        tree = ast.parse(source.lstrip())
        body = tree.body[0].body  # type: ignore[attr-defined]
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring is help, not code
        lines = body[-1].end_lineno - body[0].lineno + 1
        assert lines <= 30, f"{command.name}: {lines} lines"


def test_no_cp_sat_parameter_that_aborts_the_process_is_set() -> None:
    """OR-Tools 9.15 aborts the whole process (a failed CHECK, not an exception) when
    ``repair_hint`` meets interleaved workers, an early stop_search, or a short limit on
    a model solved before: the roster in memory is lost. No solver module may set it."""
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "src" / "campplanner").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr == "repair_hint"
        and isinstance(node.ctx, ast.Store)
    ]
    assert offenders == []


# Coverage by ids, without a compiled problem: the independent checker (by design) and
# the read model of a roster (report/roster.py, built from a solution file's ids as well
# as from a Result) sum camp priorities themselves.
COVERAGE_BY_IDS = {"campplanner/check.py", "campplanner/report/roster.py"}


def _sums_coverage_by_hand(node: ast.AST) -> bool:
    """``x.candidate_value[...].sum()`` or ``sum(... candidate_value/priority ...)``."""
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    if isinstance(function, ast.Attribute) and function.attr == "sum":
        summed = function.value
        return (
            isinstance(summed, ast.Subscript)
            and isinstance(summed.value, ast.Attribute)
            and summed.value.attr in {"candidate_value", "camp_priority"}
        )
    if isinstance(function, ast.Name) and function.id == "sum":
        return any(
            isinstance(inner, ast.Attribute)
            and inner.attr in {"candidate_value", "camp_priority", "priority"}
            for argument in node.args
            for inner in ast.walk(argument)
        )
    return False


def test_coverage_is_summed_only_by_its_term() -> None:
    """One definition of coverage: ``model.terms.coverage`` (incremental updates of a
    running total, one assignment at a time, are not sums and may stay where they are)."""
    offenders = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in (SRC / "campplanner").rglob("*.py")
        if str(path.relative_to(SRC)) not in {"campplanner/model/terms.py", *COVERAGE_BY_IDS}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _sums_coverage_by_hand(node)
    ]
    assert offenders == [], "sum coverage with campplanner.model.terms.coverage"
