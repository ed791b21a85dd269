"""The regulator's read-only views: log entries, aggregate statistics, member data quality."""
