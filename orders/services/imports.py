"""Import of a platform export: stored file -> batch -> chunks written with set-based upserts.

Each chunk (whole orders, about CHUNK_LINES lines) is written in one transaction together
with the batch's checkpoint (`rows_done`) and counters, so a worker killed at any point
leaves either a chunk fully written and counted or not at all; the re-run skips the rows up
to the checkpoint. Writes are upserts keyed by the database's unique constraints, so even a
re-run from the start would duplicate nothing.

A file of more than IMPORT_RANGE_LINES rows is cut, when its batch starts, into ranges of
whole orders (``ImportRange``) that every worker of the ``imports`` queue takes: each range
is a small batch of its own (its lock, its claim, its checkpoint and counters on its own row)
and the worker that finishes the last range finishes the batch. See ``run_import_range``.
"""

import datetime as dt
import hashlib
import logging
import queue
import threading
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import cast
from uuid import uuid4

from celery import group
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, reset_queries, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Channel
from core.mail import absolute_url, send_email_on_commit

from .. import tasks
from ..importers import AffiliateLink as ExportAffiliateLink
from ..importers import ImportRefused, open_export
from ..importers import OrderLine as ExportLine
from ..importers.base import Item
from ..importers.reader import ExportReader, RowRange
from ..models import (
    ColumnMapping,
    ImportBatch,
    ImportRange,
    Order,
    OrderLine,
)
from .attribution import ChannelWindows, attribute_orders
from .chunk_writer import BatchContext, ChunkCounts, write_items
from .locks import batch_runner_lock, range_runner_lock
from .matching import ListingIndex
from .sales import announce_orders_changed
from .statuses import StatusMappings

logger = logging.getLogger(__name__)

CHUNK_LINES = 5000
# Chunks parsed ahead of the one being written: the parser (Python) runs while the database
# works on the previous chunk (psycopg2 lets go of the GIL while it waits for the server).
READ_AHEAD = 2
# PostgreSQL plans each chunk's lookups from table statistics; an import that grows the
# tables makes them stale (a 200,000-line re-import then took 47 s instead of 11 s because
# every lookup became a sequential scan). They are refreshed when the rows written reach
# this, then each doubling of it, and once at the end.
ANALYZE_AFTER_ROWS = 10_000
# A running batch whose heartbeat is older than this is taken to have lost its worker.
STALE_AFTER = dt.timedelta(minutes=2)
# The counters a chunk adds to its batch (or range): ChunkCounts' fields of the same names.
COUNTER_FIELDS = (
    "rows_read",
    "orders_created",
    "orders_updated",
    "orders_unchanged",
    "lines_written",
    "lines_matched",
    "lines_unmatched",
    "affiliate_links",
    "error_count",
    "orders_attributed",
    "orders_ambiguous",
    "orders_unknown_status",
    "orders_older",
)
# Affiliate-link files stay on the single path: they are small, and their finishing step
# attributes again the set of orders they link, which one runner collects as it goes.
_SINGLE_PATH_FORMATS = frozenset({"tiktok_affiliate"})


class ImportUploadRefused(Exception):
    """The upload itself was refused before any batch was created (e.g. too large)."""


def _newest_time(items: Iterable[Item]) -> dt.datetime | None:
    """The newest timestamp the items of an export carry (the export can be no older)."""
    newest: dt.datetime | None = None
    times: tuple[dt.datetime | None, ...]
    for item in items:
        if isinstance(item, ExportLine):
            times = (
                item.created_at,
                item.paid_at,
                item.cancelled_at,
                item.shipped_at,
                item.delivered_at,
            )
        elif isinstance(item, ExportAffiliateLink):
            times = (item.created_at,)
        else:
            continue
        for moment in times:
            if moment is not None and (newest is None or moment > newest):
                newest = moment
    return newest


@transaction.atomic
def create_import_batch(
    *,
    channel: Channel,
    upload: "UploadedFile[bytes]",
    uploaded_by: User | None = None,
    force: bool = False,
    replace_newer: bool = False,
) -> ImportBatch:
    """Store the uploaded file and queue its import; a file seen before is recognised.

    ``replace_newer`` is staff's explicit choice that this file's values replace those of
    newer exports already imported (else older values are refused field by field). It implies
    ``force``: the same file again is imported, not recognised as a duplicate.
    """
    force = force or replace_newer
    if upload.size is not None and upload.size > settings.IMPORT_MAX_FILE_BYTES:
        raise ImportUploadRefused(
            _("The file is %(size)d MB; the largest accepted is %(limit)d MB.")
            % {
                "size": upload.size // 1_000_000,
                "limit": settings.IMPORT_MAX_FILE_BYTES // 1_000_000,
            }
        )
    sha = hashlib.sha256()
    for piece in upload.chunks():
        sha.update(piece)
    digest = sha.hexdigest()
    upload.seek(0)
    batch = ImportBatch(
        channel=channel,
        uploaded_by=uploaded_by,
        original_name=Path(upload.name or "export").name[:255],
        size_bytes=upload.size or 0,
        sha256=digest,
        forced=force,
        replace_newer=replace_newer,
    )
    previous = (
        ImportBatch.objects.filter(
            channel=channel, sha256=digest, status=ImportBatch.Status.SUCCEEDED
        )
        .order_by("-created_at")
        .first()
    )
    if previous is not None and not force:
        batch.status = ImportBatch.Status.DUPLICATE
        batch.duplicate_of = previous
        batch.file.name = previous.file.name
        batch.format = previous.format
        batch.message = _(
            "This file was already imported (batch #%(batch)s); nothing changed. "
            "Import it again with “force” if you need to."
        ) % {"batch": previous.pk}
        batch.finished_at = timezone.now()
        batch.save()
        return batch
    suffix = Path(batch.original_name).suffix.lower()[:8]
    batch.file.save(f"{uuid4().hex}{suffix}", upload, save=False)
    batch.save()
    _queue_on_commit(batch.pk)
    return batch


def _queue_on_commit(batch_id: int) -> None:
    """Send the batch to a worker once the transaction commits (robust: a broker that is down
    leaves the batch queued, and the stale-batch sweep sends it again)."""
    transaction.on_commit(lambda: tasks.import_batch_task.delay(batch_id), robust=True)


_LOOKUP_COLUMNS = (
    (Order, ("channel_id", "external_id", "session_id", "last_batch_id")),
    (OrderLine, ("order_id", "external_line_id")),
)


class _Statistics:
    """Refreshes PostgreSQL's statistics of the order tables as an import grows them."""

    def __init__(self) -> None:
        self.written = 0
        self.analyzed_at = 0
        self.next_at = ANALYZE_AFTER_ROWS

    def wrote(self, rows: int) -> None:
        self.written += rows
        if self.written >= self.next_at:
            self._analyze()
            self.next_at = self.written * 2

    def finish(self) -> None:
        if self.written - self.analyzed_at >= ANALYZE_AFTER_ROWS:
            self._analyze()

    def _analyze(self) -> None:
        self.analyzed_at = self.written
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        # Only the columns the chunks look rows up by: the planner needs their row counts and
        # distinct values; autovacuum refreshes the rest in its own time.
        tables = ", ".join(
            f"{quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)})"
            for model, columns in _LOOKUP_COLUMNS
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


def run_import_batch(*, batch_id: int, worker: str = "") -> set[int]:
    """Import a queued batch, or resume one after its checkpoint. Safe to run twice.

    A file of more than IMPORT_RANGE_LINES data rows is cut into ranges sent to the
    ``imports`` queue (``run_import_range``); this run then takes ranges too, as any worker
    does, until none is left to take, and the worker that finishes the last range finishes
    the batch. Alone (the foreground command, no worker running) it imports every range and
    finishes the batch itself. ``worker`` names the Celery worker, recorded on the ranges it
    runs. Returns the sessions whose figures may have changed; their roll-up is queued.
    """
    with batch_runner_lock(batch_id) as runner:
        if not runner:
            return set()  # a live runner has this batch
        session_ids, ranged = _run_import_batch(batch_id)
    if ranged:
        session_ids |= _take_ranges(batch_id, worker)
        # The last range may have ended while this run held the batch's lock, so that its
        # worker could not finish the batch: look again now that the lock is free.
        session_ids |= _finish_ranged_batch(batch_id)
    return session_ids


def _take_ranges(batch_id: int, worker: str) -> set[int]:
    """Run, one after the other, the batch's ranges that no live worker holds (each is tried
    once: a range another worker holds, or has finished, is left to it)."""
    session_ids: set[int] = set()
    unfinished = (
        ImportRange.objects.filter(batch_id=batch_id)
        .exclude(status=ImportRange.Status.DONE)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    for range_id in list(unfinished):
        session_ids |= run_import_range(range_id=range_id, worker=worker)
    return session_ids


def _open_batch_file(batch: ImportBatch) -> ExportReader:
    channel = batch.channel
    saved_mapping = ColumnMapping.objects.filter(channel=channel).first()
    return open_export(
        batch.file.path,
        time_zone=channel.time_zone,
        default_currency=channel.currency,
        max_bytes=settings.IMPORT_MAX_FILE_BYTES,
        # A channel with a saved mapping (another platform) is read through it.
        column_mapping=saved_mapping.mapping if saved_mapping else None,
    )


def _run_import_batch(batch_id: int) -> tuple[set[int], bool]:
    """Run the batch; returns the sessions to roll up and whether it was cut into ranges."""
    now = timezone.now()
    # Holding the runner lock, a batch still marked running has lost its runner (killed
    # mid-import): it is taken over and resumes at its checkpoint.
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING]
    ).update(
        status=ImportBatch.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return set(), False
    batch = ImportBatch.objects.select_related("channel").get(pk=batch_id)
    channel = batch.channel
    unfinished = ImportRange.objects.filter(batch_id=batch_id).exclude(
        status=ImportRange.Status.DONE
    )
    if ImportRange.objects.filter(batch_id=batch_id).exists():
        # Cut into ranges by an earlier run: those not done are sent again (a range with a
        # live runner ignores the message; the others are taken over at their checkpoint).
        _send_ranges_on_commit(list(unfinished.values_list("pk", flat=True)))
        return set(), True

    try:
        reader = _open_batch_file(batch)
    except ImportRefused as refusal:
        _refuse(batch_id, refusal)
        return set(), False
    with reader:
        if reader.platform not in (channel.platform, "other"):
            _refuse(
                batch_id,
                ImportRefused(
                    _("This is a %(format)s export, but %(channel)s is a %(platform)s channel.")
                    % {
                        "format": reader.format,
                        "channel": channel.name,
                        "platform": channel.get_platform_display(),
                    }
                ),
            )
            return set(), False
        # One cheap pass (order ids and times only) learns the file's own time before its
        # first order is written, and where to cut it into ranges.
        try:
            scan = reader.scan(
                range_rows=None
                if reader.format in _SINGLE_PATH_FORMATS or batch.rows_done
                else settings.IMPORT_RANGE_LINES
            )
        except ImportRefused as refusal:
            _refuse(batch_id, refusal)
            return set(), False
        # A batch resumed from a checkpoint keeps the time it was started with.
        exported_at = batch.exported_at or scan.newest or batch.created_at
        # Orders written by an attempt that did not know the file's time yet (an import
        # interrupted before this version stored it up front) are given it at the end.
        backfill = batch.exported_at is None and batch.rows_done > 0
        if len(scan.ranges) > 1:
            _plan_ranges(batch_id, reader.format, scan.data_rows, scan.ranges, exported_at)
            return set(), True
        ImportBatch.objects.filter(pk=batch_id).update(
            format=reader.format, rows_total=scan.last_row, exported_at=exported_at
        )
        statistics = _Statistics()
        linked: set[int] = set()
        session_ids: set[int] = set()
        try:
            context = BatchContext(
                batch_id=batch_id,
                channel=channel,
                listings=ListingIndex.for_platform(channel.platform),
                windows=ChannelWindows(channel),
                statuses=StatusMappings(channel.platform),
                exported_at=exported_at,
                replace_newer=batch.replace_newer,
            )
            # A resumed batch skips, unparsed, the rows its checkpoint says are written.
            rows = reader.iter_items(start_row=batch.rows_done + 1 if batch.rows_done else 0)
            # Closed explicitly: the reading thread must stop before the file is closed.
            with closing(_read_ahead(_chunks(rows))) as chunks:
                for chunk in chunks:
                    counts = _write_chunk(context, chunk)
                    linked |= counts.linked_order_ids
                    session_ids |= counts.session_ids
                    statistics.wrote(counts.rows_written)
                    # With DEBUG on, Django keeps every query's SQL: keep memory bounded anyway.
                    reset_queries()
            if backfill:
                Order.objects.filter(last_batch_id=batch_id, exported_at__isnull=True).update(
                    exported_at=exported_at
                )
            if linked:
                # The orders an affiliate file names are attributed again (all of them: a run
                # that failed after storing the links must still attribute them), and the
                # batch's counters say where they stand.
                session_ids |= attribute_orders(
                    channel=channel, order_ids=linked, windows=context.windows
                ).session_ids
                named = Order.objects.filter(pk__in=linked)
                ImportBatch.objects.filter(pk=batch_id).update(
                    orders_attributed=named.filter(session__isnull=False).count(),
                    orders_ambiguous=named.filter(attribution=Order.Attribution.AMBIGUOUS).count(),
                )
            statistics.finish()
        except ImportRefused as refusal:
            _refuse(batch_id, refusal)
            return set(), False
        except OperationalError:
            # The database went away (restart, terminated connection): give the batch back to
            # the queue on a fresh connection; the task retries and resumes at the checkpoint.
            # Should this fail too, the periodic sweep re-queues the batch later.
            connection.close()
            ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING).update(
                status=ImportBatch.Status.QUEUED
            )
            raise
        except Exception as error:
            _fail(batch_id, error)
            raise
    return _complete_batch(batch_id, session_ids), False


def _complete_batch(batch_id: int, session_ids: set[int]) -> set[int]:
    """The batch's finishing step, once its rows are all written: its message, its status,
    the change announced, the uploader told of row errors, and the roll-up queued."""
    # Sessions of orders written by an earlier, interrupted attempt of this batch (or by
    # another range's worker).
    session_ids = session_ids | set(
        Order.objects.filter(last_batch_id=batch_id, session__isnull=False)
        .values_list("session_id", flat=True)
        .distinct()
    )
    done = ImportBatch.objects.get(pk=batch_id)
    message = _(
        "%(created)d orders created, %(updated)d updated, %(unchanged)d unchanged; "
        "%(errors)d rows with errors."
    ) % {
        "created": done.orders_created,
        "updated": done.orders_updated,
        "unchanged": done.orders_unchanged,
        "errors": done.error_count,
    }
    if done.orders_unknown_status:
        message += " " + _(
            "%(count)d orders have a status we do not know: map it on the statuses page."
        ) % {"count": done.orders_unknown_status}
    if done.orders_older:
        message += " " + _(
            "%(count)d orders were older than what a newer export gave; the newer values were kept."
        ) % {"count": done.orders_older}
    _finish(batch_id, ImportBatch.Status.SUCCEEDED, message=message)
    announce_orders_changed(Order.objects.filter(last_batch_id=batch_id))
    if done.error_count:
        notify_uploader(batch_id=batch_id)
    if session_ids:
        _queue_roll_up_on_commit(sorted(session_ids))
    return session_ids


def _queue_roll_up_on_commit(session_ids: list[int]) -> None:
    transaction.on_commit(lambda: tasks.recompute_sales_task.delay(session_ids), robust=True)


def _fail(batch_id: int, error: Exception) -> None:
    logger.exception("Import batch %s failed", batch_id)
    _finish(batch_id, ImportBatch.Status.FAILED, message=str(error)[:2000])
    notify_uploader(batch_id=batch_id)


# --- Ranges: one file, several workers --------------------------------------------------------
#
# Why a group of range tasks and a "last range finishes" step rather than a Celery chord: a
# chord needs a result backend and stored results, and the embedded default has neither (the
# filesystem broker, no backend; results are ignored everywhere). A chord's callback also
# counts task results, not ranges written: a range message lost and re-sent by the sweep, or
# delivered twice, would leave its counter short or long. Here the database decides: each
# range is marked done in the transaction that locks the batch's row, so exactly one worker
# sees every range done, whatever messages were lost, duplicated or redelivered, and the sweep
# (``requeue_stale_batches``) or a redelivered message finishes a batch whose finisher died.


def _plan_ranges(
    batch_id: int,
    format_code: str,
    data_rows: int,
    ranges: tuple[RowRange, ...],
    exported_at: dt.datetime,
) -> None:
    """Record the batch's ranges and its export time, and send the ranges once committed."""
    with transaction.atomic():
        created = ImportRange.objects.bulk_create(
            ImportRange(
                batch_id=batch_id,
                position=position,
                start_row=part.start_row,
                end_row=part.end_row,
                start_offset=part.start_offset,
            )
            for position, part in enumerate(ranges, start=1)
        )
        ImportBatch.objects.filter(pk=batch_id).update(
            format=format_code,
            rows_total=data_rows,
            rows_done=0,
            exported_at=exported_at,
            heartbeat_at=timezone.now(),
        )
        _send_ranges_on_commit([part.pk for part in created])
    logger.info("Import batch %s cut into %d ranges", batch_id, len(ranges))


def _send_ranges_on_commit(range_ids: list[int]) -> None:
    """Send the ranges to the ``imports`` queue, as one group, once the transaction commits
    (robust: a broker that is down leaves them queued, and the sweep sends them again)."""
    if not range_ids:
        return

    def send() -> None:
        group(tasks.import_range_task.s(range_id) for range_id in range_ids).apply_async()

    transaction.on_commit(send, robust=True)


class _BatchEnded(Exception):
    """The batch failed or was refused while this range ran: its chunk is not written."""


def run_import_range(*, range_id: int, worker: str = "") -> set[int]:
    """Import one range of a batch cut into ranges, or resume it at its checkpoint; the worker
    that finishes the batch's last range finishes the batch. Safe to run twice.

    ``worker`` names the Celery worker (recorded on the range). Returns the sessions whose
    figures may have changed when this run finished the batch (their roll-up is queued).
    """
    batch_id = ImportRange.objects.filter(pk=range_id).values_list("batch_id", flat=True).first()
    if batch_id is None:
        return set()  # the batch was deleted: nothing to do
    with range_runner_lock(range_id) as runner:
        if not runner:
            return set()  # a live runner has this range
        _run_import_range(range_id, worker)
    # Also when the range was done already: a redelivered message finishes a batch whose
    # finisher died.
    return _finish_ranged_batch(batch_id)


def _run_import_range(range_id: int, worker: str) -> None:
    now = timezone.now()
    # Holding the range's lock, a range still marked running has lost its runner: taken over.
    claimed = ImportRange.objects.filter(
        pk=range_id,
        status__in=[ImportRange.Status.QUEUED, ImportRange.Status.RUNNING],
        batch__status=ImportBatch.Status.RUNNING,
    ).update(
        status=ImportRange.Status.RUNNING,
        started_at=Coalesce(F("started_at"), now),
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=worker[:255],
    )
    if claimed != 1:
        return
    part = ImportRange.objects.select_related("batch__channel").get(pk=range_id)
    batch = part.batch
    channel = batch.channel
    try:
        reader = _open_batch_file(batch)
    except ImportRefused as refusal:
        _refuse(batch.pk, refusal)
        return
    with reader:
        statistics = _Statistics()
        session_ids = set(part.session_ids)
        try:
            context = BatchContext(
                batch_id=batch.pk,
                channel=channel,
                listings=ListingIndex.for_platform(channel.platform),
                windows=ChannelWindows(channel),
                statuses=StatusMappings(channel.platform),
                exported_at=batch.exported_at,
                replace_newer=batch.replace_newer,
            )
            rows = reader.iter_items(
                # Resumed after its checkpoint, else from its first row.
                start_row=part.rows_done + 1 if part.rows_done else part.start_row,
                end_row=part.end_row,
                seek=RowRange(part.start_row, part.end_row, part.start_offset)
                if part.start_offset is not None
                else None,
            )
            with closing(_read_ahead(_chunks(rows))) as chunks:
                for chunk in chunks:
                    counts = _write_range_chunk(context, range_id, chunk, session_ids)
                    statistics.wrote(counts.rows_written)
                    _refresh_batch_progress(batch.pk)
                    reset_queries()
            statistics.finish()
            _close_range(range_id, batch.pk)
        except _BatchEnded:
            return
        except ImportRefused as refusal:
            _refuse(batch.pk, refusal)
            return
        except OperationalError:
            # A lost connection, or a deadlock with another range upserting the same orders
            # (an export that does not list an order's lines together): the range goes back
            # to the queue and the task retries it from its checkpoint.
            connection.close()
            ImportRange.objects.filter(pk=range_id, status=ImportRange.Status.RUNNING).update(
                status=ImportRange.Status.QUEUED
            )
            raise
        except Exception as error:
            _fail(batch.pk, error)
            raise


@transaction.atomic
def _write_range_chunk(
    context: BatchContext, range_id: int, items: list[Item], session_ids: set[int]
) -> ChunkCounts:
    """Write one chunk and move the range's checkpoint and counters past it, atomically.

    The counters go to the range's row, which only its runner writes: the ranges' workers
    never wait for one another on the batch's row.
    """
    counts = write_items(context, items)
    session_ids |= counts.session_ids
    moved = ImportRange.objects.filter(
        pk=range_id, batch__status=ImportBatch.Status.RUNNING
    ).update(
        rows_done=items[-1].row_number,
        heartbeat_at=timezone.now(),
        session_ids=sorted(session_ids),
        **{name: F(name) + getattr(counts, name) for name in COUNTER_FIELDS},
    )
    if moved != 1:
        raise _BatchEnded
    return counts


def _refresh_batch_progress(batch_id: int) -> None:
    """Show the ranges' progress on the batch (rows read, and a sign of life), never waiting:
    a worker that finds the batch's row locked (by another doing the same) leaves it be."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        batches = connection.ops.quote_name(ImportBatch._meta.db_table)
        ranges = connection.ops.quote_name(ImportRange._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {batches} SET heartbeat_at = %s, rows_done = ("  # noqa: S608 - names
                f"  SELECT COALESCE(SUM(rows_read), 0) FROM {ranges} WHERE batch_id = %s)"
                f" WHERE id = (SELECT id FROM {batches} WHERE id = %s AND status = %s"
                "  FOR UPDATE SKIP LOCKED)",
                [now, batch_id, batch_id, ImportBatch.Status.RUNNING],
            )
        return
    done = ImportRange.objects.filter(batch_id=batch_id).aggregate(rows=Sum("rows_read"))["rows"]
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING).update(
        heartbeat_at=now, rows_done=done or 0
    )


def _close_range(range_id: int, batch_id: int) -> None:
    """Mark the range done. The batch's row is locked first, so that of two ranges ending at
    once the second sees the first done: one of them always sees every range done."""
    with transaction.atomic():
        list(ImportBatch.objects.select_for_update().filter(pk=batch_id).values_list("pk"))
        now = timezone.now()
        ImportRange.objects.filter(pk=range_id, status=ImportRange.Status.RUNNING).update(
            status=ImportRange.Status.DONE, finished_at=now, heartbeat_at=now
        )


def _ranges_all_done(batch_id: int) -> bool:
    return (
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING).exists()
        and not ImportRange.objects.filter(batch_id=batch_id)
        .exclude(status=ImportRange.Status.DONE)
        .exists()
    )


def _finish_ranged_batch(batch_id: int) -> set[int]:
    """Finish a batch whose ranges are all done (once: under the batch's lock, and only while
    it is running): its counters are the sum of its ranges', then as any batch."""
    if not _ranges_all_done(batch_id):
        return set()
    with batch_runner_lock(batch_id) as runner:
        if not runner:
            return set()  # its holder looks again once it lets go (see run_import_batch)
        if not _ranges_all_done(batch_id):
            return set()
        ranges = ImportRange.objects.filter(batch_id=batch_id)
        totals = ranges.aggregate(**{name: Coalesce(Sum(name), 0) for name in COUNTER_FIELDS})
        session_ids: set[int] = set()
        for ids in ranges.values_list("session_ids", flat=True):
            session_ids.update(ids)
        ImportBatch.objects.filter(pk=batch_id).update(rows_done=totals["rows_read"], **totals)
        return _complete_batch(batch_id, session_ids)


def _refuse(batch_id: int, refusal: ImportRefused) -> None:
    _finish(
        batch_id,
        ImportBatch.Status.REFUSED,
        message=str(getattr(refusal, "reason", "") or refusal),
        missing_columns=list(getattr(refusal, "missing_columns", None) or []),
    )
    notify_uploader(batch_id=batch_id)


def notify_uploader(*, batch_id: int) -> None:
    """Tell whoever uploaded the file that its import failed, was refused, or left rows out:
    by e-mail in their language, with a link to the import's page."""
    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.uploaded_by is None or not batch.uploaded_by.email:
        return

    def message() -> tuple[str, str]:
        if batch.status == ImportBatch.Status.SUCCEEDED:
            subject = _("Import #%(batch)s of %(file)s: %(count)d rows could not be read") % {
                "batch": batch.pk,
                "file": batch.original_name,
                "count": batch.error_count,
            }
        else:
            subject = _("Import #%(batch)s of %(file)s: %(status)s") % {
                "batch": batch.pk,
                "file": batch.original_name,
                "status": batch.get_status_display(),
            }
        body = "\n\n".join(
            [
                batch.message,
                _("The import's page, with every row error: %(link)s")
                % {"link": absolute_url("orders:import-detail", batch.pk)},
            ]
        )
        return subject, body

    send_email_on_commit(recipients=[batch.uploaded_by.email], render=message)


def _finish(batch_id: int, status: str, **fields: object) -> None:
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING).update(
        status=status, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields
    )


_DONE = object()


def _read_ahead(
    chunks: Iterator[list[Item]], depth: int = READ_AHEAD
) -> Generator[list[Item], None, None]:
    """Yield ``chunks``, parsed by a thread up to ``depth`` chunks ahead of the consumer.

    The thread touches no database. An exception it meets (a refused file) is raised here, in
    order; if the consumer stops early, the thread is told to stop and is waited for, so the
    file is never read after this generator is closed.
    """
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not hand_over(chunk):
                    return
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, raised there
            hand_over(error)
        else:
            hand_over(_DONE)

    thread = threading.Thread(target=produce, name="import-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield cast(list[Item], item)
    finally:
        stop.set()
        thread.join()


def _chunks(items: Iterator[Item]) -> Iterator[list[Item]]:
    """Chunks of about CHUNK_LINES items, cut only where the order id changes.

    Exports list the lines of an order next to each other, so an order is counted once.
    """
    chunk: list[Item] = []
    last_order = None
    for item in items:
        order_id = getattr(item, "order_id", None)
        if len(chunk) >= CHUNK_LINES and order_id != last_order:
            yield chunk
            chunk = []
        chunk.append(item)
        if order_id is not None:
            last_order = order_id
    if chunk:
        yield chunk


@transaction.atomic
def _write_chunk(context: BatchContext, items: list[Item]) -> ChunkCounts:
    """Write one chunk and move the batch's checkpoint and counters past it, atomically."""
    counts = write_items(context, items)
    ImportBatch.objects.filter(pk=context.batch_id).update(
        rows_done=items[-1].row_number,
        heartbeat_at=timezone.now(),
        rows_read=F("rows_read") + counts.rows_read,
        orders_created=F("orders_created") + counts.orders_created,
        orders_updated=F("orders_updated") + counts.orders_updated,
        orders_unchanged=F("orders_unchanged") + counts.orders_unchanged,
        lines_written=F("lines_written") + counts.lines_written,
        lines_matched=F("lines_matched") + counts.lines_matched,
        lines_unmatched=F("lines_unmatched") + counts.lines_unmatched,
        affiliate_links=F("affiliate_links") + counts.affiliate_links,
        error_count=F("error_count") + counts.error_count,
        orders_attributed=F("orders_attributed") + counts.orders_attributed,
        orders_ambiguous=F("orders_ambiguous") + counts.orders_ambiguous,
        orders_unknown_status=F("orders_unknown_status") + counts.orders_unknown_status,
        orders_older=F("orders_older") + counts.orders_older,
    )
    return counts


def requeue_stale_batches(*, older_than: dt.timedelta = STALE_AFTER) -> list[int]:
    """Give back to the queue the batches whose worker died (running, heartbeat stale) and
    re-send those still queued long after upload (the broker was down, or Redis lost its queue
    on a restart). They resume at their checkpoint; a duplicate message is harmless because
    only one run can claim a batch."""
    threshold = timezone.now() - older_than
    requeued = []
    # A batch cut into ranges is given back range by range (below) while any is unfinished;
    # once all are done, a stale one has lost its finisher and is given back whole.
    stale = (
        ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING, heartbeat_at__lt=threshold)
        .exclude(ranges__status__in=[ImportRange.Status.QUEUED, ImportRange.Status.RUNNING])
        .values_list("pk", flat=True)
    )
    for batch_id in list(stale):
        with batch_runner_lock(batch_id) as runner, transaction.atomic():
            if not runner:
                continue  # slow, not dead: its runner still holds the lock
            moved = ImportBatch.objects.filter(
                pk=batch_id, status=ImportBatch.Status.RUNNING, heartbeat_at__lt=threshold
            ).update(status=ImportBatch.Status.QUEUED)
            if moved == 1:
                _queue_on_commit(batch_id)
                requeued.append(batch_id)
    waiting = ImportBatch.objects.filter(
        status=ImportBatch.Status.QUEUED, created_at__lt=threshold, started_at__isnull=True
    ).values_list("pk", flat=True)
    for batch_id in list(waiting):
        _queue_on_commit(batch_id)
        requeued.append(batch_id)
    for batch_id in _requeue_stale_ranges(threshold):
        if batch_id not in requeued:
            requeued.append(batch_id)
    return requeued


def _requeue_stale_ranges(threshold: dt.datetime) -> list[int]:
    """Give back the ranges whose worker died (running, heartbeat stale, lock free), and send
    again the queued ranges of batches that have shown no progress since ``threshold`` (their
    messages lost, or waiting behind a dead worker's prefetch). Returns their batches."""
    batches: list[int] = []
    sent: list[int] = []
    stale = ImportRange.objects.filter(
        status=ImportRange.Status.RUNNING,
        heartbeat_at__lt=threshold,
        batch__status=ImportBatch.Status.RUNNING,
    ).values_list("pk", "batch_id")
    for range_id, batch_id in list(stale):
        with range_runner_lock(range_id) as runner, transaction.atomic():
            if not runner:
                continue  # slow, not dead: its runner still holds the lock
            moved = ImportRange.objects.filter(
                pk=range_id, status=ImportRange.Status.RUNNING, heartbeat_at__lt=threshold
            ).update(status=ImportRange.Status.QUEUED)
            if moved == 1:
                _send_ranges_on_commit([range_id])
                sent.append(range_id)
                batches.append(batch_id)
    waiting = ImportRange.objects.filter(
        status=ImportRange.Status.QUEUED,
        batch__status=ImportBatch.Status.RUNNING,
        batch__heartbeat_at__lt=threshold,
    ).values_list("pk", "batch_id")
    given_back = set(sent)
    for range_id, batch_id in list(waiting):
        if range_id not in given_back:
            _send_ranges_on_commit([range_id])
            batches.append(batch_id)
    return list(dict.fromkeys(batches))
