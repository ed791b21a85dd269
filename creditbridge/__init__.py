"""CreditBridge: the shared core of the credit-information exchange (no I/O)."""

__version__ = "0.1.0"
