"""Who may call which RPC: the one table, deny by default."""

from __future__ import annotations

from collections.abc import Mapping

from creditbridge.keys.identity import Role

MEMBER: frozenset[Role] = frozenset({"member"})
REGULATOR: frozenset[Role] = frozenset({"regulator"})
MEMBER_OR_REGULATOR: frozenset[Role] = frozenset({"member", "regulator"})
# The exchange's operator answers score disputes, reads them and watches their alerts; the servicers
# narrow it to the score disputes (exchange.disputes: a member may not answer a score dispute, nor an
# operator a record dispute; exchange.alerts.operators: an operator's stream holds score-dispute
# alerts only), and may ask whether the exchange serves (health). It calls nothing else.
MEMBER_OR_OPERATOR: frozenset[Role] = frozenset({"member", "operator"})
ANY_PARTY: frozenset[Role] = frozenset({"member", "regulator", "operator"})

_V1 = "/creditbridge.v1."

# A method missing here is refused for everyone (deny by default).
METHOD_ROLES: Mapping[str, frozenset[Role]] = {
    _V1 + "FurnishingService/Furnish": MEMBER,
    _V1 + "FurnishingService/GetBatchResult": MEMBER,
    _V1 + "ConsentService/RegisterConsent": MEMBER,
    _V1 + "ConsentService/RevokeConsent": MEMBER,
    _V1 + "ConsentService/GetConsent": MEMBER,
    _V1 + "ConsentService/ListConsents": MEMBER,
    _V1 + "InquiryService/GetCreditReport": MEMBER,
    _V1 + "SubjectRightsService/PlaceFreeze": MEMBER,
    _V1 + "SubjectRightsService/LiftFreeze": MEMBER,
    _V1 + "SubjectRightsService/AddStatement": MEMBER,
    _V1 + "SubjectRightsService/ListFileAccesses": MEMBER,
    _V1 + "DisputeService/OpenDispute": MEMBER,
    _V1 + "DisputeService/AnswerDispute": MEMBER_OR_OPERATOR,
    _V1 + "DisputeService/GetDispute": MEMBER_OR_OPERATOR,
    _V1 + "DisputeService/ListDisputes": MEMBER_OR_OPERATOR,
    # An operator watches the operators' score-dispute alerts only (exchange.alerts.operators).
    _V1 + "AlertService/WatchAlerts": MEMBER_OR_OPERATOR,
    _V1 + "LogService/GetSignedTreeHead": MEMBER_OR_REGULATOR,
    _V1 + "LogService/GetConsistencyProof": MEMBER_OR_REGULATOR,
    _V1 + "LogService/GetInclusionProof": MEMBER_OR_REGULATOR,
    _V1 + "LogService/ListSignedTreeHeads": MEMBER_OR_REGULATOR,
    _V1 + "AuditService/ListLogEntries": REGULATOR,
    _V1 + "AuditService/GetAggregateStatistics": REGULATOR,
    _V1 + "AuditService/ListConsentRecords": REGULATOR,
    # A member may read its own data-quality rating; the servicer narrows the rows.
    _V1 + "AuditService/ListMemberQuality": MEMBER_OR_REGULATOR,
    # Whether the exchange serves: every party may ask, the operator first (it runs the exchange).
    "/grpc.health.v1.Health/Check": ANY_PARTY,
    "/grpc.health.v1.Health/Watch": ANY_PARTY,
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": MEMBER_OR_REGULATOR,
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo": MEMBER_OR_REGULATOR,
}


def roles_for(method: str) -> frozenset[Role]:
    return METHOD_ROLES.get(method, frozenset())
