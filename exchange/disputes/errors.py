"""The dispute workflow's errors, on creditbridge.errors' one tree, each with a stable code.

    Conflict
    ├── DisputeClosed          "dispute_closed"        answered or expired already
    └── DisputeAlreadyOpen     "dispute_already_open"  the record is under an open dispute
    PermissionDenied
    └── NotTheFurnisher        "dispute_not_furnisher" only the record's furnisher answers

A dispute or record the caller may not see is plain NotFound ("not_found"): its
existence is not disclosed.
"""

from __future__ import annotations

from creditbridge.errors import Conflict, PermissionDenied


class DisputeClosed(Conflict):
    """The dispute was answered or expired; it takes no further answer."""

    code = "dispute_closed"


class DisputeAlreadyOpen(Conflict):
    """The record already carries an open dispute (FCRA 611(a)(3): a repeat dispute adds nothing)."""

    code = "dispute_already_open"


class NotTheFurnisher(PermissionDenied):
    """The caller may read the dispute (it opened it) but only the record's furnisher answers it."""

    code = "dispute_not_furnisher"
