"""The regulator's client: replays the access log, witnesses tree heads, re-checks consents."""
