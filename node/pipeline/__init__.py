"""The furnishing pipeline: map -> pseudonymise -> validate -> seal -> durable outbox."""

from node.pipeline.by_batch import queue_by_batch, resumable
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
    "queue_by_batch",
    "resumable",
]
