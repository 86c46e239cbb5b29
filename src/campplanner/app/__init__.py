"""The application layer: one plain function per job, for every front end.

The command line (``cli/``), a web page and a cluster engine call these and nothing
below them. Each takes paths or objects and returns a typed result; long jobs run as
:class:`~campplanner.app.jobs.Job`\\ s that stream progress and can be cancelled.

- ``app.inspect``: :func:`validate`, :func:`check`, :func:`explain`
- ``app.solving``: :func:`solve_job` / :func:`solve` (re-planning with a baseline too)
- ``app.scenarios``: :func:`compare`, :func:`replace`
- ``app.files``: :func:`generate`, :func:`import_workbook`, :func:`write_template`,
  :func:`export`
- ``app.jobs``: :class:`Job`, :class:`JobRunner`, :func:`run_in_foreground`
- ``app.review``: :class:`ReviewSession`, what ``campplanner serve``'s routes call (a
  workspace's versions opened, read, edited, re-solved, accepted, published, downloaded)

Submodules are imported by their users, so that ``campplanner --help`` stays fast.
"""
