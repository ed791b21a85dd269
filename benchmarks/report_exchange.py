"""The populated exchange report_latency.py measures: built and bulk-loaded in a child process, then served.

Each subject has one tradeline at each of three members (a card at bank-a, a microloan
at lender-b, a credit line at cfc-c), each with `history_months` months of history (24
by default: what a PBOC report shows). One loan in four is 30-60 days late. Records go
in through RecordWriter in 5,000-record commits, each with its FURNISH_BATCH log entry,
as the furnishing use case stores them. Then signed consents are registered through the
consent registry, on an engine of the loader's own that does not fsync its commits (the
setup is not measured; ~1 ms a consent instead of ~11). The loading process then ends,
and the exchange is served from that database the way `creditbridge exchange serve`
serves it (exchange.processes: N processes on one port, each the real composition root,
exchange.server.build_exchange): `exchange_config`.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

MEMBERS = ("bank-a", "lender-b", "cfc-c")
BATCH = 5_000
LAST_MONTH = date(2026, 10, 1)  # tests.support.records: reported on 2026-10-31


Template = tuple[str, bytes, bool]  # member, serialized CreditRecord, negative


def _templates(history_months: int) -> list[Template]:
    """The accounts a subject may have (card, current loan, late loan, line), history filled in."""
    from creditbridge.domain import codes
    from creditbridge.domain.history import MonthlyHistory
    from creditbridge.standard.deadlines import is_negative_tradeline
    from creditbridge.wire.records import credit_record_to_proto
    from tests.support.records import card, late_loan, subject_ref

    def months(late: bool) -> MonthlyHistory:
        """`history_months` months back from LAST_MONTH, newest first; a late account is late now."""
        statuses = [codes.MonthStatus.CURRENT] * history_months
        if late:
            statuses[:2] = [codes.MonthStatus.LATE_60, codes.MonthStatus.LATE_30][:history_months]
        return MonthlyHistory(
            LAST_MONTH.replace(day=1),
            tuple(statuses),
            balances=tuple(300_000 + back * 100 for back in range(history_months)),
            scheduled_payments=(30_000,) * history_months,
            actual_payments=(30_000,) * history_months,
            currency="CNY",
        )

    subject = subject_ref("template")
    current_loan = late_loan(subject, "loan", status=codes.AccountStatus.CURRENT, first_delinquency_on=None)
    shapes = [
        ("bank-a", replace(card(subject, "card", opened_on=date(2019, 3, 15)), history=months(False))),
        ("lender-b", replace(current_loan, opened_on=date(2023, 1, 10), history=months(False))),
        ("lender-b", replace(late_loan(subject, "loan", opened_on=date(2023, 1, 10)), history=months(True))),
        ("cfc-c", replace(card(subject, "line", opened_on=date(2020, 6, 1)), history=months(False))),
    ]
    return [
        (member, credit_record_to_proto(tradeline).SerializeToString(), is_negative_tradeline(tradeline))
        for member, tradeline in shapes
    ]


def _records(templates: list[Template], index: int) -> Iterator[tuple[str, bytes, str, Any, bool]]:
    """(member, plaintext, account token, subject, negative) of subject `index`'s three tradelines."""
    from creditbridge.v1 import records_pb2
    from tests.support.records import subject_ref

    subject = subject_ref(f"subject-{index}")
    card, loan, late, line = templates
    chosen = (card, late if index % 4 == 0 else loan, line)  # one loan in four is late
    for (member, template, negative), prefix in zip(chosen, ("card", "loan", "line"), strict=True):
        token = f"{prefix}-{index}"
        message = records_pb2.CreditRecord.FromString(template)  # the template with this subject's tokens
        message.tradeline.subject.token = subject.token
        message.tradeline.account_token = token
        yield member, message.SerializeToString(), token, subject, negative


def bulk_load(app: Any, storage_master_key: bytes, subjects: int, history_months: int) -> float:
    from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action
    from creditbridge.domain.furnishing import RecordKind
    from exchange.furnishing.intake import AdmittedRecord
    from exchange.furnishing.store import RecordWriter

    writer = RecordWriter(storage_master_key=storage_master_key)
    templates = _templates(history_months)
    started = time.perf_counter()
    pending: dict[str, list[AdmittedRecord]] = {m: [] for m in MEMBERS}

    def flush(member: str) -> None:
        admitted, pending[member] = pending[member], []
        now = datetime.now(UTC)
        entry = AccessEntry(
            member, Action.FURNISH_BATCH, "", "", "", OUTCOME_ALLOWED, now, hashlib.sha256(b"x").digest()
        )
        with app.access_log.transaction() as tx:
            app.access_log.append_batch([entry], connection=tx.connection)
            writer.write(
                tx.connection, furnisher_id=member, request_id=str(uuid.uuid4()), admitted=admitted,
                received_at=now,
            )  # fmt: skip

    for index in range(subjects):
        for member, plaintext, token, subject, negative in _records(templates, index):
            batch = pending[member]
            batch.append(
                AdmittedRecord(len(batch), RecordKind.TRADELINE, token, subject, plaintext, negative,
                               False, None, 1.0, None)
            )  # fmt: skip
            if len(batch) >= BATCH:
                flush(member)
    for member in MEMBERS:
        if pending[member]:
            flush(member)
    return time.perf_counter() - started


def exchange_config(workdir: str, keys_dir: str) -> Any:
    """The configuration the benchmark's exchange serves with: SQLite, every member allowed every purpose."""
    from creditbridge.domain.codes import InquiryPurpose
    from exchange.config import ExchangeConfig

    everything = {"purposes": [p.value for p in InquiryPurpose], "furnishes": "full", "public_records": True}
    return ExchangeConfig(
        keys_dir=Path(keys_dir),
        database_url=f"sqlite:///{workdir}/exchange.db",
        members=dict.fromkeys(MEMBERS, everything),
    )


def _unsynced_engine(url: str) -> Any:
    """The exchange's engine settings, but commits are not fsynced: for the loader's setup only."""
    from sqlalchemy import event

    from exchange.storage.engine import open_engine

    engine = open_engine(url, pool_size=1)
    event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA synchronous=OFF"))
    return engine


def prepare(workdir: str, subjects: int, consents: int, history_months: int, queue: Any) -> None:
    """The child process: build, load, register consents, report (keys, cited consents, load time), end."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from creditbridge.domain.codes import InquiryPurpose
    from creditbridge.keys.loaders import load_exchange_keys
    from creditbridge.wire.consent import consent_request_from_proto
    from exchange.accesslog.log import AccessLog
    from exchange.consent.registry import ConsentRegistry
    from exchange.server import build_exchange, utc_now
    from tests.integration.test_reports import signed_consent_request
    from tests.support.consortium import make_consortium
    from tests.support.records import subject_ref

    keys_dir = make_consortium(Path(workdir))
    app = build_exchange(exchange_config(workdir, str(keys_dir)))
    keys = load_exchange_keys(keys_dir)
    load_s = bulk_load(app, keys.storage_master_key, subjects, history_months)
    setup_engine = _unsynced_engine(app.engine.url.render_as_string(hide_password=False))
    setup_log = AccessLog(
        engine=setup_engine, signing_key=Ed25519PrivateKey.from_private_bytes(keys.signing_private_key),
        clock=utc_now,
    )  # fmt: skip
    registry = ConsentRegistry(
        engine=setup_engine, access_log=setup_log, member_signing_keys=keys.member_signing_public_keys,
        clock=utc_now,
    )  # fmt: skip
    now, cited = utc_now(), []
    for index in random.Random(7).sample(range(subjects), min(consents, subjects)):
        subject = subject_ref(f"subject-{index}")
        request = signed_consent_request(
            keys_dir, "bank-a", subject, InquiryPurpose.LOAN_APPROVAL,
            valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30),
        )  # fmt: skip
        consent = consent_request_from_proto(request.consent, consent_id="", member_id="bank-a")
        logged = registry.register("bank-a", request_id=request.request_id, consent=consent)
        cited.append((subject.token, logged.consent.consent_id))
    setup_engine.dispose()
    app.stop()
    queue.put({"keys_dir": str(keys_dir), "load_s": load_s, "cited": cited})
