"""Alerts: early warnings a member receives about its own customers, stored per member, streamed in order."""
