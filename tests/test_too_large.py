"""A small file that describes a huge problem is refused at once, with its numbers.

Before (issue 17): 1.1 MB asking for a 9.3 GiB skill matrix, 0.78 MB asking for 1.2
billion candidate triples, 24 MB of gzip holding ten million volunteers: MemoryError
tracebacks after a minute. Now the size is estimated from the counts before the arrays
are built (``campplanner.contract.limits``), against the machine's memory or
``CAMPPLANNER_MAX_MEMORY_GIB``; these tests set the limit, so they hold on any machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders import camp, compile_data, make_instance, skill, volunteer, write_instance
from campplanner.cli import main
from campplanner.contract.limits import MEMORY_ENV, TooLarge


def validate(path: Path) -> Any:
    return CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)


def said(result: Any) -> str:
    return " ".join(result.output.split())


def test_a_skill_matrix_past_the_limit_is_refused_before_it_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMORY_ENV, "1")
    # 20,000 volunteers x 60,000 skills: a 1.1 GiB matrix of levels, from ~3 MB of JSON.
    skills = [skill(f"s{k}") for k in range(60_000)]
    volunteers = [volunteer(f"v{k}", skills={"s1": 1}) for k in range(20_000)]
    camps = [camp("c1", requirements=[{"skill": "s1", "count": 1}])]
    data = make_instance(skills=skills, volunteers=volunteers, camps=camps)
    result = validate(write_instance(tmp_path / "matrix.json", data))
    assert result.exit_code == 2, result.output
    text = said(result)
    assert "20,000 volunteers, 1 camps and 60,000 skills" in text
    assert "about 1.1 GiB of memory, more than the limit of 1.0 GiB (set by" in text
    assert MEMORY_ENV in text and "Traceback" not in text


def _crowd(volunteers: int, camps: int, **volunteer_fields: Any) -> dict[str, Any]:
    """Everyone holds the one skill every camp asks for: volunteers x camps candidates."""
    return make_instance(
        volunteers=[volunteer(f"v{k}", **volunteer_fields) for k in range(volunteers)],
        camps=[camp(f"c{k}", capacity=1000) for k in range(camps)],
    )


def test_too_many_candidates_are_counted_and_refused_before_they_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMORY_ENV, "1")
    path = write_instance(tmp_path / "crowd.json", _crowd(20_000, 1_000))
    result = validate(path)
    assert result.exit_code == 2, result.output
    text = said(result)
    # counted block by block, and refused once 1 GiB / 64 B per pair is passed
    counted = re.search(r"with at least ([\d,]+) candidate \(volunteer, slot\) pairs", text)
    assert counted and 2**30 // 64 <= int(counted.group(1).replace(",", "")) <= 20_000_000
    assert "more than the limit of 1.0 GiB" in text and "Traceback" not in text
    solve = ["solve", str(path), "--time-limit", "5", "-o", str(tmp_path / "s.json")]
    result = CliRunner().invoke(main, solve, catch_exceptions=False)
    assert result.exit_code == 2 and "candidate (volunteer, slot) pairs" in said(result)


def test_a_bound_past_the_limit_is_counted_exactly_before_refusing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nobody is free on the camps' days: the bound (everyone with the skill) says 20
    million, the count says none, and the instance compiles."""
    monkeypatch.setenv(MEMORY_ENV, "1")
    problem = compile_data(_crowd(20_000, 1_000, available=[["2024-01-01", "2024-01-02"]]))
    assert problem.num_candidates == 0


def test_a_file_too_large_to_parse_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_instance(tmp_path / "big.json", _crowd(2_000, 1))
    size = path.stat().st_size
    monkeypatch.setenv(MEMORY_ENV, str(size * 10 / 1024**3))  # parsing needs ~24 x the text
    result = validate(path)
    assert result.exit_code == 2, result.output
    assert f"reading {size:,} bytes of JSON would take about" in said(result)
    assert str(path) in result.output


def test_millions_of_volunteers_are_refused_before_they_are_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten million volunteers fit in 24 MB of gzip; here 50,000 against a 0.1 GiB limit
    (the compact text itself passes: ~3.5 MB, ~80 MB to parse)."""
    path = tmp_path / "crowd.json"
    path.write_text(json.dumps(_crowd(50_000, 1), separators=(",", ":")), encoding="utf-8")
    monkeypatch.setenv(MEMORY_ENV, "0.1")
    result = validate(path)
    assert result.exit_code == 2, result.output
    assert "validating 50,000 volunteers and 1 camps" in said(result)
    assert str(path) in result.output


def test_a_limit_that_is_no_number_is_refused(
    tiny_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMORY_ENV, "lots")
    result = validate(tiny_path)
    assert result.exit_code == 2 and "'lots' is not a positive number of GiB" in said(result)


def test_the_province_fits_under_a_modest_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The estimate is no false alarm: a 16 GiB machine compiles a 300-volunteer season."""
    monkeypatch.setenv(MEMORY_ENV, "16")
    assert compile_data(_crowd(300, 50)).num_candidates == 300 * 50
    monkeypatch.setenv(MEMORY_ENV, "0.0001")
    with pytest.raises(TooLarge):
        compile_data(_crowd(300, 50))


def test_the_limit_honours_a_cap_on_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``ulimit -v`` (or a container's cgroup) the machine's memory is not the limit."""
    import resource

    from campplanner.contract import limits

    monkeypatch.delenv(MEMORY_ENV, raising=False)
    uncapped = limits.memory_limit()
    assert uncapped > 0
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (2**30, resource.RLIM_INFINITY))
    assert limits.memory_limit() == min(uncapped, 2**30)
    assert "GiB" in limits.describe_limit()


def _gzip_member_of(chunk: bytes, times: int) -> bytes:
    """A gzip member of ``chunk`` repeated ``times`` times, built in a second: the
    deflate data of one chunk after a full flush refers to nothing before it, so it
    can be repeated as it is."""
    import struct
    import zlib

    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    piece = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, (len(chunk) * times) & 0xFFFFFFFF)
    return header + piece * times + end + trailer


def test_a_huge_second_gzip_member_under_an_address_space_cap_is_refused(
    tmp_path: Path,
) -> None:
    # A two-member .json.gz (a tiny instance, then 2.5 GiB of spaces in 2.5 MB) under a
    # 4 GiB address-space cap: zlib was asked for a 2 GiB buffer at once, MemoryError
    # traceback and exit 1. Now inflated 64 MiB at a time, against the memory limit.
    import gzip
    import os
    import resource
    import subprocess
    import sys

    from builders import TINY_PATH

    chunk = b" " * 64 * 1024**2
    bomb = tmp_path / "two-members.json.gz"
    bomb.write_bytes(gzip.compress(TINY_PATH.read_bytes()) + _gzip_member_of(chunk, 40))
    assert bomb.stat().st_size < 5 * 1024**2

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))

    environment = {k: v for k, v in os.environ.items() if k != MEMORY_ENV}
    done = subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import run; run()", "validate", str(bomb)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap,
        env=environment,
    )
    assert done.returncode == 2, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    words = " ".join(done.stderr.split())
    assert "too large: reading the more than" in words, words
    assert "more than the limit of 4.0 GiB (this process's memory cap" in words


def test_a_plain_file_past_what_the_cap_lets_parse_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    # 1.9 GB of JSON (sparse here) under a 3 GiB address-space cap was read whole and
    # then ran out of memory; now its size is weighed against the limit first.
    import os
    import resource
    import subprocess
    import sys

    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(1900 * 1024**2)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))

    environment = {k: v for k, v in os.environ.items() if k != MEMORY_ENV}
    done = subprocess.run(
        [sys.executable, "-c", "from campplanner.cli import run; run()", "validate", str(big)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap,
        env=environment,
    )
    assert done.returncode == 2, done.stderr[-3000:]
    words = " ".join(done.stderr.split())
    assert "too large: reading 1,992,294,400 bytes of JSON would take about 44.5 GiB" in words
    assert "Traceback" not in done.stderr and "ran out of memory" not in words
