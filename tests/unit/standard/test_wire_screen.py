"""The wire screen admits a record exactly as the reference intake does, or leaves it to it.

Two populations: the standard screen's (valid records of every kind broken at random
so that every rule of the standard is broken at least once, written to the wire) and
the plain reading's (valid messages whose wire form is broken: impossible dates,
sub-cent amounts, unknown enum numbers, short tokens, bad history columns). Each
record is judged with its envelope's clear fields mostly faithful, sometimes naming
another kind, subject or token. For every record and both profiles, the wire screen
(`QuickIntake.admit`) answers None or exactly what the reference intake
(`judge_record`: parse, validator, domain facts) answers.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from records_for_tests import CARD, CHARGED_OFF, LATE_60, LOAN, REF, SUBJECT, TODAY, months
from test_screen import _population

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus, MonthStatus
from creditbridge.domain.furnishing import RecordKind, SealedRecord
from creditbridge.standard import CN_PROFILE, US_PROFILE
from creditbridge.standard.validate import validate_record, validate_record_by_rules
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire import record_screen
from creditbridge.wire.records import credit_record_to_proto
from exchange.furnishing.intake import (
    _OPTIONAL_TRADELINE_FIELDS,
    AdmittedRecord,
    QuickIntake,
    admit_batch,
    judge_record,
)
from tests.support.records import AS_OF
from tests.unit.wire import test_plain_reading as plain

OTHER_TOKEN = b"\x09" * 32
ORIGINAL_AMOUNT = d.TradelineAmount.ORIGINAL_AMOUNT
_KIND_OF = {"tradeline": RecordKind.TRADELINE, "subject": RecordKind.SUBJECT,
            "public_record": RecordKind.PUBLIC_RECORD, "statement": RecordKind.STATEMENT}  # fmt: skip


def _sealed(rng: random.Random, message: pb.CreditRecord) -> SealedRecord:
    """The clear fields of the record's envelope: faithful, or now and then not."""
    kind = message.WhichOneof("record")
    body = getattr(message, kind) if kind else None
    token = body.subject.token if body is not None and body.HasField("subject") else OTHER_TOKEN
    record_token = getattr(body, "account_token", "") or getattr(body, "record_token", "")
    clear_kind = _KIND_OF.get(kind or "", RecordKind.TRADELINE)
    change = rng.randrange(10)
    if change == 0:
        token = OTHER_TOKEN
    elif change == 1:
        record_token = "another-account"
    elif change == 2:
        clear_kind = rng.choice(list(RecordKind))
    return SealedRecord(token, 1, record_token, clear_kind, b"")


def _compare(messages: list[pb.CreditRecord], seed: int, today: date) -> tuple[int, int, dict[str, int]]:
    """(answered, judged, fewest negative tradelines answered of a profile, and with a purge date)."""
    rng = random.Random(seed)
    answered = judged = 0
    negatives, dated = {}, {}
    for profile in (CN_PROFILE, US_PROFILE):
        negatives[profile.jurisdiction.value] = dated[profile.jurisdiction.value] = 0
        quick = QuickIntake(profile, today)
        for index, message in enumerate(messages):
            sealed = _sealed(rng, message)
            plaintext = message.SerializeToString()
            expected = judge_record(
                index, sealed, plaintext, message, validate=validate_record, profile=profile, today=today
            )
            found = quick.admit(index, sealed, plaintext, message)
            judged += 1
            if found is not None:
                answered += 1
                assert found == expected, (message, expected)
                if found.negative:
                    negatives[profile.jurisdiction.value] += 1
                    dated[profile.jurisdiction.value] += found.purge_on is not None
    return answered, judged, {"negative": min(negatives.values()), "with a purge date": min(dated.values())}


def test_on_records_breaking_every_rule_the_wire_screen_answers_as_the_reference() -> None:
    messages = [credit_record_to_proto(record) for record in _population(seed=20261122, size=4_000)]
    answered, judged, negatives = _compare(messages, seed=1, today=TODAY)
    assert answered > judged // 10  # the wire screen does answer, not only defer
    # Negative data too, on both profiles (CN: none is due while the delinquency goes on).
    assert negatives["negative"] > 200 and negatives["with a purge date"] > 15, negatives


def test_on_broken_wire_forms_the_wire_screen_answers_as_the_reference() -> None:
    rng = random.Random(20261122)
    bases = plain._bases()
    messages = []
    for _ in range(4_000):
        base, kind, mutations = rng.choice(bases)
        message = pb.CreditRecord()
        message.CopyFrom(base)
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            rng.choice(mutations)(rng, getattr(message, kind))
        messages.append(message)
    answered, judged, _ = _compare(messages, seed=2, today=AS_OF)
    assert answered > judged // 10


def _admitted(record: Any, today: date = TODAY) -> AdmittedRecord | None:
    message = credit_record_to_proto(record)
    body = getattr(message, message.WhichOneof("record"))
    token = getattr(body, "account_token", "")
    kind = RecordKind.TRADELINE if isinstance(record, d.Tradeline) else RecordKind.SUBJECT
    sealed = SealedRecord(body.subject.token, 1, token, kind, b"")
    return QuickIntake(CN_PROFILE, today).admit(0, sealed, message.SerializeToString(), message)


@pytest.mark.parametrize("profile", [CN_PROFILE, US_PROFILE], ids=["CN", "US"])
@pytest.mark.parametrize(
    "record",
    [
        LATE_60,
        CHARGED_OFF,
        replace(CARD, first_delinquency_on=date(2024, 1, 5)),  # before the history: no late month needed
        replace(
            LATE_60,
            status=AccountStatus.CURRENT,
            past_due_amount=d.Money(0, "CNY"),
            history=months(MonthStatus.CURRENT, MonthStatus.LATE_30, *(MonthStatus.CURRENT,) * 10),
        ),  # cured
        replace(LATE_60, history=None),
    ],
    ids=["late", "charged-off", "first-delinquency-only", "cured", "no-history"],
)
def test_a_clean_negative_tradeline_is_admitted_from_the_wire_with_its_purge_date(
    record: d.Tradeline, profile: Any
) -> None:
    message = credit_record_to_proto(record)
    sealed = SealedRecord(REF.token, 1, record.account_token, RecordKind.TRADELINE, b"")
    plaintext = message.SerializeToString()
    expected = judge_record(
        0, sealed, plaintext, message, validate=validate_record, profile=profile, today=TODAY
    )
    found = QuickIntake(profile, TODAY).admit(0, sealed, plaintext, message)
    assert isinstance(expected, AdmittedRecord) and expected.negative
    assert found == expected


def test_a_clean_tradeline_and_subject_are_admitted_from_the_wire() -> None:
    tradeline = _admitted(CARD)
    assert tradeline is not None and tradeline.kind is RecordKind.TRADELINE and not tradeline.negative
    assert tradeline.record_token == CARD.account_token and tradeline.subject == CARD.subject
    assert 0 < tradeline.completeness < 1
    subject = _admitted(replace(SUBJECT, consented_items=()))
    assert subject is not None and subject.record_token == SUBJECT.subject.token.hex()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("record", "why"),
    [
        (
            replace(LOAN, status=AccountStatus.PAST_DUE_30, past_due_amount=d.Money(5_000, "CNY")),
            "delinquent without a first delinquency: CB-TL-009",
        ),
        (
            replace(CARD, first_delinquency_on=date(2024, 6, 5)),
            "a first delinquency no month shows: CB-TL-008",
        ),
        (replace(CARD, reported_on=date(2025, 7, 1)), "a day after today: CB-REC-001"),
        (replace(CARD, extensions=(d.Extension("branch", "north"),)), "extensions: the rule table"),
        (SUBJECT, "a consented item: the rule table"),
        (
            replace(LOAN, original_amount=None, amounts_not_kept=frozenset({ORIGINAL_AMOUNT})),
            "a declared amount (CB-TL-016 excuses it): the rule table",
        ),
    ],
)
def test_what_the_wire_screen_leaves_to_the_reference(record: Any, why: str) -> None:
    assert _admitted(record) is None, why


def test_a_batch_is_admitted_alike_with_and_without_the_wire_screen() -> None:
    class Opener:  # the payloads are not sealed here: opening returns them as they are
        def open(self, sealed: bytes, *, subject_token: bytes, account_token: bytes) -> bytes:
            return sealed

    records = [CARD, LOAN, replace(CARD, reported_on=date(2025, 7, 1)), replace(SUBJECT, consented_items=())]
    batch_records = []
    for record in records:
        message = credit_record_to_proto(record)
        body = getattr(message, message.WhichOneof("record"))
        kind = RecordKind.TRADELINE if isinstance(record, d.Tradeline) else RecordKind.SUBJECT
        token = getattr(body, "account_token", "")
        batch_records.append(SealedRecord(body.subject.token, 1, token, kind, message.SerializeToString()))
    batch: Any = type("Batch", (), {"records": tuple(batch_records)})()
    results = [
        admit_batch(
            batch, opener=Opener(), validate=validate_record, profile=CN_PROFILE, today=TODAY, quick_path=q
        )  # type: ignore[arg-type]
        for q in (True, False)
    ]
    assert results[0] == results[1]
    assert [v.accepted for v in results[0].verdicts] == [True, True, False, True]


def test_another_validator_judges_every_record_itself() -> None:
    seen = []

    def counting(record: Any, **kwargs: Any) -> tuple[()]:
        seen.append(record)
        return validate_record_by_rules(record, **kwargs)

    class Opener:
        def open(self, sealed: bytes, *, subject_token: bytes, account_token: bytes) -> bytes:
            return sealed

    message = credit_record_to_proto(CARD)
    sealed = SealedRecord(
        CARD.subject.token, 1, CARD.account_token, RecordKind.TRADELINE, message.SerializeToString()
    )  # type: ignore[union-attr]
    batch: Any = type("Batch", (), {"records": (sealed,)})()
    admit_batch(batch, opener=Opener(), validate=counting, profile=CN_PROFILE, today=TODAY)  # type: ignore[arg-type]
    assert seen == [CARD]


def test_the_wire_screen_counts_the_fields_intake_counts_for_completeness() -> None:
    assert record_screen.TRADELINES and record_screen.SUBJECTS
    assert record_screen.COMPLETENESS_FIELDS == _OPTIONAL_TRADELINE_FIELDS


_SHARED = months(MonthStatus.CURRENT, MonthStatus.LATE_30, *(MonthStatus.NO_HISTORY,) * 10)


@pytest.mark.parametrize("profile", [CN_PROFILE, US_PROFILE], ids=["CN", "US"])
@pytest.mark.parametrize(
    ("clean", "unclean"),
    [
        (replace(CARD, history=_SHARED), replace(CARD, history=_SHARED, opened_on=date(2025, 5, 2))),
        (CARD, replace(CARD, first_delinquency_on=date(2024, 6, 5))),
        (
            replace(CARD, history=_SHARED, first_delinquency_on=date(2025, 4, 10)),
            replace(LATE_60, history=_SHARED),
        ),
        (
            replace(CARD, history=_SHARED),
            replace(
                CARD,
                history=_SHARED,
                credit_limit=d.Money(2_000_000, "USD"),
                balance=d.Money(150_000, "USD"),
                past_due_amount=d.Money(0, "USD"),
            ),
        ),
    ],
    ids=["opening-month", "first-delinquency", "status", "currency"],
)
def test_a_history_judged_once_a_batch_is_judged_again_for_what_its_checks_read(
    clean: d.Tradeline, unclean: d.Tradeline, profile: Any
) -> None:
    """QuickIntake judges a history once a batch per status, currency, first delinquency and
    opening month: after a clean record, one with the same history that differs in one of them
    (and that the history checks refuse) is still left to the reference."""
    quick = QuickIntake(profile, TODAY)  # one batch
    for index, (record, admitted) in enumerate([(clean, True), (unclean, False), (clean, True)]):
        message = credit_record_to_proto(record)
        sealed = SealedRecord(REF.token, 1, record.account_token, RecordKind.TRADELINE, b"")
        plaintext = message.SerializeToString()
        expected = judge_record(
            index, sealed, plaintext, message, validate=validate_record, profile=profile, today=TODAY
        )
        found = quick.admit(index, sealed, plaintext, message)
        if admitted:
            assert found is not None and found == expected, (record, expected, found)
        else:
            assert found is None, (record, expected, found)
