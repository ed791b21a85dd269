"""An institution's identifier of every id type the contract names is tokenised under that type.

The node reads the wire IdType into the domain's IdType, the one the pseudonymizer hashes
(its value is the token's domain separator): a business licence is checked per GB 32100-2015.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import pytest

from creditbridge.domain.codes import IdType
from creditbridge.errors import InvalidRecord
from creditbridge.pseudonym import Pseudonymizer
from creditbridge.v1 import codes_pb2 as pb
from creditbridge.v1 import node_pb2
from node.local_api.subjects import SubjectTokens, raw_subject_id
from node.mapping.rules import ID_OTHER

LINKAGE_KEY = os.urandom(32)
TOKENS = SubjectTokens(pseudonymizer=Pseudonymizer(LINKAGE_KEY, key_epoch=2))

ACCEPTED = {  # (wire id type, raw identifier, the token's id type code, the canonical identifier)
    "resident id": (pb.ID_TYPE_RESIDENT_ID, "11010519491231002x", b"resident_id", "11010519491231002X"),
    "passport": (pb.ID_TYPE_PASSPORT, " e1234 5678 ", b"passport", "E12345678"),
    "other national id": (pb.ID_TYPE_OTHER_NATIONAL_ID, "H0123456-01", b"other_national_id", "H0123456-01"),
    "business licence": (
        pb.ID_TYPE_BUSINESS_LICENSE, "91350100m000100y43", b"business_license", "91350100M000100Y43"
    ),
}  # fmt: skip


@pytest.mark.parametrize(("wire_type", "raw", "separator", "canonical"), ACCEPTED.values(), ids=ACCEPTED)
def test_an_identifier_is_tokenised_under_its_id_type(
    wire_type: int, raw: str, separator: bytes, canonical: str
) -> None:
    identifier = node_pb2.SubjectIdentifier(id_type=wire_type, value=raw)  # type: ignore[arg-type]
    ref = TOKENS.subject_ref(identifier)
    expected = hmac.new(LINKAGE_KEY, separator + b"\x00" + canonical.encode(), hashlib.sha256).digest()
    assert (ref.token, ref.key_epoch) == (expected, 2)


def test_every_id_type_of_the_contract_reads_as_the_domain_id_type_of_its_name() -> None:
    for name, number in pb.IdType.items():
        if number == 0:
            continue
        raw, violations = raw_subject_id(node_pb2.SubjectIdentifier(id_type=number, value="E12345678"))
        assert violations == () and raw is not None
        assert raw.id_type is IdType[name.removeprefix("ID_TYPE_")]


def test_a_business_licence_with_a_wrong_check_character_is_refused_on_the_value() -> None:
    identifier = node_pb2.SubjectIdentifier(id_type=pb.ID_TYPE_BUSINESS_LICENSE, value="91350100M000100Y44")
    with pytest.raises(InvalidRecord) as raised:
        TOKENS.subject_ref(identifier)
    assert [(v.field, v.rule) for v in raised.value.violations] == [("subject_id.value", ID_OTHER)]
    assert "91350100M000100Y44" not in str(raised.value)
