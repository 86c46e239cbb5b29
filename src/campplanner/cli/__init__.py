"""The ``campplanner`` command line: click commands (``commands.py``) and the terminal's
views, one module per application use case (``inspect_view``, ``solve_view``,
``explain_view``, ``stress_view``) over one safe console (``console.py``).

``main`` (the entry point, ``campplanner.cli:main``) is looked up lazily, so that
importing one view (the checker's, say) does not load every command and, through them,
the model.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "main":
        from campplanner.cli.commands import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
