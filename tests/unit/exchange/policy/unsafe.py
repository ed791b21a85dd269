"""A policy that allows everything: for tests of composition only, never wired into the exchange."""

from __future__ import annotations

from exchange.policy.access import AccessRequest


class UnsafeAllowAll:
    """Allows every access. Dangerous by name: it exists only under tests/."""

    def check(self, access: AccessRequest) -> None:
        return None
