"""The pipeline seals only valid rows, under stable pseudonyms, and leaks no identifier."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from creditbridge.domain.records import Subject, SubjectRef, Tradeline
from creditbridge.envelope import EnvelopeOpener
from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.v1 import records_pb2
from creditbridge.wire.records import parse_credit_record
from node.mapping import Mapping
from node.mapping.rules import ID_RESIDENT, MAP_DATE
from node.outbox import Outbox
from node.pipeline import RejectionWriter
from node.pipeline.tokens import with_tokens
from node.uploader import InMemoryExchange, Uploader, UploadPolicy
from tests.unit.node.conftest import (
    BANK_HEADER,
    LENDER_HEADER,
    MemberSecrets,
    PipelineFactory,
    bank_row,
    lender_row,
    queue_file,
    resident_ids,
    write_file,
)

RIDS = resident_ids(4)


def _broken(rid: str) -> str:
    """The same id with a wrong check digit."""
    return rid[:17] + ("0" if rid[17] != "0" else "1")


def _upload(outbox: Outbox) -> InMemoryExchange:
    exchange = InMemoryExchange()
    Uploader(outbox=outbox, client=exchange, policy=UploadPolicy(), sleep=lambda s: None).upload()
    return exchange


def _sealed(exchange: InMemoryExchange) -> list[tuple[pb.FurnishRequest, pb.SealedRecord]]:
    requests = [pb.FurnishRequest.FromString(raw) for raw in exchange.received]
    return [(request, record) for request in requests for record in request.records]


def test_rejection_file_names_row_field_and_rule_but_no_identifier(
    bank_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    rows = [
        bank_row(RIDS[0], account_no="6222000000000001"),
        bank_row(_broken(RIDS[1]), account_no="6222000000000002"),
        bank_row(RIDS[2], account_no="6222000000000003", opened="2019/03/15"),
    ]
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)
    with RejectionWriter(tmp_path / "rejections.jsonl") as rejections, Outbox(tmp_path / "o.db") as outbox:
        summary = queue_file(make_pipeline(bank_mapping, rejections=rejections), bank_mapping, file, outbox)
    assert (summary.rows_read, summary.rows_rejected, summary.records_queued) == (3, 2, 2)
    text = (tmp_path / "rejections.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(x["row"], x["field"], x["rule"]) for x in lines] == [
        (3, "subject_id", ID_RESIDENT),
        (4, "tradeline.opened_on", MAP_DATE),
    ]
    assert lines[0]["reference"] == "6222000000000002"  # the institution's own reference
    for secret in (_broken(RIDS[1]), RIDS[2], "张三", "13800138000", "2019/03/15"):
        assert secret not in text
    assert (tmp_path / "rejections.jsonl").stat().st_mode & 0o077 == 0


def test_nothing_identifying_reaches_the_exchange(
    bank_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    rows = [bank_row(rid, account_no=f"62220200123456{i:02d}") for i, rid in enumerate(RIDS)]
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)
    with Outbox(tmp_path / "o.db") as outbox:
        queue_file(make_pipeline(bank_mapping), bank_mapping, file, outbox)
        exchange = _upload(outbox)
    received = b"".join(exchange.received)
    secrets = [*RIDS, "张三", "13800138000", "北京市朝阳区", *(f"62220200123456{i:02d}" for i in range(4))]
    for secret in secrets:
        assert secret.encode("utf-8") not in received
        assert secret.encode("utf-16-le") not in received


def test_the_exchange_opens_each_record_under_its_tokens(
    bank_mapping: Mapping, make_pipeline: PipelineFactory, keys: MemberSecrets, tmp_path: Path
) -> None:
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, [bank_row(RIDS[0])])
    with Outbox(tmp_path / "o.db") as outbox:
        queue_file(make_pipeline(bank_mapping), bank_mapping, file, outbox)
        exchange = _upload(outbox)
    opener = EnvelopeOpener(keys.storage_private_key)
    kinds = []
    for request, sealed in _sealed(exchange):
        batch = opener.open_batch(request.ephemeral_public_key, "bank-a", 1)
        plaintext = batch.open(
            sealed.sealed_payload,
            subject_token=sealed.subject_token,
            account_token=sealed.record_token.encode(),
        )
        record, violations = parse_credit_record(records_pb2.CreditRecord.FromString(plaintext))
        assert violations == () and record is not None and record.subject is not None
        assert record.subject.token == sealed.subject_token
        if isinstance(record, Tradeline):
            assert record.account_token == sealed.record_token and len(sealed.record_token) == 64
        kinds.append(type(record))
    assert kinds == [Tradeline, Subject]


def test_pseudonyms_are_stable_across_runs_and_equal_across_members(
    bank_mapping: Mapping, lender_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    tokens = []
    for run in ("first", "second"):
        file = write_file(tmp_path / f"{run}.csv", BANK_HEADER, [bank_row(RIDS[0], balance=f"{len(run)}.00")])
        with Outbox(tmp_path / f"{run}.db") as outbox:
            queue_file(make_pipeline(bank_mapping), bank_mapping, file, outbox)
            tokens.append({sealed.subject_token for _, sealed in _sealed(_upload(outbox))})
    lender_file = write_file(
        tmp_path / "loans.csv", LENDER_HEADER, [lender_row(RIDS[0]), lender_row(RIDS[1])]
    )
    with Outbox(tmp_path / "lender.db") as outbox:
        pipeline = make_pipeline(lender_mapping, member_id="lender-b", account_key=b"\x01" * 32)
        queue_file(pipeline, lender_mapping, lender_file, outbox)
        lender_tokens = [sealed.subject_token for _, sealed in _sealed(_upload(outbox))]
    assert tokens[0] == tokens[1] and len(tokens[0]) == 1
    assert lender_tokens[0] in tokens[0] and lender_tokens[1] not in tokens[0]


def test_batches_hold_batch_records_and_one_subject_record_per_person(
    bank_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    rows = [bank_row(RIDS[0], account_no=f"622202001234560{i}") for i in range(3)] + [bank_row(RIDS[1])]
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)
    with Outbox(tmp_path / "o.db") as outbox:
        summary = queue_file(make_pipeline(bank_mapping, batch_records=2), bank_mapping, file, outbox)
        exchange = _upload(outbox)
    assert (summary.records_queued, summary.batches_queued) == (6, 3)  # 4 tradelines + 2 subjects
    requests = [pb.FurnishRequest.FromString(raw) for raw in exchange.received]
    assert [len(r.records) for r in requests] == [2, 2, 2]
    assert len({r.ephemeral_public_key for r in requests}) == 3  # one agreement per batch
    kinds = [s.kind for _, s in _sealed(exchange)]
    assert kinds.count(pb.RECORD_KIND_SUBJECT) == 2


def test_a_batch_holds_whole_rows_and_never_more_than_batch_records(
    bank_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    rows = [bank_row(rid, account_no=f"62220200123456{i}{j}") for i, rid in enumerate(RIDS) for j in range(2)]
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)
    pipeline = make_pipeline(bank_mapping, batch_records=4)
    batches = list(pipeline.batches(bank_mapping.open_source(file)))
    # Each person's first row brings their Subject record: 2 records, which never straddle batches.
    assert [batch.source_rows for batch in batches] == [(2, 2, 3), (4, 4, 5), (6, 6, 7), (8, 8, 9)]
    later = make_pipeline(bank_mapping, batch_records=4).batches(
        bank_mapping.open_source(file), resume_after_row=4
    )
    # Row 5 is person 1's second account: their Subject record went with row 4, before the resume.
    assert [batch.source_rows for batch in later] == [(5, 6, 6, 7), (8, 8, 9)]


def test_tokens_are_put_in_the_mapped_record_without_changing_anything_else(
    bank_mapping: Mapping, keys: MemberSecrets, tmp_path: Path
) -> None:
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, [bank_row(RIDS[0])])
    (row,) = bank_mapping.map_rows(bank_mapping.open_source(file))
    subject = SubjectRef(b"\x01" * 32, 1)
    assert row.record is not None and row.subject_attributes is not None
    tradeline = with_tokens(row.record, subject, "ab" * 32)
    assert tradeline == replace(row.record, subject=subject, account_token="ab" * 32)
    assert with_tokens(row.subject_attributes, subject) == replace(row.subject_attributes, subject=subject)


def test_rows_the_screens_pass_or_doubt_are_judged_as_the_rule_table_judges_them(
    bank_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    from creditbridge.standard.profile import profile_for
    from creditbridge.standard.validate import validate_record_by_rules
    from tests.unit.node.conftest import TODAY

    broken = [
        {"past_due": "100.00"}, {"closed": "2018-01-01"}, {"status": "CL", "balance": "5.00"},
        {"province": "99"}, {"status": "D30", "past_due": "0.00"}, {"history": "100000000000"},
        {"credit_limit": "0.00"}, {"first_delinquency": "2026-09-01"}, {"opened": "2027-01-01"},
        {"opened": "2019/03/15", "past_due": "5.00"}, {"last_paid_date": "1899-12-31"},
        {"balance": "999999999.00"},
    ]  # fmt: skip
    rows = [bank_row(RIDS[n % 4], account_no=f"62220000000{n:05d}") for n in range(20)]
    rows += [
        bank_row(RIDS[n % 4], account_no=f"62221000000{n:05d}", **change) for n, change in enumerate(broken)
    ]
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows + rows[:5])

    class Recorded:
        def __init__(self) -> None:
            self.found: list[tuple[int, tuple[object, ...]]] = []

        def reject(
            self, row: int, reference: str, violations: tuple[object, ...], *, stage: str = ""
        ) -> None:
            self.found.append((row, violations))

    recorded = Recorded()
    with Outbox(tmp_path / "o.db") as outbox:
        queue_file(make_pipeline(bank_mapping, rejections=recorded), bank_mapping, file, outbox)
    expected = []  # the pipeline's merging of the mapping's and the standard's violations, by the rule table
    reference = make_pipeline(bank_mapping)
    for row in bank_mapping.map_rows(bank_mapping.open_source(file), tokens=reference._tokens_for):
        violations = list(row.violations)
        flagged = {violation.field for violation in violations}
        for record in (row.record, row.subject_attributes):
            if record is not None:
                found = validate_record_by_rules(record, profile=profile_for(), today=TODAY)
                violations += [v for v in found if v.field not in flagged]
        if violations or row.record is None:
            expected.append((row.row_number, tuple(dict.fromkeys(violations))))
    assert len(expected) == len(broken) and all(violations for _, violations in expected)
    assert recorded.found == expected
