"""The review of rosters in a workspace, for ``campplanner serve`` and any front end.

One :class:`~campplanner.app.review.session.ReviewSession` per server: every page and
every API call of the web is one call of it, made for an
:class:`~campplanner.app.review.actor.Actor`. Beneath it, one job per module:

- ``versions``: a version opened for reading (instance, compiled problem, roster view,
  search keys, what pages worked out), the newest kept, warmed in the background;
- ``reads``: what each page shows, as JSON-ready data;
- ``edits``: a planner's edit as scenario edits; ``resolves``: re-solving with them,
  accepting the roster; ``comparisons``: scenario files compared; ``background``: those
  jobs by id; ``downloads``: a version as a file;
- ``opening``: the planner's files into the workspace, and the session over it;
- ``actor``: who acts; ``errors``: what is refused, by kind; ``days``: days and digits
  as pages show them.

Submodules are imported by their users (``campplanner --help`` stays fast).
"""
