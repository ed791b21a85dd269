"""The role table: what the exchange's operator may call (dispute answers and reads, its alerts, health),
no more."""

from __future__ import annotations

from exchange.access_control import METHOD_ROLES, roles_for

_DISPUTES = "/creditbridge.v1.DisputeService/"
_WATCH_ALERTS = "/creditbridge.v1.AlertService/WatchAlerts"
_HEALTH = "/grpc.health.v1.Health/"


def test_the_operator_may_answer_get_and_list_disputes_watch_alerts_and_check_health_only() -> None:
    allowed = {method for method, roles in METHOD_ROLES.items() if "operator" in roles}
    assert allowed == {
        _DISPUTES + "AnswerDispute", _DISPUTES + "GetDispute", _DISPUTES + "ListDisputes", _WATCH_ALERTS,
        _HEALTH + "Check", _HEALTH + "Watch",
    }  # fmt: skip


def test_every_party_may_ask_whether_the_exchange_serves() -> None:
    for name in ("Check", "Watch"):
        assert roles_for(_HEALTH + name) == frozenset({"member", "regulator", "operator"})


def test_the_operator_may_not_use_reflection() -> None:
    for method, roles in METHOD_ROLES.items():
        if "ServerReflection" in method:
            assert "operator" not in roles, method


def test_members_and_operators_watch_alerts_and_regulators_do_not() -> None:
    assert roles_for(_WATCH_ALERTS) == frozenset({"member", "operator"})


def test_the_operator_may_not_open_a_dispute_query_furnish_or_audit() -> None:
    for method in (
        _DISPUTES + "OpenDispute",
        "/creditbridge.v1.InquiryService/GetCreditReport",
        "/creditbridge.v1.FurnishingService/Furnish",
        "/creditbridge.v1.AuditService/ListLogEntries",
        "/creditbridge.v1.SubjectRightsService/AddStatement",
    ):
        assert "operator" not in roles_for(method), method


def test_members_keep_every_dispute_call_and_regulators_none() -> None:
    for name in ("OpenDispute", "AnswerDispute", "GetDispute", "ListDisputes"):
        assert "member" in roles_for(_DISPUTES + name)
        assert "regulator" not in roles_for(_DISPUTES + name)


def test_an_unknown_method_is_refused_to_every_role() -> None:
    assert roles_for(_DISPUTES + "DeleteDispute") == frozenset()
