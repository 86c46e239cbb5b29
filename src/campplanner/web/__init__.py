"""``campplanner serve``: review and adjust rosters in the browser.

An ASGI application (FastAPI) with server-rendered Jinja2 pages and a vendored htmx:
routers (``routes/``) that each make one call of the application layer's review session
(``app/review/``), which keeps the versions in the workspace database.
Persian, right to left, by default; English with a switch. Nothing is fetched from
outside. See docs/review.md.
"""
