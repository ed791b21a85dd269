"""The furnishing pipeline: map -> pseudonymise -> validate -> seal -> durable outbox."""

from node.pipeline.furnish import FurnishCounts, FurnishPipeline, FurnishSummary, furnish_source
from node.pipeline.packing import BatchPacker
from node.pipeline.rejections import NoRejectionFile, RejectionWriter
from node.pipeline.tokens import RowTokenizer, RowTokens

__all__ = [
    "BatchPacker",
    "FurnishCounts",
    "FurnishPipeline",
    "FurnishSummary",
    "NoRejectionFile",
    "RejectionWriter",
    "RowTokenizer",
    "RowTokens",
    "furnish_source",
]
