"""Thin gRPC servicers: wire to domain, one use case, domain to wire."""
