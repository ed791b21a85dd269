"""The domain model: frozen, well-typed records and artefacts of the credit domain."""
