"""Issue #14, scale-out: one big file shared by several workers, range by range.

The planner's scan (order ids and times only) must cut the file where an order ends, cover
every row once, read each CSV range from its byte offset and learn the same export time as
the parsed rows; ranges must be idempotent and resumable like chunks; and a file imported by
two workers, or by two workers one of which is SIGKILLed, must leave exactly what one worker
leaves.
"""

import csv
import datetime as dt
import io
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from catalog.models import Currency, Platform
from devtools.exportgen import ExportConfig, default_skus, write_export
from livestreams.models import Session
from orders import services, tasks
from orders.importers import OrderLine as ExportLine
from orders.importers import open_export
from orders.models import (
    ImportBatch,
    ImportRange,
    Order,
    OrderLine,
    SessionProductSales,
    SessionSales,
)
from orders.services import imports
from orders.services.imports import COUNTER_FIELDS, STALE_AFTER, _newest_time
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.conftest import client_for
from tests.livestreams.factories import SessionFactory
from tests.workers import WorkerProcess, finished, wait_for

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
SAMPLES = sorted(path.name for path in EXPORTS.iterdir())
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 14
LIVES = ("early live", "late live")
SALES_FIELDS = ("orders", "units", "buyers", "orders_without_buyer", "gross_gmv", "net_gmv",
                "cancelled_orders", "refunded_amount", "unmatched_lines")  # fmt: skip


def export_config(rows: int) -> ExportConfig:
    # Orders from 18:30 to 21:45 local time: before, inside, between and after the lives.
    return ExportConfig(
        platform="tiktok",
        rows=rows,
        seed=SEED,
        start=dt.datetime(2025, 5, 20, 18, 30),
        end=dt.datetime(2025, 5, 20, 21, 45),
    )


def items_of(reader, **arguments) -> list:
    return list(reader.iter_items(**arguments))


def read_by_ranges(reader, ranges) -> list:
    items = []
    for part in ranges:
        items += items_of(reader, start_row=part.start_row, end_row=part.end_row, seek=part)
    return items


def order_id(item) -> str | None:
    return getattr(item, "order_id", None)


# --- The planner's scan ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_the_scan_learns_the_same_export_time_as_the_parsed_rows_of_every_sample(name):
    with open_export(EXPORTS / name, time_zone="Asia/Ho_Chi_Minh") as reader:
        items = items_of(reader)
        scan = reader.scan()
    assert scan.newest is not None
    assert scan.newest == _newest_time(items)
    assert scan.data_rows == len(items)
    assert scan.last_row == items[-1].row_number
    assert scan.ranges == ()


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_cut_into_small_ranges_is_read_whole_and_once(name):
    with open_export(EXPORTS / name, time_zone="Asia/Ho_Chi_Minh") as reader:
        items = items_of(reader)
        scan = reader.scan(range_rows=7)
        assert len(scan.ranges) > 5
        assert read_by_ranges(reader, scan.ranges) == items
    csv_file = name.endswith(".csv")
    # CSV ranges after the first are read from their byte offset; XLSX ones skip rows instead.
    assert all((part.start_offset is not None) == csv_file for part in scan.ranges[1:])
    assert scan.ranges[0].start_offset is None


def test_ranges_tile_the_rows_and_are_cut_only_where_the_order_changes(tmp_path):
    path = tmp_path / "orders.csv"
    write_export(path, export_config(3000))
    with open_export(path, time_zone="Asia/Ho_Chi_Minh") as reader:
        items = items_of(reader)
        scan = reader.scan(range_rows=400)
        by_range = [
            items_of(reader, start_row=part.start_row, end_row=part.end_row, seek=part)
            for part in scan.ranges
        ]
    ranges = scan.ranges
    assert 6 <= len(ranges) <= 8
    assert ranges[0].start_row == items[0].row_number
    assert ranges[-1].end_row == items[-1].row_number
    for before, after in zip(ranges, ranges[1:], strict=False):
        assert after.start_row == before.end_row + 1
    for before, after in zip(by_range, by_range[1:], strict=False):
        assert order_id(before[-1]) != order_id(after[0])
        assert len(before) >= 400
    # Every order is in exactly one range.
    orders_by_range = [{order_id(item) for item in part} for part in by_range]
    assert sum(len(orders) for orders in orders_by_range) == len({order_id(i) for i in items})
    assert [item for part in by_range for item in part] == items


class SeekRecorder(io.BytesIO):
    """A file whose seeks are recorded: a range must be read from its offset, not skipped to."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.seeks: list[int] = []

    def seek(self, offset, whence=0):
        if whence == 0:
            self.seeks.append(offset)
        return super().seek(offset, whence)


def test_a_csv_with_newlines_inside_quoted_fields_is_cut_at_true_record_boundaries():
    source = (EXPORTS / "tiktok_orders_gialai.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(source)))
    name = rows[0].index("Product Name")
    for number, row in enumerate(rows[1:]):
        # Every row's product name holds newlines (LF and CRLF), quotes and a delimiter.
        row[name] = f'{row[name]}\nline "two", {number}\r\nthree'
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    content = text.getvalue().encode("utf-8-sig")
    handle = SeekRecorder(content)
    with open_export(handle, time_zone="Asia/Ho_Chi_Minh") as reader:
        items = items_of(reader)
        scan = reader.scan(range_rows=10)
        assert all(isinstance(item, ExportLine) for item in items)
        assert "\nline" in items[0].product_name
        for part in scan.ranges[1:]:
            # The offset is the start of the range's first record, as csv reads it.
            record = next(csv.reader(io.StringIO(content[part.start_offset :].decode())))
            first = items_of(reader, start_row=part.start_row, end_row=part.start_row)[0]
            assert record[rows[0].index("Order ID")].strip() == first.order_id
        handle.seeks.clear()
        assert read_by_ranges(reader, scan.ranges) == items
    assert {part.start_offset for part in scan.ranges[1:]} <= set(handle.seeks)


def test_an_xlsx_range_is_read_by_skipping_rows_and_stops_after_its_last_row():
    with open_export(EXPORTS / "tiktok_orders.xlsx", time_zone="Asia/Ho_Chi_Minh") as reader:
        scan = reader.scan(range_rows=10)
        middle = scan.ranges[2]
        assert middle.start_offset is None
        part = items_of(reader, start_row=middle.start_row, end_row=middle.end_row, seek=middle)
        rows = [item.row_number for item in part]
    assert rows[0] == middle.start_row
    assert rows[-1] <= middle.end_row
    assert len(rows) >= 10


# --- In one process: ranges, idempotency, checkpoints, the sweep, the progress bar ---------------


def channel_with_sessions(name: str):
    """Two lives whose windows overlap from 20:15 to 20:30 (grace 30 min), a rehearsal and a
    cancelled session: orders go to one, none, or are ambiguous."""
    channel = ChannelFactory(
        name=name,
        platform=Platform.TIKTOK_SHOP,
        currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
        grace_minutes=30,
    )

    def local(hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2025, 5, 20, hour, minute, tzinfo=LOCAL)

    for title, start, end, extra in (
        ("early live", local(19), local(20), {}),
        ("late live", local(20, 15), local(21), {"actual_end": local(21, 5)}),
        ("rehearsal", local(19, 30), local(20, 30), {"is_rehearsal": True}),
        ("cancelled", local(20), local(21), {"status": Session.Status.CANCELLED}),
    ):
        SessionFactory(
            title=title,
            channel=channel,
            scheduled_start=start,
            scheduled_end=end,
            **{"status": Session.Status.ENDED, **extra},
        )
    return channel


@pytest.fixture
def listings(db):
    """Every SKU of the export but one is listed; the last one's lines stay unmatched."""
    return [
        PlatformListingFactory(
            platform=Platform.TIKTOK_SHOP,
            sku_id=sku.sku_id,
            seller_sku=sku.seller_sku,
            product=ProductFactory(name=f"Product {sku.seller_sku}"),
        )
        for sku in default_skus("tiktok", SEED)[:-1]
    ]


def outcome(channel) -> dict:
    """What an import left for a channel, free of its ids (buyers compared by count)."""
    orders = Order.objects.filter(channel=channel)
    return {
        "orders": sorted(
            orders.values_list(
                "external_id",
                "status",
                "raw_status",
                "placed_at",
                "paid_at",
                "cancelled_at",
                "order_amount",
                "shipping_fee",
                "refund_amount",
                "attribution",
                "session__title",
                "exported_at",
            ),
            key=str,
        ),  # fmt: skip
        "lines": sorted(
            OrderLine.objects.filter(order__channel=channel).values_list(
                "order__external_id",
                "external_line_id",
                "sku_id",
                "seller_sku",
                "quantity",
                "returned_quantity",
                "unit_price",
                "line_value",
                "refund_amount",
                "product__name",
            ),
            key=str,
        ),  # fmt: skip
        "buyers": orders.exclude(buyer_hash="").values("buyer_hash").distinct().count(),
    }


def sales(channel) -> dict:
    figures = {
        row["session__title"]: {field: row[field] for field in SALES_FIELDS}
        for row in SessionSales.objects.filter(
            session__channel=channel, session__title__in=LIVES
        ).values("session__title", *SALES_FIELDS)
    }
    products = sorted(
        SessionProductSales.objects.filter(
            session__channel=channel, session__title__in=LIVES
        ).values_list("session__title", "product__name", "orders", "units", "gross_gmv"),
        key=str,
    )
    return {"sessions": figures, "products": products}


def counters(batch: ImportBatch) -> dict:
    return {name: getattr(batch, name) for name in COUNTER_FIELDS}


def import_in_process(channel, content: bytes) -> ImportBatch:
    """Upload and import in this process (tasks run eagerly once the upload commits)."""
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile("orders.csv", content), force=True
    )
    batch.refresh_from_db()
    return batch


def single_path_reference(channel_name: str, content: bytes, settings) -> tuple:
    """The outcome of the one-worker path (no ranges) in this process."""
    settings.IMPORT_RANGE_LINES = 10**9
    channel = channel_with_sessions(channel_name)
    batch = import_in_process(channel, content)
    if batch.status == ImportBatch.Status.QUEUED:
        # Tasks go to the broker (no worker yet): the import and its roll-up run here, and the
        # import's message, once a worker takes it, finds the batch finished.
        services.run_import_batch(batch_id=batch.pk)
        services.recompute_session_sales(
            session_ids=list(channel.sessions.values_list("pk", flat=True))
        )
        batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert not batch.ranges.exists()
    return channel, batch


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "orders.csv"
    summary = write_export(path, export_config(6000))
    return path.read_bytes(), summary


@pytest.fixture
def content(export) -> bytes:
    return export[0]


def test_a_file_cut_into_ranges_leaves_what_the_single_path_leaves(
    transactional_db, listings, content, settings
):
    single_channel, single = single_path_reference("single", content, settings)
    settings.IMPORT_RANGE_LINES = 1000
    channel = channel_with_sessions("ranges")

    batch = import_in_process(channel, content)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    ranges = list(batch.ranges.all())
    assert 5 <= len(ranges) <= 7
    assert {part.status for part in ranges} == {ImportRange.Status.DONE}
    assert all(part.rows_done == part.end_row for part in ranges)
    assert counters(batch) == counters(single)
    assert batch.rows_done == batch.rows_total == batch.rows_read
    assert batch.exported_at == single.exported_at is not None
    assert batch.message == single.message
    assert outcome(channel) == outcome(single_channel)
    assert sales(channel) == sales(single_channel)
    assert sales(channel)["sessions"]["early live"]["orders"] > 0


def test_a_foreground_run_with_no_worker_imports_every_range_itself(
    db, listings, content, settings
):
    """The import_orders command runs the batch in its own process: with nobody to send the
    ranges to (no commit, so no message), the runner takes them all and finishes the batch."""
    settings.IMPORT_RANGE_LINES = 1000
    channel = channel_with_sessions("foreground")
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile("orders.csv", content)
    )

    session_ids = services.run_import_batch(batch_id=batch.pk, worker="here")

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert set(batch.ranges.values_list("worker", flat=True)) == {"here"}
    assert batch.ranges.count() >= 5
    assert session_ids == set(
        Session.objects.filter(channel=channel, title__in=LIVES).values_list("pk", flat=True)
    )


class Killed(BaseException):
    """Stands for SIGKILL: no handler of the import runs (they catch Exception)."""


@pytest.fixture
def held_ranges(monkeypatch):
    """Ranges are recorded when sent instead of going to the broker, and the batch's runner
    takes none itself: the test runs them."""
    sent: list[int] = []
    monkeypatch.setattr(imports, "_send_ranges_on_commit", sent.extend)
    monkeypatch.setattr(imports, "_take_ranges", lambda batch_id, worker: set())
    return sent


def test_running_a_range_twice_or_from_its_checkpoint_writes_nothing_twice(
    transactional_db, listings, content, settings, monkeypatch, held_ranges
):
    single_channel, single = single_path_reference("single", content, settings)
    settings.IMPORT_RANGE_LINES = 2000
    monkeypatch.setattr(imports, "CHUNK_LINES", 500)
    channel = channel_with_sessions("ranges")
    batch = import_in_process(channel, content)
    assert batch.status == ImportBatch.Status.RUNNING
    first, second, *rest = ImportRange.objects.filter(batch=batch).order_by("position")
    assert held_ranges == [first.pk, second.pk, *(part.pk for part in rest)]

    # The first range, twice: the second run claims nothing and writes nothing.
    services.imports.run_import_range(range_id=first.pk)
    first.refresh_from_db()
    written = (OrderLine.objects.filter(order__channel=channel).count(), counters(first))
    services.imports.run_import_range(range_id=first.pk)
    first.refresh_from_db()
    assert first.attempts == 1
    assert (OrderLine.objects.filter(order__channel=channel).count(), counters(first)) == written

    # The second range's worker dies after its first chunk's checkpoint.
    real_refresh = imports._refresh_batch_progress

    def die_after_first_chunk(batch_id):
        real_refresh(batch_id)
        raise Killed

    monkeypatch.setattr(imports, "_refresh_batch_progress", die_after_first_chunk)
    with pytest.raises(Killed):
        services.imports.run_import_range(range_id=second.pk)
    monkeypatch.setattr(imports, "_refresh_batch_progress", real_refresh)
    second.refresh_from_db()
    assert second.status == ImportRange.Status.RUNNING
    assert second.start_row < second.rows_done < second.end_row
    assert second.rows_read < second.end_row - second.start_row + 1

    # Taken over at the checkpoint; then the rest, in reverse order.
    services.imports.run_import_range(range_id=second.pk)
    second.refresh_from_db()
    assert second.status == ImportRange.Status.DONE
    assert second.attempts == 2
    for part in reversed(rest):
        services.imports.run_import_range(range_id=part.pk)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert counters(batch) == counters(single)
    assert outcome(channel) == outcome(single_channel)
    # Running a range of the finished batch again changes nothing.
    services.imports.run_import_range(range_id=second.pk)
    batch.refresh_from_db()
    assert counters(batch) == counters(single)


def test_the_sweep_gives_back_a_dead_workers_range_and_resends_waiting_ones(
    transactional_db, listings, content, settings, monkeypatch, held_ranges
):
    settings.IMPORT_RANGE_LINES = 2000
    monkeypatch.setattr(imports, "CHUNK_LINES", 500)
    batch = import_in_process(channel_with_sessions("ranges"), content)
    first, second, *rest = ImportRange.objects.filter(batch=batch).order_by("position")

    def die(batch_id):
        raise Killed

    monkeypatch.setattr(imports, "_refresh_batch_progress", die)
    with pytest.raises(Killed):
        services.imports.run_import_range(range_id=first.pk)
    held_ranges.clear()
    # Not stale yet: nothing is given back.
    assert services.requeue_stale_batches() == []
    assert held_ranges == []

    old = STALE_AFTER + dt.timedelta(seconds=1)
    ImportRange.objects.filter(pk=first.pk).update(heartbeat_at=F("heartbeat_at") - old)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=F("heartbeat_at") - old)
    assert services.requeue_stale_batches() == [batch.pk]
    first.refresh_from_db()
    assert first.status == ImportRange.Status.QUEUED
    # The dead worker's range, and the ranges still waiting for a worker.
    assert sorted(held_ranges) == sorted([first.pk, second.pk, *(part.pk for part in rest)])
    # The batch itself is not given back while its ranges are unfinished.
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING


def test_the_import_page_shows_the_progress_of_the_ranges(
    transactional_db, listings, export, settings, held_ranges, bureau_staff
):
    content, summary = export
    settings.IMPORT_RANGE_LINES = 2000
    batch = import_in_process(channel_with_sessions("ranges"), content)
    first = ImportRange.objects.filter(batch=batch).order_by("position").first()
    services.imports.run_import_range(range_id=first.pk)
    first.refresh_from_db()

    state = client_for(bureau_staff).get(reverse("orders:import-status", args=[batch.pk])).json()

    assert state["done"] == first.rows_read > 0
    batch.refresh_from_db()
    assert state["total"] == batch.rows_total == summary.rows
    assert 0 < state["percent"] < 100
    assert not state["finished"]
    api = client_for(bureau_staff).get(f"/api/v1/imports/{batch.pk}/").json()
    assert api["rows_done"] == first.rows_read


# --- Real workers on PostgreSQL and Redis -----------------------------------------------------


@pytest.fixture
def broker(transactional_db):
    """The configured broker, emptied; tasks sent by the test go to it, not run in-process."""
    from django.db import connection

    from commerce_base.celery import app as celery_app

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("workers sharing a file need PostgreSQL and Redis; CI runs this on them")
    with celery_app.connection_for_write() as broker_connection:
        for queue in ("default", "imports", "images"):
            broker_connection.default_channel.queue_purge(queue)
    celery_app.conf.task_always_eager = False
    yield celery_app
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def start_workers(
    tmp_path, count: int, monkeypatch, range_lines: int, first: int = 1
) -> list[WorkerProcess]:
    """Workers named w1@ranges, w2@ranges...: a range records the one that ran it."""
    monkeypatch.setenv("IMPORT_RANGE_LINES", str(range_lines))
    return [
        WorkerProcess(tmp_path / f"worker-{n}.log", hostname=f"w{n}@ranges").start()
        for n in range(first, first + count)
    ]


def wait_for_sales(channel, batch: ImportBatch, workers) -> None:
    def rolled_up() -> bool:
        return SessionSales.objects.filter(
            session__channel=channel, session__title__in=LIVES, computed_at__gte=batch.finished_at
        ).count() == len(LIVES)

    assert wait_for(rolled_up, seconds=120), workers[-1].log_tail()


def logs(workers) -> str:
    return "\n".join(worker.log_tail() for worker in workers)


def import_with_workers(name, content, workers) -> tuple:
    channel = channel_with_sessions(name)
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile("orders.csv", content), force=True
    )
    assert wait_for(finished(batch), seconds=300), logs(workers)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    wait_for_sales(channel, batch, workers)
    return channel, batch


INTEGRATION_ROWS = 24_000


@pytest.mark.integration
def test_one_file_imported_by_one_worker_and_by_two_gives_the_same_tables_and_figures(
    broker, listings, tmp_path, monkeypatch, settings
):
    path = tmp_path / "orders.csv"
    summary = write_export(path, export_config(INTEGRATION_ROWS))
    content = path.read_bytes()
    workers = start_workers(tmp_path, 1, monkeypatch, range_lines=4000)
    try:
        one_channel, one = import_with_workers("one worker", content, workers)
        workers += start_workers(tmp_path, 1, monkeypatch, range_lines=4000, first=2)
        two_channel, two = import_with_workers("two workers", content, workers)
    finally:
        for worker in workers:
            worker.kill_all()

    assert one.ranges.count() == two.ranges.count() >= 5
    assert set(one.ranges.values_list("worker", flat=True)) == {"w1@ranges"}
    # Each of the two workers ran at least one range.
    assert set(two.ranges.values_list("worker", flat=True)) == {"w1@ranges", "w2@ranges"}
    assert counters(one) == counters(two)
    assert one.rows_read == summary.rows
    assert outcome(one_channel) == outcome(two_channel)
    assert len(outcome(two_channel)["lines"]) == summary.rows
    assert sales(one_channel) == sales(two_channel)
    assert sales(two_channel)["sessions"]["late live"]["gross_gmv"] > Decimal(0)


@pytest.mark.integration
def test_sigkill_of_one_of_two_workers_mid_import_still_gives_every_line_once(
    broker, listings, tmp_path, monkeypatch, settings
):
    """The killed worker's range is taken over by the other, through the sweep: its heartbeat
    is moved back by STALE_AFTER (as R2 does), exactly as if that time had passed."""
    path = tmp_path / "orders.csv"
    summary = write_export(path, export_config(40_000))
    content = path.read_bytes()
    reference_channel, reference = single_path_reference("reference", content, settings)
    settings.IMPORT_RANGE_LINES = 10_000
    workers = start_workers(tmp_path, 2, monkeypatch, range_lines=10_000)
    by_name = {"w1@ranges": workers[0], "w2@ranges": workers[1]}
    try:
        channel = channel_with_sessions("killed")
        batch = services.create_import_batch(
            channel=channel, upload=SimpleUploadedFile("orders.csv", content), force=True
        )

        def checkpointed_mid_range():
            # A range with a checkpoint inside it: its worker is killed mid-range.
            return (
                ImportRange.objects.filter(
                    batch=batch, status=ImportRange.Status.RUNNING, rows_done__gt=0
                )
                .exclude(rows_done=F("end_row"))
                .first()
            )

        victim_range = wait_for(checkpointed_mid_range, seconds=120, interval=0.02)
        assert victim_range, logs(workers)
        victim = by_name[victim_range.worker]
        victim.kill_all()
        survivor = next(worker for worker in workers if worker is not victim)
        victim_range.refresh_from_db()
        assert victim_range.status == ImportRange.Status.RUNNING
        assert victim_range.rows_done < victim_range.end_row

        # STALE_AFTER passes for the dead worker's range; the sweep runs on the survivor.
        ImportRange.objects.filter(pk=victim_range.pk).update(
            heartbeat_at=F("heartbeat_at") - STALE_AFTER - dt.timedelta(seconds=1)
        )

        def taken_over() -> bool:
            victim_range.refresh_from_db()
            if victim_range.attempts >= 2 or victim_range.status == ImportRange.Status.DONE:
                return True
            tasks.requeue_stale_batches_task.delay()
            time.sleep(1)
            return False

        assert wait_for(taken_over, seconds=120, interval=0.5), survivor.log_tail()
        assert wait_for(finished(batch), seconds=300), survivor.log_tail()
        assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
        wait_for_sales(channel, batch, [survivor])
    finally:
        for worker in workers:
            worker.kill_all()

    victim_range.refresh_from_db()
    assert victim_range.status == ImportRange.Status.DONE
    assert victim_range.attempts == 2
    assert victim_range.worker == next(n for n, w in by_name.items() if w is survivor)
    lines = outcome(channel)["lines"]
    assert len(lines) == summary.rows
    assert len(set(lines)) == summary.rows
    assert outcome(channel) == outcome(reference_channel)
    assert counters(batch) == counters(reference)
    assert sales(channel) == sales(reference_channel)
