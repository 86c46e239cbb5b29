"""The formats ``campplanner export`` writes, one entry each.

A format renders a :class:`~campplanner.report.RosterView` to one file, or to
a folder of files. ``campplanner export`` has one option per format (``--xlsx FILE``,
``--csv FOLDER``...), generated from ``EXPORT_FORMATS``; add a format here and it is an
option, checked before anything is written, like the others (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the command line imports this module at start
    from campplanner.report.roster import RosterView


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the option: --<name>
    help: str
    folder: bool  # True: render gives {file name: bytes}, written into a folder
    render: Callable[[RosterView], bytes | str | dict[str, bytes]]

    @property
    def option(self) -> str:
        """The command line's option: ``--camp-packets`` for ``camp_packets``."""
        return "--" + self.name.replace("_", "-")


# Renderers import their writers when used, so that `campplanner --help` stays fast.
def _workbook(view: RosterView) -> bytes:
    from campplanner.io.workbook_out import roster_workbook

    return roster_workbook(view)


def _csv_files(view: RosterView) -> dict[str, bytes]:
    from campplanner.io.csv_out import roster_csv_files

    return roster_csv_files(view)


def _html(view: RosterView) -> str:
    from campplanner.io.html_report import roster_html

    return roster_html(view)


def _county_reports(view: RosterView) -> dict[str, bytes]:
    from campplanner.io.html_report import county_reports

    return county_reports(view)


def _calls(view: RosterView) -> dict[str, bytes]:
    from campplanner.io.calls import call_files

    return call_files(view)


def _county_packets(view: RosterView) -> dict[str, bytes]:
    from campplanner.io.packets import county_packets

    return county_packets(view)


def _camp_packets(view: RosterView) -> dict[str, bytes]:
    from campplanner.io.packets import camp_packets

    return camp_packets(view)


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("xlsx", "Write the roster workbook (right to left) here.", False, _workbook),
    ExportFormat(
        "csv", "Write the roster's CSV files (UTF-8 with BOM) into this folder.", True, _csv_files
    ),
    ExportFormat("html", "Write the printable HTML report here.", False, _html),
    ExportFormat(
        "county_reports", "Write an HTML report per county into this folder.", True, _county_reports
    ),
    ExportFormat(
        "packets",
        "Write a page per camp leader (team, phones, empty slots) into "
        "this folder: an HTML file per county, and its PDF when Chromium is installed.",
        True,
        _county_packets,
    ),
    ExportFormat(
        "calls",
        "Write whom to phone after a re-plan (solve --baseline), with "
        "their phones, as xlsx and CSV into this folder.",
        True,
        _calls,
    ),
    ExportFormat(
        "camp_packets",
        "Write the camp leaders' pages into this folder, one HTML file per camp.",
        True,
        _camp_packets,
    ),
)
