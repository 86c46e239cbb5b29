"""A solution file belongs to its instance: refused with another, noted when edited."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builders import REPO, TINY_PATH, tiny_data, write_instance
from campplanner.app.solving import SolveRequest, solve
from campplanner.cli import main
from campplanner.solver import SolveOptions

SMALL = REPO / "instances" / "small.json"


def _roster(tmp_path: Path, instance: Path = TINY_PATH) -> Path:
    output = tmp_path / "roster.json"
    solve(SolveRequest(str(instance), SolveOptions(time_limit=20), output_path=str(output)))
    return output


def test_a_roster_of_another_instance_is_refused_by_every_command(tmp_path: Path) -> None:
    roster = _roster(tmp_path)  # tiny's
    runner = CliRunner()
    for command in (
        ["check", str(SMALL), str(roster)],
        ["export", str(SMALL), str(roster), "--html", str(tmp_path / "r.html")],
        ["explain", str(SMALL), str(roster)],
        ["solve", str(SMALL), "--baseline", str(roster), "-q"],
    ):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        assert "this roster is for instance 'tiny-khomein-1400', not 'small'" in result.output
    assert not (tmp_path / "r.html").exists()


def test_an_edited_instance_that_kept_its_name_is_fine_and_noted(tmp_path: Path) -> None:
    roster = _roster(tmp_path)
    data = tiny_data()
    data["volunteers"] = [v for v in data["volunteers"] if v["id"] != "v11"]
    data["camps"][0]["capacity"] += 1
    edited = write_instance(tmp_path / "edited.json", data)
    result = CliRunner().invoke(main, ["check", str(edited), str(roster)])
    assert "instance changed since this roster: 1 volunteer(s) and 1 camp(s) differ" in (
        result.output
    )
    assert result.exit_code in (0, 1)  # judged on its merits


def test_the_note_of_an_edited_instance_is_in_the_language_of_lang(tmp_path: Path) -> None:
    """solve --baseline, explain, export and fit under --lang fa: the note in Persian
    (its head too), the path as given and numbers in Persian digits; English as it was."""
    roster = _roster(tmp_path)
    data = tiny_data()
    data["volunteers"][0]["name"] += " دوم"  # edited, still able to serve where they do
    data["camps"][0]["capacity"] += 1
    edited = write_instance(tmp_path / "edited.json", data)
    out = tmp_path / "out"
    out.mkdir()
    commands = {
        "solve": ["solve", str(edited), "--baseline", str(roster), "-q", "--work-limit", "5"],
        "explain": ["explain", str(edited), str(roster)],
        "export": ["export", str(edited), str(roster), "--csv", str(out), "--force"],
        "fit": ["fit", str(edited), str(roster), "--camp", "c2", "--skill", "mason"],
    }
    for name, command in commands.items():
        persian = CliRunner().invoke(main, [*command, "--lang", "fa"])
        assert persian.exit_code == 0, (name, persian.output)
        said = " ".join(persian.stderr.split())
        assert (
            f"یادداشت: {roster}: پرونده از زمان این برنامه تغییر کرده است: ۱ داوطلب و ۱ اردو "
            "فرق دارند (افزوده، برداشته یا ویرایش‌شده)"
        ) in said, (name, said)
        english = CliRunner().invoke(main, [*command, "--lang", "en"])
        said = " ".join(english.stderr.split())
        assert (
            f"note: {roster}: instance changed since this roster: 1 volunteer(s) and 1 camp(s) "
            "differ (added, removed or edited)"
        ) in said, (name, said)


def test_the_same_instance_says_nothing(tmp_path: Path) -> None:
    roster = _roster(tmp_path)
    result = CliRunner().invoke(main, ["check", str(TINY_PATH), str(roster)])
    assert result.exit_code == 0 and "note:" not in result.output


def test_swapped_arguments_are_named_as_such(tmp_path: Path) -> None:
    roster = _roster(tmp_path)
    result = CliRunner().invoke(main, ["check", str(roster), str(TINY_PATH)])
    assert result.exit_code == 2
    assert "this is a solution file (a roster), not an instance" in result.output
    assert "swapped" in result.output and "missing" not in result.output


def test_export_refuses_a_roster_that_breaks_the_rules_unless_told(tmp_path: Path) -> None:
    import json

    roster = _roster(tmp_path)
    data = json.loads(roster.read_text(encoding="utf-8"))
    # v09 is not available for c1's dates, and c1's leader (essential) is removed
    data["assignments"] = [
        a for a in data["assignments"] if not (a["camp"] == "c1" and a["skill"] == "camp_leader")
    ]
    data["assignments"].append({"volunteer": "v09", "camp": "c1", "skill": "nurse"})
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    html = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["export", str(TINY_PATH), str(edited), "--html", str(html)])
    assert result.exit_code == 1 and not html.exists()
    assert "H9" in result.output and "nothing was written" in result.output
    result = CliRunner().invoke(
        main, ["export", str(TINY_PATH), str(edited), "--html", str(html), "--allow-violations"]
    )
    assert result.exit_code == 0, result.output
    assert "this roster breaks hard rules" in html.read_text(encoding="utf-8")
