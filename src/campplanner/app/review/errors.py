"""What the review session refuses, by kind, for a front end to say in its own way (the
web: 404 for :class:`NotFound`, 409 for :class:`StaleRevision`, 413 for
:class:`TooLarge`, 401 for :class:`LoginRefused` and :class:`NotLoggedIn`, 403 for
:class:`Forbidden`, 429 for :class:`TooManyAttempts`, 400 for any other
:class:`CampPlannerError`).

The contract's and the workspace's errors are named here too, so that a front end reads
every refusal from the application layer alone.
"""

from __future__ import annotations

from campplanner.app.accounts import LoginRefused, NotLoggedIn, TooManyAttempts
from campplanner.contract.errors import CampPlannerError, UsageError
from campplanner.workspace import StaleRevision, Superseded


class NotFound(CampPlannerError):
    """No such version, camp, volunteer, pending edit, job or file."""


class TooLarge(CampPlannerError):
    """An uploaded file over the session's limit."""


class Forbidden(CampPlannerError):
    """Known, but not allowed to: another county's camp, phones for a viewer..."""


__all__ = [
    "CampPlannerError",
    "Forbidden",
    "LoginRefused",
    "NotFound",
    "NotLoggedIn",
    "StaleRevision",
    "Superseded",
    "TooLarge",
    "TooManyAttempts",
    "UsageError",
]
