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
    tradeline = pb.Tradeline()
    fill_encoded_tradeline(tradeline, encoded)
    return tradeline


def fill_encoded_tradeline(target: pb.Tradeline, encoded: EncodedTradeline) -> None:
    """encoded_tradeline_to_proto into an empty message in place (a report's own entry: no copy).

    A stored record is one field, CreditRecord.tradeline: its bytes are parsed straight
    into `target`. Anything else (another record, several fields) goes through the
    whole CreditRecord, which says what it holds.
    """
    body = _tradeline_body(encoded.payload)
    try:
        if body is not None:
            target.MergeFromString(body)
        else:
            record = pb.CreditRecord.FromString(encoded.payload)
            if record.WhichOneof("record") != "tradeline":
                raise InvalidRecord("a stored tradeline's encoding holds another kind of record")
            target.CopyFrom(record.tradeline)
    except DecodeError as error:
        raise InvalidRecord("a stored tradeline's encoding is broken") from error
    target.ClearField("account_token")
    target.ClearField("extensions")
    target.DiscardUnknownFields()
    _newest_months(target, encoded.history_months)


_TRADELINE_KEY = pb.CreditRecord.DESCRIPTOR.fields_by_name["tradeline"].number << 3 | 2  # length-delimited


def _tradeline_body(payload: bytes) -> bytes | None:
    """The Tradeline bytes when `payload` is exactly one CreditRecord.tradeline field, else None."""
    if len(payload) < 2 or payload[0] != _TRADELINE_KEY:
        return None
    length, shift, index = 0, 0, 1
    while index < len(payload) and shift < 35:  # the length: a varint of at most 5 bytes
        byte = payload[index]
        length |= (byte & 0x7F) << shift
        index += 1
        if not byte & 0x80:
            return payload[index:] if index + length == len(payload) else None
        shift += 7
    return None


def _newest_months(tradeline: pb.Tradeline, history_months: int) -> None:
    """PBOC report / Metro 2: the newest `history_months` months (the columns are newest first)."""
    history = tradeline.history
    if len(history.statuses) <= history_months:
        return
    for column in (history.statuses, history.balances, history.scheduled_payments, history.actual_payments):
        del column[history_months:]
