"""The exchange's storage: SQLAlchemy Core schema, engines, and the bulk paths."""
