"""The consent registry: signed consents registered, revoked, read and listed, every change logged."""
