"""Import of a platform export: stored file -> batch -> chunks written with set-based upserts.

Each chunk (whole orders, about CHUNK_LINES lines) is written in one transaction together
with the batch's checkpoint (`rows_done`) and counters, so a worker killed at any point
leaves either a chunk fully written and counted or not at all; the re-run skips the rows up
to the checkpoint. Writes are upserts keyed by the database's unique constraints, so even a
re-run from the start would duplicate nothing.
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

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, reset_queries, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Channel
from core.mail import absolute_url, send_email_on_commit

from .. import tasks
from ..importers import AffiliateLink as ExportAffiliateLink
from ..importers import ImportRefused, open_export
from ..importers import OrderLine as ExportLine
from ..importers.base import Item
from ..importers.reader import ExportReader
from ..models import (
    ColumnMapping,
    ImportBatch,
    Order,
    OrderLine,
)
from .attribution import ChannelWindows, attribute_orders
from .chunk_writer import BatchContext, ChunkCounts, write_items
from .locks import batch_runner_lock
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


def run_import_batch(*, batch_id: int) -> set[int]:
    """Import a queued batch, or resume one after its checkpoint. Safe to run twice.

    Returns the sessions whose figures may have changed; their roll-up is queued.
    """
    with batch_runner_lock(batch_id) as runner:
        if not runner:
            return set()  # a live runner has this batch
        return _run_import_batch(batch_id)


def _run_import_batch(batch_id: int) -> set[int]:
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
        return set()
    batch = ImportBatch.objects.select_related("channel").get(pk=batch_id)
    channel = batch.channel
    saved_mapping = ColumnMapping.objects.filter(channel=channel).first()

    def open_file() -> ExportReader:
        return open_export(
            batch.file.path,
            time_zone=channel.time_zone,
            default_currency=channel.currency,
            max_bytes=settings.IMPORT_MAX_FILE_BYTES,
            # A channel with a saved mapping (another platform) is read through it.
            column_mapping=saved_mapping.mapping if saved_mapping else None,
        )

    try:
        reader = open_file()
    except ImportRefused as refusal:
        _refuse(batch_id, refusal)
        return set()
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
            return set()
        ImportBatch.objects.filter(pk=batch_id).update(
            format=reader.format, rows_total=reader.estimated_rows
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
                exported_at=batch.exported_at,
                replace_newer=batch.replace_newer,
            )
            if context.exported_at is None and Order.objects.filter(channel=channel).exists():
                # Orders a newer export may have written exist: this file's own time must be
                # known before its first order is compared with them.
                with open_file() as scan:
                    context.exported_at = _newest_time(scan.iter_items()) or batch.created_at
                ImportBatch.objects.filter(pk=batch_id).update(exported_at=context.exported_at)
            # Else nothing can be newer than the file: its time is learnt while it is read.
            newest: dt.datetime | None = None
            # A resumed batch skips, unparsed, the rows its checkpoint says are written.
            rows = reader.iter_items(start_row=batch.rows_done + 1 if batch.rows_done else 0)
            # Closed explicitly: the reading thread must stop before the file is closed.
            with closing(_read_ahead(_chunks(rows))) as chunks:
                for chunk in chunks:
                    counts = _write_chunk(context, chunk)
                    if context.exported_at is None:
                        newest = max(filter(None, (newest, _newest_time(chunk))), default=None)
                    linked |= counts.linked_order_ids
                    session_ids |= counts.session_ids
                    statistics.wrote(counts.rows_written)
                    # With DEBUG on, Django keeps every query's SQL: keep memory bounded anyway.
                    reset_queries()
            if context.exported_at is None:
                context.exported_at = newest or batch.created_at
                ImportBatch.objects.filter(pk=batch_id).update(exported_at=context.exported_at)
            # Orders written before the file's time was known (this run, or an interrupted one).
            Order.objects.filter(last_batch_id=batch_id, exported_at__isnull=True).update(
                exported_at=context.exported_at
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
            # Sessions of orders written by an earlier, interrupted attempt of this batch.
            session_ids |= set(
                Order.objects.filter(last_batch_id=batch_id, session__isnull=False)
                .values_list("session_id", flat=True)
                .distinct()
            )
            statistics.finish()
        except ImportRefused as refusal:
            _refuse(batch_id, refusal)
            return set()
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
            logger.exception("Import batch %s failed", batch_id)
            _finish(batch_id, ImportBatch.Status.FAILED, message=str(error)[:2000])
            notify_uploader(batch_id=batch_id)
            raise
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
        ids = sorted(session_ids)
        transaction.on_commit(lambda: tasks.recompute_sales_task.delay(ids), robust=True)
    return session_ids


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
    stale = ImportBatch.objects.filter(
        status=ImportBatch.Status.RUNNING, heartbeat_at__lt=threshold
    ).values_list("pk", flat=True)
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
    return requeued
