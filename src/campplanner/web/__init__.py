"""``campplanner serve``: review and adjust rosters in the browser.

An ASGI application (FastAPI) with server-rendered Jinja2 pages and a vendored htmx,
over the application layer (``app/``) and the workspace database (``workspace/``).
Persian, right to left, by default; English with a switch. Nothing is fetched from
outside. See docs/review.md.
"""
