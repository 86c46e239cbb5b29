"""A page per camp leader: the team with roles and phones, empty slots, reserves.

The tiny instance (four camps in three counties) gets phone numbers and a solution
file with a ``reserves`` section (issue 15's, read in either shape). Chromium prints
the packets of ``instances/small.json``'s Arak camps and each camp fills one page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from builders import REPO, tiny_data
from campplanner.contract.instance import instance_from_data, load_instance
from campplanner.contract.solution import solution_from_data
from campplanner.io.packets import camp_packets, county_packets, packet_html, phone
from campplanner.io.pdf import find_browser, print_to_pdf
from campplanner.io.solution_writer import solution_data
from campplanner.model.compile import compile_instance
from campplanner.report import RosterView
from campplanner.solver import CpSatSolver, SolveOptions, make_solver

PHONES = {"v01": "0912 000 0001", "v02": "+98 912 000 0002", "v10": "۰۹۱۲۰۰۰۰۰۱۰"}


def _solved(data: dict[str, Any], reserves: Any = None) -> RosterView:
    instance = instance_from_data(data)
    result = CpSatSolver(compile_instance(instance), SolveOptions(time_limit=20)).solve()
    solution = solution_data(compile_instance(instance), result)
    if reserves is not None:
        solution["reserves"] = reserves
    return RosterView.from_solution(instance, solution_from_data(solution))


@pytest.fixture(scope="module")
def tiny_with_phones() -> RosterView:
    data = tiny_data()
    for volunteer in data["volunteers"]:
        if volunteer["id"] in PHONES:
            volunteer["phone"] = PHONES[volunteer["id"]]
    reserves = {"c1": ["v11", {"volunteer": "v12", "skill": "mason"}, {"bad": 1}], "nope": []}
    return _solved(data, reserves)


def test_a_page_per_camp_with_the_leader_and_the_team(tiny_with_phones: RosterView) -> None:
    view = tiny_with_phones
    html = packet_html(view, "tiny", view.camps)
    assert html.count('<section class="packet"') == len(view.camps)
    for camp in view.camps:
        assert f'data-camp="{camp.id}"' in html
        for member in camp.members:
            assert member.volunteer_name in html
    leaders = [m for c in view.camps for m in c.members if m.role == "leader" and m.phone]
    assert leaders  # the tiny roster's leaders include v01, v02 or v10
    for leader in leaders:
        assert f'<span class="tel">{phone(leader.phone)}</span>' in html
    assert phone("09120000002") == "۰۹۱۲ ۰۰۰ ۰۰۰۲"
    assert re.search(r"از [۰-۹/]{10} تا [۰-۹/]{10}", html)  # Jalali, Persian digits
    assert "href" not in html and "tel:" not in html  # no number in a URL


def test_reserves_are_listed_in_either_shape(tiny_with_phones: RosterView) -> None:
    c1 = next(c for c in tiny_with_phones.camps if c.id == "c1")
    assert [(r.volunteer_id, r.skill_name) for r in c1.reserves] == [("v11", ""), ("v12", "بنا")]
    data = tiny_data()
    as_list = _solved(data, [{"camp": "c2", "volunteers": ["v08"]}])
    assert [r.volunteer_id for c in as_list.camps for r in c.reserves] == ["v08"]
    html = packet_html(as_list, "tiny", as_list.camps)
    assert html.count("نیروهای ذخیره") == 1


def test_files_per_county_and_per_camp_say_when_they_carry_phones(
    tiny_with_phones: RosterView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("campplanner.io.packets.print_to_pdf", lambda html: None)
    files = county_packets(tiny_with_phones)
    assert sorted(files) == sorted(
        f"packets-{county}{'-phones' if any(m.phone for c in camps for m in c.members) else ''}"
        ".html"
        for county, camps in tiny_with_phones.counties.items()
    )
    per_camp = camp_packets(tiny_with_phones)
    assert len(per_camp) == len(tiny_with_phones.camps)
    plain = _solved(tiny_data())
    assert not any("phones" in name for name in camp_packets(plain))


def test_chromium_prints_each_camp_on_one_page(tmp_path: Path) -> None:
    browser = find_browser()
    pdftotext = shutil.which("pdftotext")
    if browser is None or pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and pdftotext are missing, and CI must print (.ci/run)")
        pytest.skip(
            "CHROMIUM OR PDFTOTEXT IS MISSING: nothing was printed "
            "(apt-get install chromium poppler-utils; .ci/run installs both)"
        )
    instance = load_instance(REPO / "instances" / "small.json")
    problem = compile_instance(instance)
    result = make_solver(problem, SolveOptions(time_limit=20, method="greedy")).solve()
    view = RosterView.from_solution(instance, solution_from_data(solution_data(problem, result)))
    county, camps = max(view.counties.items(), key=lambda item: len(item[1]))
    pdf = print_to_pdf(packet_html(view, county, camps), browser)
    assert pdf is not None
    (tmp_path / "packets.pdf").write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "packets.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == len(camps)
    for page, camp in zip(pages, camps, strict=True):
        assert camp.id in page
