"""Runs the creditbridge console script as `python -m creditbridge.cli`."""

from creditbridge.cli import main

raise SystemExit(main())
