"""Shows a stored tradeline, still in its wire encoding, as a report shows a tradeline (no domain detour).

The exchange keeps furnished records as serialized creditbridge.v1.CreditRecord
messages. A report used to decode each into domain objects and encode it again; the
round trip changes nothing a valid record holds, so the report now parses the stored
bytes once here and applies the report's presentation rules on the message itself:
the same ones `credit_report_to_proto` applies to a domain Tradeline (account token
and extensions cleared, history cut to the newest months a report shows),
plus dropping unknown fields, which a domain round trip would have dropped too.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

from creditbridge.domain.report import EncodedTradeline
from creditbridge.errors import InvalidRecord
from creditbridge.v1 import records_pb2 as pb


def encoded_tradeline_to_proto(encoded: EncodedTradeline) -> pb.Tradeline:
    """The tradeline a report shows; raises InvalidRecord when the payload holds no tradeline."""
    try:
        record = pb.CreditRecord.FromString(encoded.payload)
    except DecodeError as error:
        raise InvalidRecord("a stored tradeline's encoding is broken") from error
    if record.WhichOneof("record") != "tradeline":
        raise InvalidRecord("a stored tradeline's encoding holds another kind of record")
    tradeline = record.tradeline
    tradeline.ClearField("account_token")
    tradeline.ClearField("extensions")
    tradeline.DiscardUnknownFields()
    _newest_months(tradeline, encoded.history_months)
    return tradeline


def _newest_months(tradeline: pb.Tradeline, history_months: int) -> None:
    """PBOC report / Metro 2: the newest `history_months` months (the columns are newest first)."""
    history = tradeline.history
    if len(history.statuses) <= history_months:
        return
    for column in (history.statuses, history.balances, history.scheduled_payments, history.actual_payments):
        del column[history_months:]
