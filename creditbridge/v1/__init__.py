"""Generated protobuf and gRPC code of the v1 contract (see proto/; do not edit)."""
