"""Consented credit reports on the merged view: facts, policy, subject file, score, inquiry log."""
