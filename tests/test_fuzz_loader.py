"""Fuzzing the loader: mutated instance files end in a valid problem or a clean error.

Hypothesis takes the contract example apart: any value replaced by a value of another
type, an extreme number or odd unicode; keys deleted or added; lists emptied or
duplicated; the bytes themselves cut or corrupted. The only outcomes allowed are a
compiled problem or an ``InstanceError`` whose issues each carry a message; through the
CLI, exit code 0 or 2 and never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import tiny_data
from campplanner.cli import main
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import instance_from_data, read_json
from campplanner.model.compile import compile_instance

ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\u200c",
        "\u202e",
        "ي",
        "ك",
        "۱۴۰۰-۰۴-۱۰",
        "1400-13-01",
        "2021-02-30",
        "[/]",
        "<script>",
        "=1+1",
        "\x00",
        "🙂",
        "a" * 5000,
        "NaN",
        "-1",
        "1e999",
    ]
)
EXTREMES = st.sampled_from(
    [
        0,
        -1,
        1,
        2,
        3,
        6,
        10**9,
        -(10**18),
        10**30,
        1.5,
        -0.0,
        1e308,
        90.0001,
        -180.5,
        True,
        False,
        None,
    ]
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | ODD_TEXT
    | EXTREMES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in a JSON value, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def parent_and_key(data: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    for part in path[:-1]:
        data = data[part]
    return data, path[-1]


@st.composite
def mutated_instances(draw: st.DrawFn) -> Any:
    data: Any = tiny_data()
    for _ in range(draw(st.integers(1, 4))):
        locations = [p for p in paths(data) if p]
        if not locations:
            break
        path = draw(st.sampled_from(locations))
        parent, key = parent_and_key(data, path)
        action = draw(st.sampled_from(["replace", "delete", "duplicate", "add_key", "empty"]))
        if action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
        elif action == "add_key" and isinstance(parent[key], dict):
            parent[key][draw(st.text(max_size=10))] = draw(JSON_VALUES)
        elif action == "empty" and isinstance(parent[key], (list, dict)):
            parent[key] = type(parent[key])()
    if draw(st.integers(0, 20)) == 0:
        data = draw(JSON_VALUES)  # not even an object
    return data


def load_or_error(data: Any) -> None:
    try:
        compile_instance(instance_from_data(data, "fuzz.json"))
    except InstanceError as error:
        assert error.issues, "an InstanceError must say what is wrong"
        assert all(issue.message for issue in error.issues)
        assert "fuzz.json" in str(error)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_instances())
def test_mutated_data_loads_or_fails_cleanly(data: Any) -> None:
    load_or_error(data)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutated_instances(), st.data())
def test_mutated_bytes_through_the_cli_exit_0_or_2(tmp_path: Path, data: Any, extra: Any) -> None:
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    cut = extra.draw(st.sampled_from(["whole", "truncate", "corrupt"]))
    if cut == "truncate" and raw:
        raw = raw[: extra.draw(st.integers(0, len(raw) - 1))]
    elif cut == "corrupt" and raw:
        position = extra.draw(st.integers(0, len(raw) - 1))
        raw = raw[:position] + bytes([extra.draw(st.integers(0, 255))]) + raw[position + 1 :]
    path = tmp_path / "fuzz.json"
    path.write_bytes(raw)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_random_bytes_are_a_clean_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "noise.json"
    path.write_bytes(raw)
    try:
        data = read_json(path)
    except InstanceError as error:
        assert error.issues
        return
    load_or_error(data)
