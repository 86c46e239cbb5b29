"""Who to call after a version, from the page (issue 25): ``/api/versions/{id}/calls.csv``
and ``.xlsx``, the command line's ``export --calls`` call list of the version's re-plan.

tiny with phones is served with an account per role; the province removes a member of
c1 (khomein), re-solves and accepts: version 2. Its call list names that person, with the
camp's name, Jalali dates and village; phones for the province, for khomein's county
coordinator (c1 is theirs), never for a viewer; the file's name says when it holds them;
every download is in the audit log.
"""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from starlette.testclient import TestClient

from builders import tiny_data
from campplanner.contract.calendar import persian_date
from campplanner.io.calls import CALL_HEADERS
from web_helpers import clicked, served, solved, wait_for_file, wait_for_job

PASSWORD = "a long pass phrase"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("calls")
    data = tiny_data()
    for n, volunteer in enumerate(data["volunteers"]):
        volunteer["phone"] = f"0912 000 {n:04d}"
    season = folder / "season.json"
    season.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    session, client = served(season, folder, solution=solved(season, folder))
    for role, extra in (
        ("province", {}),
        ("county", {"counties": ["khomein"]}),
        ("camp-leader", {"camps": ["c1"]}),
        ("viewer", {}),
    ):
        session.accounts.add(role, role, PASSWORD, **extra)
    province = _login(client, "province")
    roster = province.get("/api/solution").json()["assignments"]
    gone = sorted(a["volunteer"] for a in roster if a["camp"] == "c1")[0]
    _post(province, "/api/edits", {"kind": "remove", "volunteer": gone, "camp": "c1"})
    job = _post(province, "/api/solve").json()["job"]
    assert wait_for_job(province, job)["state"] == "done"
    assert _post(province, f"/api/jobs/{job}/accept", {"comment": "x"}).json()["version"] == 2
    yield session, client, data, gone
    session.close()
    session.workspace.close()


def _login(client: TestClient, name: str) -> TestClient:
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    answer = other.post("/api/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    other.headers["X-CSRF-Token"] = answer.json()["csrf"]
    return other


def _post(client: TestClient, url: str, body: dict | None = None):
    rev = client.get("/api/session").json()["rev"]
    return client.post(url, json={"rev": rev, **(body or {})})


def _rows(answer) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    text = answer.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_call_list_names_the_removed_member_with_camp_dates_and_village(site) -> None:
    session, client, data, gone = site
    answer = _login(client, "province").get("/api/versions/2/calls.csv")
    rows = _rows(answer)
    assert 'filename="calls-phones-v2.csv"' in answer.headers["content-disposition"]
    person = next(v for v in data["volunteers"] if v["id"] == gone)
    row = next(r for r in rows if r[CALL_HEADERS[2]] == gone)
    assert row[CALL_HEADERS[3]] == person["name"]
    assert row[CALL_HEADERS[4]]  # the province sees the phone
    camp = next(c for c in data["camps"] if c["id"] == "c1")
    village = next(p for p in data["places"] if p["id"] == camp["place"])["name"]
    assert camp["name"] in row[CALL_HEADERS[6]] and village in row[CALL_HEADERS[6]]
    assert row[CALL_HEADERS[0]] == persian_date(camp["start"])  # c1's first day, Jalali
    assert persian_date(camp["start"]) in row[CALL_HEADERS[6]]
    assert row[CALL_HEADERS[7]] == ""  # they go nowhere else
    entry = session.workspace.audit_log()[0]
    assert (entry["action"], entry["by"]) == ("download", "province")
    assert entry["detail"]["kind"] == "calls-csv" and entry["detail"]["phones"] is True


def test_phones_only_for_the_roles_that_may_see_them(site) -> None:
    session, client, _, gone = site
    county = _login(client, "county").get("/api/versions/2/calls.csv")
    row = next(r for r in _rows(county) if r[CALL_HEADERS[2]] == gone)
    assert row[CALL_HEADERS[4]]  # c1 is khomein's: its coordinator calls them
    viewer = _login(client, "viewer").get("/api/versions/2/calls.csv")
    assert all(not r[CALL_HEADERS[4]] for r in _rows(viewer))
    assert 'filename="calls-v2.csv"' in viewer.headers["content-disposition"]
    entry = session.workspace.audit_log()[0]
    assert (entry["by"], entry["detail"]["phones"]) == ("viewer", False)
    assert _login(client, "camp-leader").get("/api/versions/2/calls.csv").status_code == 403


def test_the_xlsx_holds_the_same_rows_and_a_first_version_has_no_calls(site) -> None:
    _, client, _, gone = site
    province = _login(client, "province")
    answer = province.get("/api/versions/2/calls.xlsx")
    assert answer.status_code == 200
    assert 'filename="calls-phones-v2.xlsx"' in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [str(v).replace("\n", " ") for v in values[0]] == list(CALL_HEADERS)
    assert gone in {row[2] for row in values[1:]}
    assert len(values) - 1 == len(_rows(province.get("/api/versions/2/calls.csv")))
    first = province.get("/api/versions/1/calls.csv")
    assert first.status_code == 404 and "no re-plan" in first.text
    assert province.get("/api/versions/9/calls.csv").status_code == 404


def _main(html: str) -> str:
    return html.split("<main>", 1)[1].split("</main>", 1)[0]


def _section(html: str, key: str) -> str:
    return html.split(f'id="calls-{key}"', 1)[1].split("</section>", 1)[0]


def test_the_page_splits_what_the_edit_needed_from_the_improvements(site) -> None:
    session, client, data, gone = site
    page = _login(client, "province").get("/versions/2/calls")
    assert page.status_code == 200, page.text
    needed, improvements = _section(page.text, "needed"), _section(page.text, "improvements")
    person = next(v for v in data["volunteers"] if v["id"] == gone)
    assert needed.count(f'data-volunteer="{gone}"') == 1  # one row per person
    assert f'data-volunteer="{gone}"' not in improvements
    assert person["name"] in needed
    camp = next(c for c in data["camps"] if c["id"] == "c1")
    village = next(p for p in data["places"] if p["id"] == camp["place"])["name"]
    assert camp["name"] in needed and village in needed
    assert "۰۹۱۲" in needed  # the phone, in Persian digits
    assert session.workspace.audit_log()[0]["detail"]["kind"] == "calls-page"
    # everyone else the re-plan changed is an improvement, never in both groups
    others = set(re.findall(r'data-volunteer="([^"]+)"', improvements))
    assert gone not in others
    # a Persian page: no English beyond ids and the two file kinds
    text = re.sub(r"<[^>]+>", " ", _main(page.text))
    for word in ["xlsx", "csv", *(v["id"] for v in data["volunteers"])]:
        text = text.replace(word, "")
    assert not re.search("[A-Za-z]", text), text
    assert "<bdi>" in needed  # names, places and dates isolated in right-to-left text


def test_the_page_shows_no_phones_to_a_viewer_and_prints_without_the_menu(site) -> None:
    _, client, _, gone = site
    page = _login(client, "viewer").get("/versions/2/calls")
    assert page.status_code == 200 and f'data-volunteer="{gone}"' in page.text
    assert 'class="phone"' not in page.text and "۰۹۱۲" not in page.text
    assert 'class="no-print bar"' in page.text  # the downloads and print button
    css = client.get("/static/app.css").text
    printing = css.split("@media print", 1)[1]
    assert "header.top" in printing and "button" in printing and ".no-print" in printing
    assert _login(client, "camp-leader").get("/versions/2/calls").status_code == 403
    versions = _login(client, "province").get("/versions").text
    assert 'href="/versions/2/calls"' in versions and 'href="/versions/1/calls"' not in versions


def test_the_page_in_english_says_the_same_in_english(site) -> None:
    _, client, _, gone = site
    province = _login(client, "province")
    province.cookies.set("campplanner_lang", "en")
    page = province.get("/versions/2/calls")
    assert page.status_code == 200
    assert "Needed for your edits" in page.text and "Improvements the re-plan found" in page.text
    assert "لازم برای تغییرهای شما" not in page.text
    assert f'data-volunteer="{gone}"' in _section(page.text, "needed")


def test_the_pages_call_list_buttons_answer_with_a_job_then_the_file(site) -> None:
    """The page's downloads are jobs (a version not open is read again: seconds on the
    season): the click answers with the file's page at once, its phases, then the
    link; the file is the plain download's, read back; it is the asker's alone."""
    session, client, _, gone = site
    province = _login(client, "province")
    del province.headers["X-CSRF-Token"]  # a form: its own hidden fields
    for suffix in ("xlsx", "csv"):
        address, state = clicked(province, "/versions/2/calls", f"calls-{suffix}")
        assert state["state"] == "done", state
        assert [e["phase"] for e in state["events"]] == ["calls", "writing"]  # v2 is open
        assert state["file"]["name"] == f"calls-phones-v2.{suffix}"
        page = province.get(address).text
        assert "پرونده آماده است" in page and "فهرست تماس" in page
        assert f"تماس‌ها-با-تلفن-نسخه-۲.{suffix}" in page  # its name in Persian
        assert 'href="/versions/2/calls"' in page  # back to the call list
        made = province.get(f"{address}/file")
        plain = province.get(f"/api/versions/2/calls.{suffix}")
        if suffix == "csv":
            assert _rows(made) == _rows(plain) and gone in {r[CALL_HEADERS[2]] for r in _rows(made)}
        else:
            read = openpyxl.load_workbook(io.BytesIO(made.content)).worksheets[0]
            values = [[c.value for c in row] for row in read.iter_rows()]
            again = openpyxl.load_workbook(io.BytesIO(plain.content)).worksheets[0]
            assert values == [[c.value for c in row] for row in again.iter_rows()]
            assert gone in {row[2] for row in values[1:]}
        fetched = next(
            e for e in session.workspace.audit_log() if e["detail"].get("kind") == f"calls-{suffix}"
        )
        assert fetched["by"] == "province" and fetched["detail"]["phones"] is True
        # another account cannot read the province's file (phones)
        viewer = _login(client, "viewer")
        assert viewer.get(f"/api/files/{address.rsplit('/', 1)[1]}").status_code == 403
        assert viewer.get(f"{address}/file").status_code == 403


def test_the_call_list_job_by_the_api_and_of_a_version_not_open(site) -> None:
    session, client, _, gone = site
    viewer = _login(client, "viewer")
    job = viewer.post("/api/versions/2/calls.csv").json()["job"]
    state = wait_for_file(viewer, job)
    assert state["file"]["name"] == "calls-v2.csv"  # no phones for a viewer
    assert all(not r[CALL_HEADERS[4]] for r in _rows(viewer.get(state["url"])))
    assert viewer.post("/api/versions/9/calls.csv").status_code == 404
    assert viewer.post("/api/versions/2/calls.pdf").status_code == 404
    assert _login(client, "camp-leader").post("/api/versions/2/calls.csv").status_code == 403
    # a version that is not the open one is read first: its own phase
    from campplanner.app.review import calls
    from campplanner.app.review.actor import Actor

    source = calls.calls_source(session.workspace, 2)
    phases: list[str] = []
    file, _ = calls.made_calls_file(source, Actor("ana", "province"), "csv", phases.append)
    assert phases == ["reading", "calls", "writing"] and gone in file.content.decode("utf-8-sig")
