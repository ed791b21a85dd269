"""A report's score carries its unanswered disputes; both wire paths (built and filled in place) agree."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from creditbridge.domain import codes
from creditbridge.domain.report import DisputeMark
from creditbridge.errors import InvalidRecord
from creditbridge.wire import report as wire
from tests.unit.wire.test_report import REPORT, SCORE

OPEN = DisputeMark("dsp-s1", codes.ComplianceCondition.DISPUTED, date(2024, 6, 20), date(2024, 7, 10))
EXPIRED = DisputeMark(
    "dsp-s0", codes.ComplianceCondition.DISPUTED, date(2024, 1, 2), date(2024, 1, 22),
    codes.DisputeOutcome.EXPIRED,
)  # fmt: skip
DISPUTED = replace(SCORE, disputes=(EXPIRED, OPEN))


def test_a_disputed_score_round_trips() -> None:
    message = wire.score_to_proto(DISPUTED)
    assert [m.dispute_id for m in message.disputes] == ["dsp-s0", "dsp-s1"]
    assert wire.score_from_proto(message) == DISPUTED


def test_the_report_shows_the_score_disputes_built_or_filled_in_place() -> None:
    report = replace(REPORT, score=DISPUTED)
    message = wire.credit_report_to_proto(report)
    assert [m.dispute_id for m in message.score.disputes] == ["dsp-s0", "dsp-s1"]
    assert wire.credit_report_from_proto(message) == report
    assert message.score == wire.score_to_proto(DISPUTED)


def test_an_undisputed_score_sends_no_marks() -> None:
    assert not wire.credit_report_to_proto(REPORT).score.disputes
    assert wire.score_from_proto(wire.score_to_proto(SCORE)).disputes == ()


def test_a_score_mark_without_its_dates_is_refused_with_its_path() -> None:
    message = wire.score_to_proto(DISPUTED)
    message.disputes[1].ClearField("opened_on")
    with pytest.raises(InvalidRecord) as raised:
        wire.score_from_proto(message)
    assert [v.field for v in raised.value.violations] == ["score.disputes[1].opened_on"]


def test_a_statement_of_dispute_travels_with_its_mark_both_ways() -> None:
    answered = DisputeMark(
        "dsp-s2", codes.ComplianceCondition.CONSUMER_DISAGREES, date(2024, 5, 2), date(2024, 5, 22),
        codes.DisputeOutcome.CONFIRMED, statement="I disagree: the loan was paid on time.",
    )  # fmt: skip
    report = replace(REPORT, score=replace(SCORE, disputes=(answered,)))
    message = wire.credit_report_to_proto(report)
    assert message.score.disputes[0].statement == "I disagree: the loan was paid on time."
    assert message.score == wire.score_to_proto(report.score)  # type: ignore[arg-type]
    assert wire.credit_report_from_proto(message) == report
