"""The review page as a planner reaches it (issue 25): every count of the overview a link
to the list it counts, the filter "essential roles empty" on the camps list and in the
API, the people on no camp as a list, papers (a camp's and a county's packets) from the
page, and who to call in the re-solve's panel by names, camp names and Jalali dates.

Over HTTP (Starlette's test client) on a micro-instance worked out by hand; the same
pages in Chromium, with axe-core and the print view, are in ``test_access_browser.py``.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from builders import beds_bind, camp, make_instance, place, requirement, volunteer
from campplanner.contract.calendar import to_persian_digits
from web_helpers import clicked, post, served, session, solved, wait_for_job

SKILLS = [{"id": "physician", "name": "پزشک"}, {"id": "nurse", "name": "پرستار"}]


def _season() -> dict[str, Any]:
    # Camps A (priority 2) and B (priority 1) on the same days, each needing a physician
    # (essential); one physician, so only A runs: A full with p1, n1, n2; B cancelled
    # (its physician and nurse empty: 2 empty slots, one essential); n3 on no camp.
    return make_instance(
        skills=SKILLS,
        rules={"max_camps": 1},
        calendar="jalali",
        places=[
            place("arak", name="اراک"),
            place("village", 34.20, 49.50, name="ده‌نو", county="arak"),
        ],
        volunteers=[
            volunteer("p1", name="پریسا پزشکی", skills={"physician": 1}, phone="09121234567"),
            volunteer("n1", name="نرگس یکم"),
            volunteer("n2", name="نسرین دوم"),
            volunteer("n3", name="نگار سوم"),
        ],
        camps=[
            camp(
                "A",
                name="اردوی الف",
                start="1403-04-10",
                end="1403-04-14",
                priority=2,
                requirements=[
                    requirement("physician", essential=True),
                    requirement("nurse", count=2),
                ],
            ),
            camp(
                "B",
                name="اردوی ب",
                start="1403-04-10",
                end="1403-04-14",
                priority=1,
                requirements=[requirement("physician", essential=True), requirement("nurse")],
            ),
        ],
    )


@pytest.fixture
def web(tmp_path: Path):
    instance = tmp_path / "two.json"
    instance.write_text(json.dumps(_season(), ensure_ascii=False), encoding="utf-8")
    site, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    yield site, client
    site.close()


def _links(html: str) -> dict[str, str]:
    """The overview's counts: link id -> address."""
    return {
        ident: unescape(href)
        for href, ident in re.findall(r'<a href="([^"]*)" id="(count-[a-z]+)"', html)
    }


def test_every_count_of_the_overview_links_to_the_list_it_counts(web) -> None:
    _, client = web
    data = client.get("/api/overview").json()
    assert data["camps"] == {"total": 2, "run": 1, "full": 1, "short": 0, "cancelled": 1}
    assert (data["empty_slots"], data["camps_with_empty"]) == (2, 1)
    assert (data["essential_empty"], data["unassigned"]) == (1, 1)
    links = _links(client.get("/").text)
    counted = {
        "count-camps": data["camps"]["total"],
        "count-full": data["camps"]["full"],
        "count-short": data["camps"]["short"],
        "count-cancelled": data["camps"]["cancelled"],
        "count-empty": data["camps_with_empty"],
        "count-essential": data["essential_empty"],
    }
    assert set(links) == {*counted, "count-unassigned"}
    for ident, count in counted.items():
        address = links[ident]
        assert address.startswith("/camps"), address
        listed = client.get("/api" + address).json()
        assert listed["total"] == count, (ident, address)
        assert client.get(address).status_code == 200
    people = client.get(links["count-unassigned"])
    assert people.status_code == 200 and "/volunteers/n3" in people.text
    assert "/volunteers/n1" not in people.text  # on camp A
    # the per-county and per-skill counts link to their lists too
    page = client.get("/").text
    assert 'href="/camps?county=' in page and "&amp;status=cancelled" in page
    assert 'href="/camps?skill=physician"' in page  # a skill with empty slots


def test_the_camps_filter_essential_roles_empty_on_the_page_and_in_the_api(web) -> None:
    _, client = web
    essential = client.get("/api/camps", params={"empty": "essential"}).json()
    assert [r["id"] for r in essential["rows"]] == ["B"]
    assert [r["id"] for r in client.get("/api/camps", params={"empty": "any"}).json()["rows"]] == [
        "B"
    ]
    page = client.get("/camps", params={"empty": "essential"}).text
    assert '<option value="essential" selected>نقش ضروری خالی</option>' in page
    assert 'href="/camps/B"' in page and 'href="/camps/A"' not in page
    refused = client.get("/api/camps", params={"empty": "lots"})
    assert refused.status_code == 400 and "empty" in refused.json()["error"]
    said = client.get("/camps", params={"empty": "lots"})  # said above the table, rows kept
    assert said.status_code == 400 and 'href="/camps/A"' in said.text


def test_every_empty_slot_of_a_cancelled_camp_says_why_in_the_pages_language(web) -> None:
    # B is cancelled: its essential physician is short (p1, the one physician, serves in
    # A), which is its own reason; its nurse could be filled by n3 (free) but nobody
    # serves in a camp that does not run: that is said too, with the camp's fix (issue
    # 25: 351 of 395 slots of cancelled camps said nothing, 46 of them essential).
    _, client = web
    data = client.get("/api/camps/B").json()
    slots = {s["skill"]: s for s in data["empty_slots"]}
    assert set(slots) == {"physician", "nurse"}
    assert slots["physician"]["why"] and slots["physician"]["why"] in data["cancelled"]["why"]
    nurse = slots["nurse"]
    assert nurse["why"] == (
        "در اردویی که برپا نشود کسی خدمت نمی‌کند، و این اردو برپا نمی‌شود: "
        "یک نقش ضروری پر نشد، پس اردو لغو شد"
    )
    assert nurse["fix"] == data["cancelled"]["fix"] != ""
    english = client.get("/api/camps/B", params={"lang": "en"}).json()
    assert {s["skill"]: s["why"] for s in english["empty_slots"]}["nurse"] == (
        "nobody serves in a camp that does not run, and this one does not: "
        "an essential role could not be filled, so the camp was cancelled"
    )
    page = client.get("/camps/B").text
    nurse_section = page.split('data-skill="nurse"', 1)[1].split("</section>", 1)[0]
    assert "در اردویی که برپا نشود کسی خدمت نمی‌کند" in nurse_section
    assert client.get("/api/camps/A").json()["empty_slots"] == []  # A is full: nothing said


def test_a_candidate_whose_move_stops_a_camp_says_which_and_a_swap_names_skills(web) -> None:
    # B's physician slot: p1 would come from A, where they are the one physician, so A
    # stops running: said beside them by the camp's name. The swap of n1 (a nurse of A)
    # offers n3, their skill by its name (an English skill id before) and n1 by name.
    _, client = web
    slots = {s["skill"]: s for s in client.get("/api/camps/B").json()["empty_slots"]}
    (p1,) = [k for k in slots["physician"]["candidates"] if k["volunteer"] == "p1"]
    assert p1["leaves"] == ["A"] and p1["cancels"] == ["A"]
    assert p1["stops"] == [{"camp": "A", "camp_name": "اردوی الف"}] and p1["displaced"] == []
    page = client.get("/camps/B").text
    section = page.split('data-skill="physician"', 1)[1].split("</section>", 1)[0]
    assert 'لغو می‌شود: <a href="/camps/A"><bdi>اردوی الف</bdi></a>' in section
    # each change keeps its sign before its digits in the right-to-left line: a
    # left-to-right mark first (CLDR's Persian signs), not «۱-» for -1
    change = to_persian_digits(f"{p1['coverage_change']:+d}")
    assert f'<td class="num">\u200e{change}</td>' in section, section
    text = re.sub(r"<[^>]+>", "", page.split("<main", 1)[1])
    signs = re.findall("(?<![۰-۹])(.?)[+-][۰-۹]", text)  # a sign, not a date's dash
    assert signs and set(signs) == {"\u200e"}, signs
    english = client.get("/camps/B", cookies={"campplanner_lang": "en"}).text
    assert f"{p1['coverage_change']:+d}</td>" in english and "\u200e" not in english
    swap = client.get("/camps/A", params={"replace": "n1"}).text
    swaps = swap.split('id="swaps"', 1)[1].split("</section>", 1)[0]
    assert "جایگزین: <bdi>نرگس یکم</bdi>" in swaps
    assert '<a href="/volunteers/n3"><bdi>نگار سوم</bdi></a></td><td><bdi>پرستار</bdi>' in swaps
    assert "nurse" not in re.sub(r"<[^>]+>", " ", swaps)


def _beds_full() -> dict[str, Any]:
    # builders.beds_bind, with Persian names: anyone offered for A's two empty slots takes
    # the bed of someone in A, who must be named
    names = {"l1": "لیلا", "n1": "نازنین", "n2": "نسترن", "n3": "نیلوفر"}
    names |= {f"m{k}": f"مهدی {['یکم', 'دوم', 'سوم', 'چهارم'][k]}" for k in range(4)}
    return beds_bind(names)


def test_a_candidate_for_a_camp_with_no_bed_left_names_who_gives_theirs_up(
    tmp_path: Path,
) -> None:
    instance = tmp_path / "beds.json"
    data = _beds_full()
    instance.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    site, client = served(instance, tmp_path, solution=solved(instance, tmp_path))
    names = {v["id"]: v["name"] for v in data["volunteers"]}
    camp_a = client.get("/api/camps/A").json()
    members = {m["volunteer"] for m in camp_a["team"]}
    assert len(members) == 3 and "l1" in members  # the beds, the leader among them
    page = client.get("/camps/A").text
    named = 0
    for slot in camp_a["empty_slots"]:
        section = page.split(f'data-skill="{slot["skill"]}"', 1)[1].split("</section>", 1)[0]
        for k in slot["candidates"]:
            assert k["displaces"], k  # no bed left: someone gives theirs up
            assert k["displaced"] == [{"volunteer": v, "name": names[v]} for v in k["displaces"]]
            assert set(k["displaces"]) <= members - {"l1"}  # never the essential leader
            for v in k["displaces"]:
                said = f'جای خود را می‌دهد: <a href="/volunteers/{v}"><bdi>{names[v]}</bdi></a>'
                assert said in section, section
                named += 1
    assert named >= 2
    site.close()


def test_the_people_on_no_camp_are_searched_by_post_and_in_the_api(web) -> None:
    _, client = web
    csrf = session(client)["csrf"]
    found = client.post(
        "/api/volunteers/search", json={"unassigned": True}, headers={"X-CSRF-Token": csrf}
    ).json()
    assert [r["volunteer"] for r in found["results"]] == ["n3"] and found["total"] == 1
    page = client.post("/volunteers", data={"csrf": csrf, "q": "ن", "unassigned": "1"}).text
    assert "/volunteers/n3" in page and "/volunteers/n2" not in page


def _saved_as(answer: Any) -> str:
    """The name a browser saves a download under: ``filename*`` first, else ``filename``."""
    disposition = answer.headers["content-disposition"]
    starred = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    if starred:
        from urllib.parse import unquote

        return unquote(starred.group(1))
    return re.search(r'filename="([^"]+)"', disposition).group(1)


def test_a_camps_and_a_countys_packets_from_the_page_named_in_persian(web) -> None:
    site, client = web
    page = client.get("/camps/A").text
    assert 'id="packet" href="/packets/A"' in page
    county = re.search(r'action="([^"]+)" class="inline" id="county-packets"', page).group(1)
    assert unescape(county) == "/county-packets/%D8%A7%D8%B1%D8%A7%DA%A9"  # اراک
    # the button makes them in the background (the season's largest county: a
    # megabyte, a second or more): its page, its phase, then the link
    address, state = clicked(client, "/camps/A", "county-packets")
    assert state["state"] == "done" and [e["phase"] for e in state["events"]] == ["writing"]
    shown = client.get(address).text
    assert "پرونده آماده است" in shown and "برگه‌های سرپرستان شهرستان" in shown
    assert "<bdi>اراک</bdi>" in shown
    packets = client.get(f"{address}/file")
    assert packets.status_code == 200
    assert packets.content == client.get(unescape(county)).content  # the plain GET's file
    fetched = [e for e in site.audit(site.actor_for(None)) if e["action"] == "download"]
    job_fetch = fetched[1]["detail"]  # the job's file, fetched: audited as the plain GET
    assert (job_fetch["kind"], job_fetch["county"]) == ("packets", "اراک")
    assert "اردوی الف" in packets.text and "اردوی ب" in packets.text  # both camps
    assert _saved_as(packets) == "برگه‌های-اراک-با-تلفن.html"  # p1's phone is in it
    assert 'filename="packets-arak-phones.html"' in packets.headers["content-disposition"]
    assert _saved_as(client.get("/packets/A")) == "برگهٔ-اردو-A-با-تلفن.html"
    english = client.get("/packets/A", params={"lang": "en"})
    assert _saved_as(english) == "packet-A-phones.html"
    # the county view: the camps list filtered by the county links to its packets
    listed = client.get("/camps", params={"county": "اراک"}).text
    assert 'id="county-packets"' in listed
    assert 'id="county-packets"' not in client.get("/camps").text
    assert client.get("/county-packets/nowhere").status_code == 404
    # a version's files are named in Persian too
    roster = client.get("/versions/1/download/xlsx")
    assert _saved_as(roster) == "برنامه-نسخه-۱.xlsx"


def test_the_resolve_panel_names_people_camps_roles_and_jalali_dates(web) -> None:
    _, client = web
    assert post(client, "/api/edits", {"kind": "remove", "volunteer": "n1", "camp": "A"}).is_success
    job = post(client, "/api/solve").json()["job"]
    wait_for_job(client, job)
    panel = client.get(f"/jobs/{job}").text
    removed = re.search(r'<table class="data diff-removed">.*?</table>', panel, re.S)
    assert removed, panel
    row = removed.group(0)
    assert "نرگس یکم" in row and "اردوی الف" in row and "پرستار" in row
    assert "۱۴۰۳/۰۴/۱۰" in row or "۱۴۰۳-۰۴-۱۰" in row, row  # the camp's first day, Jalali
    assert "ده‌نو" in row  # its village
    assert "nurse" not in row and ">A<" not in row  # no skill id, no camp id shown
    data = client.get(f"/api/jobs/{job}").json()["finished"]["diff"]
    gone = next(e for e in data["removed"] if e["volunteer"] == "n1")
    assert gone["before"][0]["camp_name"] == "اردوی الف" and gone["before"][0]["role"] == "پرستار"
    # the panel splits, as the call list does, what the edit needed (n1, whom it names)
    # from what the re-plan found besides (n3, free, takes the nurse's slot)
    assert gone["needed"] is True
    others = {e["volunteer"] for key in ("added", "moved") for e in data[key]} - {"n1"}
    assert others and all(
        not e["needed"] for key in ("added", "moved") for e in data[key] if e["volunteer"] != "n1"
    )
    assert (data["needed"], data["improvements"]) == (1, len(others))
    found = to_persian_digits(str(len(others)))
    split = f"لازم برای تغییرهای شما: ۱ · بهبودهایی که برنامه‌ریزی دوباره یافت: {found}"
    assert split in panel, panel
    assert '<tr class="needed"><td><a href="/volunteers/n1">' in panel
    assert '<span class="tag">بهبود</span>' in panel
