"""The access policy chain: pure checks that raise, composed with AllOf, deny by default."""
