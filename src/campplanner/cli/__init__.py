"""The ``campplanner`` command line: click commands (``commands.py``) and the terminal's
views, one module per application use case (``inspect_view``, ``solve_view``,
``explain_view``, ``stress_view``) over one safe console (``console.py``)."""

from campplanner.cli.commands import main

__all__ = ["main"]
