"""`creditbridge demo`: a local consortium on loopback, end to end (the CLI layer composes every part)."""
