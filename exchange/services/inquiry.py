"""InquiryService: a consented credit report with its log receipt; and the wiring of the report services."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import grpc
from sqlalchemy import Engine

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import CreditBridgeError
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import raise_if_any
from creditbridge.v1 import report_pb2 as pb
from creditbridge.v1 import report_pb2_grpc
from creditbridge.wire import enums
from creditbridge.wire.enums import UnknownEnumNumber
from creditbridge.wire.errors import abort_with
from creditbridge.wire.reader import WireReader
from creditbridge.wire.report import fill_credit_report
from exchange.accesslog.log import AccessLog
from exchange.auth import Authenticator
from exchange.consent.registry import ConsentRegistry
from exchange.inquiry.reports import CreditReports, ReportRequest
from exchange.inquiry.seams import DisputeMarks, NoDisputeMarks, SubjectScorer, UnscoredPlaceholder
from exchange.policy.access import MemberPolicy
from exchange.policy.chain import file_access_policy, report_policy
from exchange.services.receipts import Receipts
from exchange.subject_rights.file_accesses import FileAccesses
from exchange.subject_rights.freezes import Freezes

if TYPE_CHECKING:
    from exchange.services.subject_rights import StatementBook

REQUEST_FIELD_MISSING = "CB-REQ-004"  # a field the method needs is unset


class InquiryServicer(report_pb2_grpc.InquiryServiceServicer):
    """Thin: wire to domain, CreditReports.report, domain to wire; errors through abort_with."""

    def __init__(self, *, reports: CreditReports, authenticator: Authenticator, receipts: Receipts) -> None:
        self._reports = reports
        self._authenticator = authenticator
        self._receipts = receipts

    def GetCreditReport(
        self, request: pb.GetCreditReportRequest, context: grpc.ServicerContext
    ) -> pb.GetCreditReportResponse:
        try:
            caller = self._authenticator.caller(context)
            served = self._reports.report(
                caller_role=caller.role, member_id=caller.party_id, request=report_request_from_proto(request)
            )
            response = pb.GetCreditReportResponse()
            self._receipts.fill(response.receipt, served.log_seq, entry=served.entry)
        except CreditBridgeError as error:
            abort_with(context, error)
        fill_credit_report(response.report, served.report)  # built in place: a report is ~100 messages
        return response


def add_to_server(server: grpc.Server, servicer: InquiryServicer) -> None:
    report_pb2_grpc.add_InquiryServiceServicer_to_server(servicer, server)


def report_request_from_proto(message: pb.GetCreditReportRequest) -> ReportRequest:
    """The request in domain terms; raises InvalidRecord listing every problem."""
    reader = WireReader()
    subject = required_subject(reader, message, "request")
    purpose = required_purpose(reader, message.purpose, "request.purpose")
    categories = set()
    for i, number in enumerate(message.categories):
        category = _enum(reader, enums.DATA_CATEGORY, number, f"request.categories[{i}]")
        if category is not None:
            categories.add(category)
    raise_if_any(reader.violations, "request")
    assert subject is not None and purpose is not None  # raise_if_any raised otherwise
    return ReportRequest(
        request_id=message.request_id,
        subject=subject,
        consent_id=message.consent_id,
        purpose=purpose,
        categories=frozenset(categories),
    )


def required_subject(reader: WireReader, message: Any, path: str) -> SubjectRef | None:
    if not message.HasField("subject"):
        reader.flag(f"{path}.subject", REQUEST_FIELD_MISSING, "the subject is required")
        return None
    return reader.subject_ref(message, path)


def required_purpose(reader: WireReader, number: int, path: str) -> InquiryPurpose | None:
    if number == 0:
        reader.flag(path, REQUEST_FIELD_MISSING, "the purpose is required")
        return None
    purpose: InquiryPurpose | None = _enum(reader, enums.INQUIRY_PURPOSE, number, path)
    return purpose


def _enum(reader: WireReader, mapping: enums.EnumMap[Any], number: int, path: str) -> Any:
    if number == 0:
        reader.flag(path, REQUEST_FIELD_MISSING, "UNSPECIFIED is not a value")
        return None
    try:
        return mapping.from_proto(number)
    except UnknownEnumNumber:
        reader.flag(path, REQUEST_FIELD_MISSING, f"unknown value {number}")
        return None


def add_report_services(
    server: grpc.Server,
    *,
    engine: Engine,
    access_log: AccessLog,
    authenticator: Authenticator,
    receipts: Receipts,
    member_signing_keys: Mapping[str, Mapping[int, bytes]],
    storage_master_key: bytes,
    member_policies: Mapping[str, MemberPolicy],
    profile: JurisdictionProfile,
    clock: Callable[[], datetime],
    scorer: SubjectScorer | None = None,
    disputes: DisputeMarks | None = None,
    statements: StatementBook | None = None,
) -> CreditReports:
    """Builds the consent, report and subject-rights use cases and registers their three servicers.

    `statements` serves AddStatement (UNIMPLEMENTED without it); `disputes` marks records in reports.

    The composition root calls this once; it returns the report use case for inspection.
    """
    from exchange.services import consent as consent_service
    from exchange.services import subject_rights as rights_service

    registry = ConsentRegistry(
        engine=engine, access_log=access_log, member_signing_keys=member_signing_keys, clock=clock
    )
    reports = CreditReports(
        engine=engine,
        access_log=access_log,
        policy=report_policy(),
        member_policies=member_policies,
        storage_master_key=storage_master_key,
        scorer=scorer or UnscoredPlaceholder(),
        disputes=disputes or NoDisputeMarks(),
        profile=profile,
        clock=clock,
    )
    freezes = Freezes(access_log=access_log, engine=engine, clock=clock)
    accesses = FileAccesses(engine=engine, policy=file_access_policy(), clock=clock)
    consent_service.add_to_server(
        server,
        consent_service.ConsentServicer(registry=registry, authenticator=authenticator, receipts=receipts),
    )
    add_to_server(server, InquiryServicer(reports=reports, authenticator=authenticator, receipts=receipts))
    rights_service.add_to_server(
        server,
        rights_service.SubjectRightsServicer(
            freezes=freezes,
            file_accesses=accesses,
            authenticator=authenticator,
            receipts=receipts,
            statements=statements,
        ),
    )
    return reports
