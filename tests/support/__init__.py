"""Helpers shared by integration tests: a consortium, a running exchange, member channels."""
