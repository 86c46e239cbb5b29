"""``campplanner export --csv DIR``: the roster's tables as CSV files Excel opens in Persian.

UTF-8 with a byte-order mark (without it Excel reads the bytes as the Windows code
page and shows mojibake), and a leading apostrophe on every text a spreadsheet program
would run as a formula (:func:`campplanner.io.sanitize.neutralize_csv`). Files:
``roster.csv`` (one row per slot), ``itineraries.csv``, ``unfilled_slots.csv``,
``skills.csv``, ``summary.csv``, and ``county-<name>.csv`` per county, whose name is
sanitised (:func:`campplanner.io.sanitize.unique_file_stem`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from campplanner.io import roster_tables as T
from campplanner.io import summaries as S
from campplanner.io.sanitize import neutralize_csv, unique_file_stem
from campplanner.report.roster import RosterView


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (no BOM yet) with formula-like texts neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize_csv(h) for h in headers])
    for row in rows:
        writer.writerow(
            ["" if v is None else neutralize_csv(v) if isinstance(v, str) else v for v in row]
        )
    return buffer.getvalue()


def roster_csv_files(view: RosterView) -> dict[str, bytes]:
    """File name -> bytes (UTF-8 with BOM) of every CSV file of the export."""
    tables: dict[str, str] = {
        "summary.csv": csv_text(T.SUMMARY_HEADERS, T.summary_table(view)),
        "roster.csv": csv_text(T.MASTER_HEADERS, T.master_table(view)),
        "itineraries.csv": csv_text(T.ITINERARY_HEADERS, T.itinerary_table(view)),
        "unfilled_slots.csv": csv_text(T.UNFILLED_HEADERS, T.unfilled_table(view)),
        "skills.csv": csv_text(T.SKILL_HEADERS, T.skill_table(view)),
        "counties.csv": csv_text(*S.as_rows(S.county_frame(view))),
        "groups.csv": csv_text(*S.as_rows(S.group_frame(view))),
        "unassigned.csv": csv_text(*S.as_rows(S.unassigned_frame(view))),
        "unassigned_by_skill_and_county.csv": csv_text(*S.as_rows(S.unassigned_pivot(view))),
    }
    used = {Path(name).stem for name in tables}
    for county in view.counties:
        subset = view.of_county(county)
        stem = unique_file_stem(f"county-{county}", used, fallback="county")
        tables[f"{stem}.csv"] = csv_text(T.MASTER_HEADERS, T.master_table(subset))
    return {name: text.encode("utf-8-sig") for name, text in tables.items()}
