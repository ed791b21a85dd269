"""The dispute workflow's errors, on creditbridge.errors' one tree, each with a stable code.

    Conflict
    ├── DisputeClosed          "dispute_closed"        answered or expired already
    ├── DisputeAlreadyOpen     "dispute_already_open"  the record is under an open dispute
    └── StatementFiled         "dispute_statement_filed" the score dispute has its statement already
    FailedPrecondition
    └── DisputeNotConfirmed    "dispute_not_confirmed" a statement of dispute needs a confirmed answer
    PermissionDenied
    ├── NotTheFurnisher        "dispute_not_furnisher" only the record's furnisher answers
    └── NotTheOperator         "dispute_not_operator"  only the exchange's operator answers a score dispute

A dispute or record the caller may not see is plain NotFound ("not_found"): its
existence is not disclosed. A refusal to answer (either PermissionDenied) is logged as a
DENIAL entry on the subject's file, like a refusal of the role table. A refused statement
(StatementFiled, DisputeNotConfirmed) changes nothing and is not a denial of access.
"""

from __future__ import annotations

from creditbridge.errors import Conflict, FailedPrecondition, PermissionDenied


class DisputeClosed(Conflict):
    """The dispute was answered or expired; it takes no further answer."""

    code = "dispute_closed"


class DisputeAlreadyOpen(Conflict):
    """The record already carries an open dispute (FCRA 611(a)(3): a repeat dispute adds nothing)."""

    code = "dispute_already_open"


class StatementFiled(Conflict):
    """The score dispute carries the subject's statement of dispute already: one statement per dispute."""

    code = "dispute_statement_filed"


class DisputeNotConfirmed(FailedPrecondition):
    """A statement of dispute (FCRA 611(b)) answers a score dispute the operator answered CONFIRMED only:
    not one still open or expired unanswered (it is still on the score), nor a corrected one."""

    code = "dispute_not_confirmed"


class NotTheFurnisher(PermissionDenied):
    """The caller may read the dispute (it opened it) but only the record's furnisher answers it."""

    code = "dispute_not_furnisher"


class NotTheOperator(PermissionDenied):
    """The score is the exchange's own computation: its operator answers a score dispute, no member."""

    code = "dispute_not_operator"
