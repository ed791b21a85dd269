"""GetCreditReport in domain terms, the check of its request_id, and the digest its log entry carries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation
from exchange.consent.logged_commit import request_digest

REQUEST_MALFORMED = "CB-REQ-001"
LOGGABLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")  # what an access-log entry accepts


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """GetCreditReport in domain terms; the member comes from the certificate, not from here."""

    request_id: str
    subject: SubjectRef
    consent_id: str
    purpose: InquiryPurpose
    categories: frozenset[DataCategory] = frozenset()


def check_request_id(request_id: str) -> None:
    if not request_id or len(request_id) > 64:
        violation = Violation(
            "request_id", REQUEST_MALFORMED, "a request_id of 1 to 64 characters is required"
        )
        raise InvalidRecord("the request is malformed", violations=(violation,))


def report_digest(request: ReportRequest) -> bytes:
    """What the log entry and the inquiry row carry: a retry must match it to be answered as a replay."""
    categories = ",".join(sorted(c.value for c in request.categories))
    return request_digest(
        request.request_id, request.subject.token, str(request.subject.key_epoch), request.consent_id,
        request.purpose.value, categories,
    )  # fmt: skip
