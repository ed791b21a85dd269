"""Builds a test consortium, starts a real exchange on port 0, and opens member channels."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import grpc

from creditbridge.domain.records import CreditRecord
from creditbridge.envelope import EnvelopeSealer
from creditbridge.keys.consortium import init_consortium
from creditbridge.keys.loaders import load_member_keys, load_regulator_keys
from creditbridge.v1 import furnishing_pb2 as fpb
from creditbridge.wire.records import credit_record_to_proto
from exchange.config import ExchangeConfig
from exchange.server import ExchangeApp, build_exchange, utc_now

MEMBERS = ("bank-a", "lender-b", "cfc-c")
REGULATORS = ("regulator",)
ALL_PURPOSES = ["loan_approval", "card_approval", "account_review", "guarantor_check", "self_inquiry"]
# Terms of membership: two full furnishers (one with public records) and a negative-only one.
MEMBER_TERMS: dict[str, dict[str, Any]] = {
    "bank-a": {"purposes": ALL_PURPOSES, "furnishes": "full", "public_records": True},
    "lender-b": {"purposes": ALL_PURPOSES, "furnishes": "full"},
    "cfc-c": {"purposes": ["loan_approval", "account_review"], "furnishes": "negative_only"},
}

_KINDS = {
    "subject": fpb.RECORD_KIND_SUBJECT,
    "tradeline": fpb.RECORD_KIND_TRADELINE,
    "public_record": fpb.RECORD_KIND_PUBLIC_RECORD,
    "statement": fpb.RECORD_KIND_STATEMENT,
}


def make_consortium(root: Path) -> Path:
    keys = root / "keys"
    init_consortium(keys, member_ids=list(MEMBERS), regulator_ids=list(REGULATORS))
    return keys


def start_exchange(
    keys_dir: Path, database_url: str, *, clock: Callable[[], datetime] = utc_now
) -> ExchangeApp:
    config = ExchangeConfig(keys_dir=keys_dir, database_url=database_url, members=MEMBER_TERMS)
    return build_exchange(config, clock=clock)


def member_channel(keys_dir: Path, member_id: str, port: int) -> grpc.Channel:
    keys = load_member_keys(keys_dir, member_id)
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    return grpc.secure_channel(f"localhost:{port}", credentials)


def regulator_channel(keys_dir: Path, regulator_id: str, port: int) -> grpc.Channel:
    keys = load_regulator_keys(keys_dir, regulator_id)
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    return grpc.secure_channel(f"localhost:{port}", credentials)


def channel_with(ca_pem: bytes, key_pem: bytes | None, cert_pem: bytes | None, port: int) -> grpc.Channel:
    credentials = grpc.ssl_channel_credentials(ca_pem, key_pem, cert_pem)
    return grpc.secure_channel(f"localhost:{port}", credentials)


def sealed_batch(
    keys_dir: Path,
    member_id: str,
    records: Sequence[CreditRecord],
    *,
    request_id: str | None = None,
    event_time: datetime | None = None,
) -> fpb.FurnishRequest:
    """A FurnishRequest sealed as a node seals it (one ephemeral key for the batch)."""
    keys = load_member_keys(keys_dir, member_id)
    sealer = EnvelopeSealer(
        keys.exchange_storage_public_key, furnisher_id=member_id, key_epoch=keys.exchange_storage_key_epoch
    ).begin_batch()
    request = fpb.FurnishRequest(
        request_id=request_id or str(uuid.uuid4()),
        ephemeral_public_key=sealer.ephemeral_public_key,
        storage_key_epoch=keys.exchange_storage_key_epoch,
    )
    for record in records:
        message = credit_record_to_proto(record)
        kind = message.WhichOneof("record")
        token = getattr(record, "account_token", "") or getattr(record, "record_token", "")
        subject = record.subject
        assert subject is not None and kind is not None
        sealed = fpb.SealedRecord(
            subject_token=subject.token,
            subject_key_epoch=subject.key_epoch,
            record_token=token,
            kind=_KINDS[kind],
            sealed_payload=sealer.seal(
                message.SerializeToString(), subject_token=subject.token, account_token=token.encode()
            ),
        )
        if event_time is not None:
            sealed.event_time.FromDatetime(event_time)
        request.records.append(sealed)
    return request
