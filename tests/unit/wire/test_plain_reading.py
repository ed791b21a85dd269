"""The direct reading of a well-formed record gives what the WireReader gives, for any wire form.

A generated population of CreditRecord messages starts from valid tradelines and
subjects and breaks their wire form at random (impossible dates, sub-cent or
mixed-sign amounts, bad currencies, unknown enum numbers, short tokens, history
columns of the wrong length, unreported amounts, months with a day, declarations,
consented items, extensions). `parse_credit_record` must answer exactly what
`read_credit_record` (the WireReader, field by field) answers: the same record and
the same violations.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire.history import NOT_REPORTED
from creditbridge.wire.records import credit_record_to_proto, parse_credit_record, read_credit_record
from tests.support.records import card, late_loan, subject_ref

DATES = ("opened_on", "reported_on", "closed_on", "first_delinquency_on", "last_payment_on")
MONEY = (
    "credit_limit",
    "original_amount",
    "balance",
    "past_due_amount",
    "scheduled_payment",
    "actual_payment",
)
ENUMS = ("account_type", "ownership", "status", "classification", "compliance_condition")
Mutation = Callable[[random.Random, Any], None]


def _date(rng: random.Random, day: Any) -> None:
    day.year, day.month, day.day = rng.choice(
        [(2025, 2, 30), (0, 1, 1), (2025, 13, 1), (2024, 2, 29), (2025, 6, 0)]
    )


def _money(rng: random.Random, money: Any) -> None:
    money.currency_code = rng.choice(["CNY", "USD", "cny", "", "CN"])
    money.units = rng.choice([0, 5, -5, 120_000])
    money.nanos = rng.choice([0, 5, 10_000_000, -10_000_000, 990_000_000])


def _history(rng: random.Random, history: Any) -> None:
    count = len(history.statuses)
    choice = rng.randrange(9)
    if choice == 0:
        history.statuses.append(rng.choice([999, 0, 1]))
    elif choice == 1:
        history.statuses.extend([1] * 60)
    elif choice == 2:
        history.balances.append(1)
    elif choice == 3 and count:
        history.balances[:] = [NOT_REPORTED] + [5] * (count - 1)
    elif choice == 4:
        history.currency_code = rng.choice(["", "usd", "USD"])
    elif choice == 5:
        history.latest_month.day = 5
    elif choice == 6:
        history.ClearField("latest_month")
    elif choice == 7:
        del history.statuses[:]
    else:
        history.latest_month.month = 13


TRADELINE_MUTATIONS: tuple[Mutation, ...] = (
    lambda rng, t: _date(rng, getattr(t, rng.choice(DATES))),
    lambda rng, t: t.ClearField(rng.choice(DATES)),
    lambda rng, t: _money(rng, getattr(t, rng.choice(MONEY))),
    lambda rng, t: t.ClearField(rng.choice(MONEY)),
    lambda rng, t: setattr(t, rng.choice(ENUMS), rng.choice([0, 1, 999])),
    lambda rng, t: setattr(t.subject, "token", t.subject.token[: rng.choice([0, 31])]),
    lambda rng, t: setattr(t.subject, "key_epoch", 0),
    lambda rng, t: t.ClearField("subject"),
    lambda rng, t: _history(rng, t.history),
    lambda rng, t: setattr(t.terms, "frequency", rng.choice([0, 1, 999])),
    lambda rng, t: setattr(t.terms, "duration_months", -1),
    lambda rng, t: t.amounts_not_kept.append(rng.choice([0, 1, 3, 999])),
    lambda rng, t: t.extensions.add(name="branch", value="north"),
    lambda rng, t: setattr(t, "account_token", ""),
)
SUBJECT_MUTATIONS: tuple[Mutation, ...] = (
    lambda rng, s: setattr(s, rng.choice(["age_band", "sex"]), rng.choice([0, 1, 999])),
    lambda rng, s: setattr(s, "region_code", rng.choice(["", "31", "99"])),
    lambda rng, s: setattr(s.subject, "token", b"short"),
    lambda rng, s: s.ClearField("subject"),
    lambda rng, s: s.consented_items.add(kind=rng.choice([0, 1, 999]), explicit_consent=True),
    lambda rng, s: s.extensions.add(name="hobby", value="chess"),
)


def _bases() -> list[tuple[pb.CreditRecord, str, tuple[Mutation, ...]]]:
    ref = subject_ref("ann")
    tradelines = [
        card(ref, "card-1"),
        card(ref, "card-2", terms=d.Terms(24, codes.TermsFrequency.MONTHLY), closed_on=None),
        late_loan(ref, "loan-1"),
        late_loan(ref, "loan-2", classification=codes.LoanClassification.SPECIAL_MENTION),
    ]
    subjects = [d.Subject(ref, codes.AgeBand.AGE_26_35, codes.Sex.FEMALE, "31"), d.Subject(ref)]
    return [(credit_record_to_proto(t), "tradeline", TRADELINE_MUTATIONS) for t in tradelines] + [
        (credit_record_to_proto(s), "subject", SUBJECT_MUTATIONS) for s in subjects
    ]


def test_the_direct_reading_answers_what_the_wire_reader_answers() -> None:
    rng = random.Random(20261121)
    bases = _bases()
    direct = faulty = 0
    for _ in range(5_000):
        base, kind, mutations = rng.choice(bases)
        message = pb.CreditRecord()
        message.CopyFrom(base)
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            rng.choice(mutations)(rng, getattr(message, kind))
        expected = read_credit_record(message)
        assert parse_credit_record(message) == expected, message
        faulty += bool(expected[1])
        direct += not expected[1]
    assert faulty > 1_000 and direct > 1_000  # both kinds of answer were compared, many times


def test_an_empty_record_is_refused_by_both_readings() -> None:
    record, violations = parse_credit_record(pb.CreditRecord())
    assert record is None and [v.rule for v in violations] == ["CB-FMT-008"]
    assert (record, violations) == read_credit_record(pb.CreditRecord())
