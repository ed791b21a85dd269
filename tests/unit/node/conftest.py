"""Node test fixtures: keys made with `cryptography`, member files in both layouts, a pipeline."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from creditbridge.envelope import EnvelopeSealer
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer, synthetic_resident_id
from creditbridge.standard.profile import profile_for
from node.mapping import Mapping, load_mapping
from node.outbox import Outbox
from node.pipeline import (
    BatchPacker,
    FurnishPipeline,
    FurnishSummary,
    NoRejectionFile,
    RowTokenizer,
    furnish_source,
)

MAPPINGS = Path(__file__).resolve().parents[3] / "node" / "mappings"
TODAY = date(2026, 11, 21)

BANK_HEADER = (
    "customer_name,id_type,id_number,mobile,address,account_no,product,opened,closed,credit_limit,"
    "original_amount,balance,past_due,monthly_payment,last_paid_amount,last_paid_date,status,"
    "first_delinquency,as_of,history,term_months,sex,birth_year,province"
)
LENDER_HEADER = (
    "borrower|cert_no|phone|loan_id|loan_kind|start_date|end_date|principal_fen|outstanding_fen|"
    "overdue_fen|instalment_fen|state|dofd|report_date|repayment_profile|tenor"
)


@dataclass(frozen=True)
class MemberSecrets:
    """What a node holds (linkage and account keys) and the exchange's storage key pair."""

    linkage_key: bytes
    account_key: bytes
    storage_private_key: bytes
    storage_public_key: bytes


@pytest.fixture
def keys() -> MemberSecrets:
    private = X25519PrivateKey.generate()
    return MemberSecrets(
        linkage_key=os.urandom(32),
        account_key=os.urandom(32),
        storage_private_key=private.private_bytes_raw(),
        storage_public_key=private.public_key().public_bytes_raw(),
    )


def resident_ids(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [synthetic_resident_id(rng) for _ in range(count)]


def bank_row(rid: str, *, account_no: str = "6222020012345678", **changes: str) -> str:
    row = {
        "customer_name": "张三", "id_type": "ID", "id_number": rid, "mobile": "13800138000",
        "address": "北京市朝阳区建国路1号", "account_no": account_no, "product": "CARD",
        "opened": "2019-03-15", "closed": "", "credit_limit": "20000.00", "original_amount": "",
        "balance": "5230.50", "past_due": "0.00", "monthly_payment": "523.05",
        "last_paid_amount": "600.00", "last_paid_date": "2026-10-20", "status": "N",
        "first_delinquency": "", "as_of": "2026-10-31", "history": "000000000000", "term_months": "",
        "sex": "F", "birth_year": "1988", "province": "11",
    }  # fmt: skip
    row.update(changes)
    return ",".join(row.values())


def lender_row(rid: str, *, loan_id: str = "LN20240001", **changes: str) -> str:
    row = {
        "borrower": "李四", "cert_no": rid, "phone": "13900139000", "loan_id": loan_id,
        "loan_kind": "consumer", "start_date": "20250105", "end_date": "", "principal_fen": "1200000",
        "outstanding_fen": "800000", "overdue_fen": "0", "instalment_fen": "105000", "state": "current",
        "dofd": "", "report_date": "20261031", "repayment_profile": "0000000000", "tenor": "12",
    }  # fmt: skip
    row.update(changes)
    return "|".join(row.values())


def write_file(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def bank_mapping() -> Mapping:
    return load_mapping(MAPPINGS / "bank.toml")


@pytest.fixture
def lender_mapping() -> Mapping:
    return load_mapping(MAPPINGS / "lender.toml")


PipelineFactory = Callable[..., FurnishPipeline]


@pytest.fixture
def make_pipeline(keys: MemberSecrets) -> PipelineFactory:
    """A pipeline for `mapping` as member `member_id` (same linkage key for every member)."""

    def make(mapping: Mapping, *, member_id: str = "bank-a", rejections: object = None,
             batch_records: int = 1_000, account_key: bytes | None = None) -> FurnishPipeline:  # fmt: skip
        return FurnishPipeline(
            mapping=mapping,
            tokenizer=RowTokenizer(
                pseudonymizer=Pseudonymizer(keys.linkage_key, key_epoch=1),
                account_tokenizer=AccountTokenizer(account_key or keys.account_key, furnisher_id=member_id),
            ),
            packer=BatchPacker(
                sealer=EnvelopeSealer(keys.storage_public_key, furnisher_id=member_id, key_epoch=1),
                storage_key_epoch=1,
                batch_records=batch_records,
            ),
            rejections=rejections if rejections is not None else NoRejectionFile(),  # type: ignore[arg-type]
            profile=profile_for(),
            today=TODAY,
        )

    return make


def queue_file(pipeline: FurnishPipeline, mapping: Mapping, file: Path, outbox: Outbox) -> FurnishSummary:
    return furnish_source(pipeline=pipeline, mapping=mapping, source=mapping.open_source(file), outbox=outbox)
