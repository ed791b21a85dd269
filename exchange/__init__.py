"""The central exchange: composition root, gRPC services, policy, log, storage."""
