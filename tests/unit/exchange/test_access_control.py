"""The role table: what the exchange's operator may call (dispute answers and reads, its alerts), no more."""

from __future__ import annotations

from exchange.access_control import METHOD_ROLES, roles_for

_DISPUTES = "/creditbridge.v1.DisputeService/"
_WATCH_ALERTS = "/creditbridge.v1.AlertService/WatchAlerts"


def test_the_operator_may_answer_get_and_list_disputes_and_watch_alerts_only() -> None:
    allowed = {method for method, roles in METHOD_ROLES.items() if "operator" in roles}
    assert allowed == {
        _DISPUTES + "AnswerDispute", _DISPUTES + "GetDispute", _DISPUTES + "ListDisputes", _WATCH_ALERTS,
    }  # fmt: skip


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
