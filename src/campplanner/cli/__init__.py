"""The ``campplanner`` command line: click commands (``commands.py``) and the terminal's
views, one module per application use case (``inspect_view``, ``solve_view``,
``explain_view``, ``stress_view``) over one safe console (``console.py``).

``run`` is the entry point (``campplanner.cli:run``): it takes Ctrl-C and SIGTERM
before anything heavy is imported (``startup``), then runs ``main``, the click group.
``main`` is looked up lazily, so that importing one view (the checker's, say) does not
load every command and, through them, the model.
"""

from __future__ import annotations

from typing import Any


def run() -> None:
    """The ``campplanner`` command: signals handled from this first line on."""
    from campplanner.cli import startup

    startup.install()
    try:
        from campplanner.cli.commands import main

        main()
    except KeyboardInterrupt as interrupt:  # before click took over, or after it ended
        startup.interrupted_exit(interrupt)


def __getattr__(name: str) -> Any:
    if name == "main":
        from campplanner.cli.commands import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
