"""Wire mapping: one `x_to_proto` / `x_from_proto` pair per contract message.

Only this package, the servicers and the clients import `creditbridge.v1`;
everything else works on the domain model.
"""
