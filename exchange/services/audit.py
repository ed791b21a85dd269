"""AuditService: the regulator's read-only view of the log, statistics, quality and consents."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import grpc
from sqlalchemy import Engine

from creditbridge.access_entry import AccessEntry, Action
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.consent import Consent
from creditbridge.errors import CreditBridgeError, InvalidArgument
from creditbridge.v1 import audit_pb2 as pb
from creditbridge.v1 import audit_pb2_grpc
from creditbridge.wire.consent import consent_to_proto
from creditbridge.wire.enums import INQUIRY_PURPOSE
from creditbridge.wire.errors import abort_with
from creditbridge.wire.log import log_entry_to_proto, signed_tree_head_to_proto
from creditbridge.wire.scalars import timestamp_from_proto
from exchange.accesslog.log import AccessLog
from exchange.audit.entries import EntryFilter, aggregate, page_entries
from exchange.audit.quality import MemberQuality, member_quality
from exchange.auth import Authenticator
from exchange.disputes.marks import dispute_figures

ConsentRecords = Callable[[int, int], Sequence[Consent]]  # (offset, limit) in registration order
_MAX_ENTRIES_PAGE = 1_000
_MAX_CONSENTS_PAGE = 5_000


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    """Reads only; every read of the log is itself logged (AUDIT_READ)."""

    def __init__(
        self,
        *,
        access_log: AccessLog,
        engine: Engine,
        authenticator: Authenticator,
        consent_records: ConsentRecords,
        clock: Callable[[], datetime],
        signing_key_epoch: int,
    ) -> None:
        self._log = access_log
        self._engine = engine
        self._authenticator = authenticator
        self._consent_records = consent_records
        self._clock = clock
        self._key_epoch = signing_key_epoch

    def ListLogEntries(
        self, request: pb.ListLogEntriesRequest, context: grpc.ServicerContext
    ) -> pb.ListLogEntriesResponse:
        try:
            start = _offset(request.page_token)
            if start == 0:
                self._record_read(context, "list_log_entries")
            page = page_entries(
                self._log,
                _filter(request),
                start_seq=start,
                page_size=min(request.page_size or 100, _MAX_ENTRIES_PAGE),
            )
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.ListLogEntriesResponse(
            entries=[log_entry_to_proto(seq, raw) for seq, raw in page.entries],
            next_page_token="" if page.next_seq is None else str(page.next_seq),
            tree_head=signed_tree_head_to_proto(self._log.latest_head(), key_epoch=self._key_epoch),
        )

    def GetAggregateStatistics(
        self, request: pb.GetAggregateStatisticsRequest, context: grpc.ServicerContext
    ) -> pb.GetAggregateStatisticsResponse:
        self._record_read(context, "aggregate_statistics")
        wanted = EntryFilter(
            start_time=timestamp_from_proto(request.start_time) if request.HasField("start_time") else None,
            end_time=timestamp_from_proto(request.end_time) if request.HasField("end_time") else None,
        )
        cells = [
            pb.StatisticsCell(
                member_id=cell.member_id,
                action=cell.action,
                purpose=_purpose_number(cell.purpose),
                count=cell.count,
                suppressed=cell.suppressed,
            )
            for cell in aggregate(self._log, wanted)
        ]
        return pb.GetAggregateStatisticsResponse(cells=cells)

    def ListMemberQuality(
        self, request: pb.ListMemberQualityRequest, context: grpc.ServicerContext
    ) -> pb.ListMemberQualityResponse:
        caller = self._authenticator.caller(context)
        with self._engine.connect() as connection:
            rows = member_quality(connection, disputes=dispute_figures(connection))
        if caller.role == "member":  # a member sees its own rating only
            rows = [row for row in rows if row.member_id == caller.party_id]
        try:
            start = _offset(request.page_token)
        except CreditBridgeError as error:
            abort_with(context, error)
        size = min(request.page_size or 50, 500)
        page = rows[start : start + size]
        more = start + size < len(rows)
        return pb.ListMemberQualityResponse(
            members=[_quality_to_proto(row) for row in page],
            next_page_token=str(start + size) if more else "",
        )

    def ListConsentRecords(
        self, request: pb.ListConsentRecordsRequest, context: grpc.ServicerContext
    ) -> pb.ListConsentRecordsResponse:
        try:
            start = _offset(request.page_token)
        except CreditBridgeError as error:
            abort_with(context, error)
        size = min(request.page_size or 500, _MAX_CONSENTS_PAGE)
        consents = list(self._consent_records(start, size + 1))
        return pb.ListConsentRecordsResponse(
            consents=[consent_to_proto(c) for c in consents[:size]],
            next_page_token=str(start + size) if len(consents) > size else "",
        )

    def _record_read(self, context: grpc.ServicerContext, what: str) -> None:
        entry = AccessEntry(
            actor=self._authenticator.caller(context).party_id,
            action=Action.AUDIT_READ,
            subject_token="",
            purpose="",
            consent_id="",
            outcome="allowed",
            occurred_at=self._clock(),
            request_digest=hashlib.sha256(what.encode()).digest(),
        )
        with self._log.transaction() as tx:
            self._log.append_batch([entry], connection=tx.connection)


def _offset(token: str) -> int:
    if not token:
        return 0
    if not token.isdigit():
        raise InvalidArgument("page_token is not one this server issued")
    return int(token)


def _filter(request: pb.ListLogEntriesRequest) -> EntryFilter:
    purpose = INQUIRY_PURPOSE.from_proto(request.purpose)
    return EntryFilter(
        member_id=request.member_id,
        action=request.action,
        purpose=purpose.value if purpose else "",
        start_time=timestamp_from_proto(request.start_time) if request.HasField("start_time") else None,
        end_time=timestamp_from_proto(request.end_time) if request.HasField("end_time") else None,
    )


def _purpose_number(purpose: str) -> Any:
    try:
        return int(INQUIRY_PURPOSE.to_proto(InquiryPurpose(purpose))) if purpose else 0
    except ValueError:
        return 0


def _quality_to_proto(row: MemberQuality) -> pb.MemberQuality:
    return pb.MemberQuality(
        member_id=row.member_id,
        records_received=row.records_received,
        valid_share=row.valid_share,
        completeness=row.completeness,
        median_lag_days=row.median_lag_days,
        disputes_per_thousand=row.disputes_per_thousand,
        corrected_dispute_share=row.corrected_dispute_share,
        grade=row.grade,
    )


def add_to_server(server: grpc.Server, servicer: AuditServicer) -> None:
    audit_pb2_grpc.add_AuditServiceServicer_to_server(servicer, server)
