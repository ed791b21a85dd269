"""Reports assembled from stored wire bytes equal reports built from decoded records; record_ref works.

The report path keeps tradelines in their stored encoding (exchange.inquiry.report_file)
and scores them from the wire (exchange.scoring.wire_features). The reference here is the
decoded path: SubjectFileReader's domain records, the domain scorer, the same assembly,
encoded by creditbridge.wire. A file with a history longer than a report shows, a late loan, a
public record, a statement, a dispute mark and earlier inquiries must come out the same.
Concurrent reports each get a receipt whose entry is in the log under its signed head. A file
says whether a record of it is disputed (the report reads marks only then).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from creditbridge.access_entry import Action, decode_entry
from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.history import MonthlyHistory
from creditbridge.envelope import seal_at_rest, unwrap_data_key
from creditbridge.keys.loaders import load_exchange_keys
from creditbridge.merkle import leaf_hash, verify_inclusion
from creditbridge.standard.profile import profile_for
from creditbridge.v1 import dispute_pb2, dispute_pb2_grpc, records_pb2, report_pb2, subject_rights_pb2_grpc
from creditbridge.v1 import subject_rights_pb2 as rights_pb2
from creditbridge.wire import enums
from creditbridge.wire.log import log_receipt_from_proto
from creditbridge.wire.records import credit_record_to_proto, statement_to_proto, subject_ref_to_proto
from creditbridge.wire.report import credit_report_to_proto
from exchange.disputes.marks import DisputeMarksReader
from exchange.furnishing.store import at_rest_aad
from exchange.inquiry.accesses import FileAccessQueries
from exchange.inquiry.assemble import ReportScope, assemble_report
from exchange.inquiry.report_file import ReportFileReader
from exchange.inquiry.subject_file import SubjectFileReader
from exchange.scoring import load_scorer
from exchange.server import ExchangeApp, utc_now
from exchange.storage.prepared import driver_reads
from exchange.storage.sealed_versions import StoredRecordUnreadable
from exchange.storage.tables import record_lineages, record_versions
from tests.integration.test_reports import ALICE, Member, start_report_exchange
from tests.support.consortium import MEMBER_TERMS, make_consortium, member_channel
from tests.support.records import card, cny, late_loan


def _history_card() -> d.Tradeline:
    """Thirty months, newest first (a report shows 24), two of them late."""
    statuses = tuple(
        codes.MonthStatus.LATE_30 if back in (4, 17) else codes.MonthStatus.CURRENT for back in range(30)
    )
    history = MonthlyHistory(
        date(2026, 10, 1),
        statuses,
        balances=tuple(300_000 + back * 100 for back in range(30)),
        scheduled_payments=(30_000,) * 30,
        currency="CNY",
    )
    return card(ALICE, "card-30", opened_on=date(2023, 1, 15), history=history)


PUBLIC_RECORD = d.PublicRecord(
    ALICE, "judgment-1", codes.PublicRecordType.CIVIL_JUDGMENT, date(2025, 3, 4), None, cny(8_000), "11"
)


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def app(keys_dir: Path, database_url: str) -> Iterator[ExchangeApp]:
    started = start_report_exchange(keys_dir, database_url)
    yield started
    started.stop()


@pytest.fixture
def members(keys_dir: Path, app: ExchangeApp) -> Iterator[dict[str, Member]]:
    channels = {m: member_channel(keys_dir, m, app.port) for m in MEMBER_TERMS}
    yield {m: Member(m, keys_dir, channel) for m, channel in channels.items()}
    for channel in channels.values():
        channel.close()


def _furnish(member: Member, *records: d.CreditRecord) -> None:
    from creditbridge.v1 import furnishing_pb2_grpc
    from tests.support.consortium import sealed_batch

    stub = furnishing_pb2_grpc.FurnishingServiceStub(member.channel)
    (result,) = stub.Furnish(iter([sealed_batch(member.keys_dir, member.member_id, records)])).results
    assert result.rejected_count == 0, result


def _reference(app: ExchangeApp, keys_dir: Path, live: report_pb2.CreditReport) -> report_pb2.CreditReport:
    """The same report the decoded way, read just before the live one (same inquiries, same day)."""
    now = utc_now().replace(microsecond=0)
    profile = profile_for(None)
    scope = ReportScope(
        frozenset(enums.DATA_CATEGORY.from_proto(c) for c in live.categories),  # type: ignore[misc]
        profile.history_months_in_report,
    )
    master_key = load_exchange_keys(keys_dir).storage_master_key
    scorer = load_scorer()
    with driver_reads(app.engine) as reads:
        since = now - timedelta(days=profile.inquiry_history_days)
        inquiries = FileAccessQueries(app.engine.dialect).inquiries_since(reads, ALICE, since)
        marks = DisputeMarksReader(engine=app.engine).marks_for(reads, ALICE)
        stored = ReportFileReader(storage_master_key=master_key, dialect=app.engine.dialect).read(
            reads, ALICE, inquiries=inquiries
        )
    with app.engine.connect() as connection:
        decoded = SubjectFileReader(storage_master_key=master_key).read(
            connection, ALICE, inquiries=inquiries
        )
    old_score = scorer.score(decoded, as_of=now.date())
    assert old_score is not None and scorer.score_file(stored, as_of=now.date()) == old_score
    old = assemble_report(decoded, scope=scope, generated_at=now, frozen=False, score=old_score, marks=marks)
    new = assemble_report(stored, scope=scope, generated_at=now, frozen=False, score=old_score, marks=marks)
    assert credit_report_to_proto(new) == credit_report_to_proto(old)
    return credit_report_to_proto(old)


def test_a_report_from_stored_bytes_equals_the_report_from_decoded_records(
    app: ExchangeApp, members: dict[str, Member], keys_dir: Path
) -> None:
    bank, lender = members["bank-a"], members["lender-b"]
    _furnish(bank, _history_card(), PUBLIC_RECORD)
    _furnish(lender, late_loan(ALICE, "loan-9"))
    consent = bank.consent(ALICE)
    first = bank.report(ALICE, consent).report
    (loan,) = [t for t in first.tradelines if t.furnisher_id == "lender-b"]
    dispute = dispute_pb2.Dispute(
        subject=subject_ref_to_proto(ALICE), target=dispute_pb2.DISPUTE_TARGET_TRADELINE,
        record_ref=loan.record_ref, reason="I never missed a payment",
    )  # fmt: skip
    dispute_pb2_grpc.DisputeServiceStub(bank.channel).OpenDispute(
        dispute_pb2.OpenDisputeRequest(request_id="dispute-1", dispute=dispute)
    )
    statement = d.SubjectStatement(ALICE, "The late loan was a billing error.", date(2026, 11, 1))
    subject_rights_pb2_grpc.SubjectRightsServiceStub(lender.channel).AddStatement(
        rights_pb2.AddStatementRequest(request_id="s-1", statement=statement_to_proto(statement))
    )
    lender.report(ALICE, lender.consent(ALICE))  # one more inquiry in the history

    reference = _reference(app, keys_dir, first)
    live = bank.report(ALICE, consent).report

    assert len(live.tradelines) == 2 and len(live.tradelines[0].tradeline.history.statuses) == 24
    assert live.public_records and live.statements and live.inquiries and live.HasField("score")
    assert [m.dispute_id for t in live.tradelines for m in t.disputes]
    reference.generated_at.CopyFrom(live.generated_at)
    assert live == reference


def test_a_report_names_each_record_by_the_ref_a_dispute_cites(
    app: ExchangeApp, members: dict[str, Member]
) -> None:
    bank = members["bank-a"]
    _furnish(bank, PUBLIC_RECORD, card(ALICE, "acct-1"))
    report = bank.report(ALICE, bank.consent(ALICE)).report
    refs = [t.record_ref for t in report.tradelines] + [r.record_ref for r in report.public_records]
    assert len(refs) == 2 and all(ref.startswith("r") for ref in refs) and len(set(refs)) == 2
    dispute = dispute_pb2.Dispute(
        subject=subject_ref_to_proto(ALICE), target=dispute_pb2.DISPUTE_TARGET_PUBLIC_RECORD,
        record_ref=report.public_records[0].record_ref, reason="This judgment was set aside",
    )  # fmt: skip
    opened = (
        dispute_pb2_grpc.DisputeServiceStub(bank.channel)
        .OpenDispute(dispute_pb2.OpenDisputeRequest(request_id="dispute-2", dispute=dispute))
        .dispute
    )
    assert opened.record_ref == report.public_records[0].record_ref
    again = bank.report(ALICE, bank.consent(ALICE)).report
    assert [m.dispute_id for m in again.public_records[0].disputes] == [opened.dispute_id]
    assert not again.tradelines[0].disputes


def test_concurrent_reports_each_get_a_receipt_of_their_own_logged_inquiry(
    app: ExchangeApp, members: dict[str, Member]
) -> None:
    bank = members["bank-a"]
    _furnish(bank, card(ALICE, "acct-1"))
    consent = bank.consent(ALICE)
    responses: list[report_pb2.GetCreditReportResponse] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(5):
            response = bank.report(ALICE, consent)
            with lock:
                responses.append(response)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(responses) == 40
    seqs = set()
    for response in responses:
        seq, entry, head, proof = log_receipt_from_proto(response.receipt)
        verify_inclusion(seq, head.tree_size, leaf_hash(entry), proof, head.root_hash)
        logged = decode_entry(entry)
        assert (logged.action, logged.actor, logged.purpose) == (
            Action.INQUIRY, "bank-a", InquiryPurpose.LOAN_APPROVAL.value,
        )  # fmt: skip
        assert app.access_log.entries(seq, seq + 1)[0].entry == entry  # durable: read back from the database
        seqs.add(seq)
    assert len(seqs) == 40


def test_a_file_says_whether_a_record_of_it_is_disputed(
    app: ExchangeApp, members: dict[str, Member], keys_dir: Path
) -> None:
    """The report reads dispute marks only for a file that has a disputed record; closed ones count."""
    bank = members["bank-a"]
    _furnish(bank, card(ALICE, "acct-1"), card(ALICE, "acct-2"))
    reader = ReportFileReader(
        storage_master_key=load_exchange_keys(keys_dir).storage_master_key, dialect=app.engine.dialect
    )

    def disputed() -> bool:
        with driver_reads(app.engine) as reads:
            return reader.read(reads, ALICE, inquiries=()).disputed

    report = bank.report(ALICE, bank.consent(ALICE)).report
    assert not disputed() and not any(t.disputes for t in report.tradelines)
    dispute = dispute_pb2.Dispute(
        subject=subject_ref_to_proto(ALICE), target=dispute_pb2.DISPUTE_TARGET_TRADELINE,
        record_ref=report.tradelines[1].record_ref, reason="Not my account",
    )  # fmt: skip
    dispute_pb2_grpc.DisputeServiceStub(bank.channel).OpenDispute(
        dispute_pb2.OpenDisputeRequest(request_id="dispute-3", dispute=dispute)
    )
    assert disputed()
    again = bank.report(ALICE, bank.consent(ALICE)).report
    assert [bool(t.disputes) for t in again.tradelines] == [False, True]


def test_a_stored_record_that_cannot_be_read_stops_the_report_and_names_the_record(
    app: ExchangeApp, members: dict[str, Member], keys_dir: Path
) -> None:
    """A broken seal, or a seal holding another kind of record, is refused by name (kind, furnisher,
    version): nothing of the file is served from it."""
    _furnish(members["bank-a"], card(ALICE, "acct-1"))
    master_key = load_exchange_keys(keys_dir).storage_master_key
    reader = ReportFileReader(storage_master_key=master_key, dialect=app.engine.dialect)
    lineage, version = record_lineages.c, record_versions.c
    with app.engine.connect() as connection:
        lineage_id, wrapped, current = connection.execute(
            select(lineage.lineage_id, lineage.wrapped_data_key, lineage.current_version)
        ).one()
        sealed = connection.execute(select(version.sealed_record)).scalar_one()
    other_kind: records_pb2.CreditRecord = credit_record_to_proto(PUBLIC_RECORD)
    data_key = unwrap_data_key(master_key, bytes(wrapped))
    aad = at_rest_aad("bank-a", "tradeline", "acct-1", current)
    for stored in (
        bytes(sealed)[:-1] + bytes([sealed[-1] ^ 1]),
        seal_at_rest(data_key, other_kind.SerializeToString(), aad),
    ):
        with app.engine.begin() as connection:
            connection.execute(
                update(record_versions).where(version.lineage_id == lineage_id).values(sealed_record=stored)
            )
        with (
            pytest.raises(
                StoredRecordUnreadable, match=f"stored tradeline of bank-a v{current} cannot be read"
            ),
            driver_reads(app.engine) as reads,
        ):
            reader.read(reads, ALICE, inquiries=())
