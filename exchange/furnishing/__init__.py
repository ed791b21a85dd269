"""Furnishing: sealed batches in, durable versioned records and per-record verdicts out."""
