"""A stored consent row read back: every field, a revocation, and a value the exchange never writes."""

from __future__ import annotations

from collections import namedtuple
from datetime import UTC, datetime

import pytest

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import RevokedBy
from exchange.consent.store import consent_from_row

_Row = namedtuple(
    "_Row",
    "consent_id member_id subject_token subject_key_epoch purpose categories valid_from valid_until "
    "evidence_sha256 signature signing_key_epoch registered_at request_id request_sha256 register_log_seq "
    "revoked_at revoked_by revoke_log_seq",
)
REGISTERED = datetime(2026, 11, 1, 9, 30)  # SQLite hands back naive UTC times


def _row(**changes: object) -> _Row:
    row = _Row(
        "c-1", "bank-a", b"\x01" * 32, 2, "card_approval", "negative,positive,score", REGISTERED,
        datetime(2026, 12, 1), b"\x02" * 32, b"\x03" * 64, 1, REGISTERED, "req-1", b"\x04" * 32, 7,
        None, None, None,
    )  # fmt: skip
    return row._replace(**changes)


def test_a_live_consent_reads_back_field_for_field() -> None:
    stored = consent_from_row(_row())
    consent = stored.consent
    assert consent.purpose is InquiryPurpose.CARD_APPROVAL
    assert consent.categories == {DataCategory.NEGATIVE, DataCategory.POSITIVE, DataCategory.SCORE}
    assert consent.subject.token == b"\x01" * 32 and consent.subject.key_epoch == 2
    assert consent.valid_from == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert consent.revoked_at is None and consent.revoked_by is None
    assert (stored.request_id, stored.register_log_seq, stored.revoke_log_seq) == ("req-1", 7, None)


def test_a_revoked_consent_says_who_revoked_it() -> None:
    stored = consent_from_row(_row(revoked_at=datetime(2026, 11, 5), revoked_by="subject", revoke_log_seq=9))
    assert stored.consent.revoked_by is RevokedBy.SUBJECT
    assert stored.consent.revoked_at == datetime(2026, 11, 5, tzinfo=UTC)
    assert stored.revoke_log_seq == 9


def test_the_same_categories_read_twice_give_equal_sets() -> None:
    first, second = consent_from_row(_row()), consent_from_row(_row(consent_id="c-2"))
    assert first.consent.categories == second.consent.categories
    assert consent_from_row(_row(categories="inquiries")).consent.categories == {DataCategory.INQUIRIES}


@pytest.mark.parametrize(
    "changes",
    [{"purpose": "marketing"}, {"categories": "positive,gossip"}, {"revoked_by": "nobody"}],
    ids=["unknown purpose", "unknown category", "unknown revoker"],
)
def test_a_value_the_exchange_never_writes_is_refused(changes: dict[str, object]) -> None:
    if "revoked_by" in changes:
        changes = {**changes, "revoked_at": datetime(2026, 11, 5)}
    with pytest.raises(ValueError):
        consent_from_row(_row(**changes))
