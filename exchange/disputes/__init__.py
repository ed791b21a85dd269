"""Disputes: a subject contests a record or the score through any member; the furnisher answers in time."""
