"""The member node: local mapping, furnishing pipeline, exchange client, local API."""
