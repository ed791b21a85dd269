"""The unified data standard: rules, jurisdiction profiles, validation."""
