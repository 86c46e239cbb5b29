"""The routes, in a few routers that each parse, make one call of the review session
(``app/review/session.py``) and render or return its answer:

- ``pages``: what a planner reads (server-rendered Jinja2, htmx for live filters);
- ``edits``: the forms that change something (each answered by a redirect);
- ``api``: the JSON API under ``/api/`` (everything the pages do);
- ``downloads``: a version as a file, the current roster, the fonts.

Each router runs alone on a bare application given a session (``handling.attach``).
"""
