"""Queues a file batch by batch, each batch durable on its own, so it can be uploaded at once.

`furnish_source` queues a whole source in one transaction: nothing can be sent until
the last row is mapped, so the node's CPU and the exchange's never overlap. Here each
batch commits as soon as it is sealed and `on_queued` tells the uploader; the source
is marked furnished once its last batch is queued.

What a crash in the middle leaves, and what the next run of the same file does:

* every batch committed so far stays pending in the outbox (and may already be at the
  exchange): it is uploaded like any other; nothing queued is lost or rebuilt;
* the source is not marked furnished; the outbox keeps the last row whose records are
  queued and the day the run judged its rows by;
* the next `node furnish` of the same content with the same mapping resumes that run
  (whether or not --force is given): it reads the file again, judges every row by the
  same day (so the rejection file is complete and each person's Subject record is
  still sent once), and seals and queues only the rows after that row.

So every row of a source is queued exactly once, batches may reach the exchange before
the source is fully queued (the exchange is idempotent by request_id), and "this file
was furnished before" means every row of it was queued. Only sources that know their
digest before they are read (files) can be resumed by row; others use `furnish_source`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from node.mapping import Mapping, RowSource
from node.outbox import AlreadyFurnished, Outbox, QueuedBatch, make_source_key
from node.pipeline.furnish import FurnishPipeline, FurnishSummary

PipelineFor = Callable[[date], FurnishPipeline]  # a pipeline judging rows by that day


def resumable(source: RowSource) -> bool:
    """Whether `source` can be queued batch by batch: its digest is known before it is read."""
    return source.content_digest() is not None


def queue_by_batch(
    *,
    pipeline_for: PipelineFor,
    mapping: Mapping,
    source: RowSource,
    outbox: Outbox,
    today: date,
    force: bool = False,
    on_queued: Callable[[QueuedBatch], None] = lambda batch: None,
) -> FurnishSummary:
    """Queues `source` batch by batch, resuming an unfinished run of it; see the module docstring.

    Raises AlreadyFurnished, before any work, when the same content was furnished with
    the same mapping and no run of it is unfinished (unless `force`).
    """
    digest = source.content_digest()
    if digest is None:
        raise ValueError("only a source that knows its digest before it is read is queued by batch")
    key = make_source_key(digest, mapping.digest)
    progress = outbox.unfinished(key)
    if progress is None:
        if not force and outbox.is_furnished(key):
            raise AlreadyFurnished("this file was already furnished with this mapping (use --force)")
        progress = outbox.begin_source(key, source_name=source.name, judged_on=today)
    resumed_after_row = progress.last_row
    pipeline = pipeline_for(progress.judged_on)
    for batch in pipeline.batches(source, resume_after_row=resumed_after_row):
        outbox.queue_batch(key, batch)  # durable before the uploader may see it
        on_queued(batch)
    done = outbox.finish_source(key)
    counts = pipeline.counts
    return FurnishSummary(
        counts.rows_read,
        counts.rows_rejected,
        done.record_count,
        done.batch_count,
        source_key=key,
        resumed_after_row=resumed_after_row,
    )
