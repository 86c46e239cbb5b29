"""Spreadsheets in and out, and the printable HTML report.

Planners keep their data in Excel and share rosters on paper and in messaging apps:

- :mod:`.workbook_in` reads a workbook (or a folder of CSV files) into an instance;
- :mod:`.template` writes the template workbook (or any instance as a workbook);
- :mod:`.workbook_out`, :mod:`.csv_out` and :mod:`.html_report` export a roster;
- :mod:`.roster_in` reads an (edited) exported roster back, for ``campplanner check``;
- :mod:`.sanitize` keeps data from becoming a formula, markup or a path.

Nothing here reaches back into the solver: an export needs only the instance and a
solution file (which any tool may have written).
"""
