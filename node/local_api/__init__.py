"""The node's local API: NodeService for the institution's own systems, and `serve(config)`."""

from node.local_api.serve import NodeApp, build_node, serve
from node.local_api.servicer import NodeServicer

__all__ = ["NodeApp", "NodeServicer", "build_node", "serve"]
