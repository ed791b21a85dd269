"""Access-log entries for tests: numbered inquiries with distinct tokens and digests, and a signing key."""

from __future__ import annotations

import hashlib
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.access_entry import AccessEntry, Action

SIGNING_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def inquiry_entry(n: int, *, occurred_at: datetime) -> AccessEntry:
    """Inquiry number `n` by bank-a: its subject token and request digest differ from every other n's."""
    return AccessEntry(
        actor="bank-a", action=Action.INQUIRY, subject_token=hashlib.sha256(b"%d" % n).hexdigest(),
        purpose="loan_approval", consent_id=f"c-{n}", outcome="allowed", occurred_at=occurred_at,
        request_digest=hashlib.sha256(b"r%d" % n).digest(),
    )  # fmt: skip
