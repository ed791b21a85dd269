"""Names every file of a consortium key directory, in one place.

DIR/consortium.json                     public manifest (ids, public keys, epochs, serials)
DIR/ca/ca.crt  ca.key  revoked.json     the CA (its key never leaves DIR/ca)
DIR/exchange/tls.crt tls.key ca.crt signing.e<N>.key storage.e<N>.key master.e<N>.key
DIR/members/<id>/tls.crt tls.key ca.crt signing.e<N>.key linkage.e<N>.key account.key
DIR/regulators/<id>/tls.crt tls.key ca.crt signing.e<N>.key
DIR/operators/<id>/tls.crt tls.key ca.crt signing.e<N>.key
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from creditbridge.errors import KeyFileError
from creditbridge.keys.identity import PARTY_ID, Role

MANIFEST_FORMAT = "creditbridge-consortium-v1"
KEY_KINDS = ("linkage", "storage", "signing")
_ROLE_DIRECTORIES = {"member": "members", "regulator": "regulators", "operator": "operators"}


@dataclass(frozen=True)
class ConsortiumLayout:
    """Paths inside one consortium key directory."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "consortium.json"

    @property
    def ca_dir(self) -> Path:
        return self.root / "ca"

    @property
    def ca_cert(self) -> Path:
        return self.ca_dir / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.ca_dir / "ca.key"

    @property
    def revoked(self) -> Path:
        return self.ca_dir / "revoked.json"

    def party_dir(self, role: Role, party_id: str) -> Path:
        if role == "exchange":
            return self.root / "exchange"
        if not PARTY_ID.fullmatch(party_id):
            raise KeyFileError(f"party id {party_id!r} is not a valid directory name")
        return self.root / _ROLE_DIRECTORIES[role] / party_id

    @staticmethod
    def epoch_file(directory: Path, kind: str, epoch: int) -> Path:
        """e.g. linkage.e2.key: keys of every epoch stay side by side for rotation."""
        if epoch < 1:
            raise KeyFileError("key epochs start at 1")
        return directory / f"{kind}.e{epoch}.key"
