"""RELIABILITY.md R1 and R2: a worker killed with SIGKILL twenty times during one import.

R1 kills the pool's child, the process running the task, as the OOM killer does: the main
process survives, sees the child lost, rejects the message (``acks_late`` with
``reject_on_worker_lost``) and the broker hands it out again at once. R2 kills the whole worker
(main process and children): nobody is left to hand the message back (Redis would, only after
its ``visibility_timeout``), so the periodic sweep ``requeue_stale_batches``, run by beat, gives
the batch back to the queue once its heartbeat is older than ``STALE_AFTER``.

Every kill lands after the batch has committed a checkpoint beyond the previous kill's and
before the import ends, so the file has more chunks than there are kills. After the last kill
the batch must finish, with its orders, lines, counters and session sales equal to those of an
uninterrupted import of the same file on another channel: no line lost, none duplicated.
"""

import datetime as dt
import importlib
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from catalog.models import Currency, Platform
from devtools.exportgen import ExportConfig, default_skus, write_export
from livestreams.models import Session
from orders import services
from orders.models import ImportBatch, Order, OrderLine, SessionProductSales, SessionSales
from orders.services.imports import CHUNK_LINES, STALE_AFTER
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.livestreams.factories import SessionFactory
from tests.workers import WorkerProcess, finished, wait_for

KILLS = 20
# Two chunks more than kills: the last kill still lands before the import's end.
ROWS = (KILLS + 2) * CHUNK_LINES
SEED = 11
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
# Orders from 18:30 to 21:45 local time: some before, between, inside and after the windows.
EXPORT = ExportConfig(
    platform="tiktok",
    rows=ROWS,
    seed=SEED,
    start=dt.datetime(2025, 5, 20, 18, 30),
    end=dt.datetime(2025, 5, 20, 21, 45),
)
# How long the main process waits for a result from a lost child before it rejects the task
# (Celery's ``worker_lost_wait``, 10 s by default). The recovery path is the same at 1 s; at
# 10 s the twenty kills would add three minutes of waiting.
LOST_WAIT_SECONDS = 1
# A killed child's import must be running again this soon, with no sweep: the wait above, a
# new child, the message delivered again, the file opened again and one chunk written.
CHILD_RESUME_SECONDS = 60
# A restarted worker (with beat) must re-queue and resume the batch this soon once the sweep
# is due: start-up, beat's first tick, the sweep, the import task, one chunk written.
WORKER_RESUME_SECONDS = 90
SWEEP_TASK = "orders.tasks.requeue_stale_batches_task"
# The sessions that receive orders; the rehearsal and the cancelled session never do.
LIVES = ("early live", "late live")

COUNTERS = ("rows_read", "orders_created", "orders_updated", "orders_unchanged", "lines_written",
            "lines_matched", "lines_unmatched", "error_count", "orders_attributed",
            "orders_ambiguous")  # fmt: skip
SALES_FIELDS = ("orders", "units", "buyers", "orders_without_buyer", "gross_gmv", "net_gmv",
                "cancelled_orders", "refunded_amount", "unmatched_lines")  # fmt: skip

# The uninterrupted import's outcome, computed once and shared by R1 and R2 (same file).
_REFERENCE: dict[str, dict] = {}


@pytest.fixture(scope="module")
def export_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("reliability") / "tiktok_orders.csv"
    summary = write_export(path, EXPORT)
    assert summary.rows == ROWS
    return path, summary


@pytest.fixture
def broker(transactional_db):
    """The configured broker, emptied; tasks sent by the test go to it, not run in-process."""
    from commerce_base.celery import app as celery_app

    with celery_app.connection_for_write() as connection:
        for queue in ("default", "imports", "images"):
            connection.default_channel.queue_purge(queue)
    celery_app.conf.task_always_eager = False
    yield celery_app
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def listings(db):
    """Every SKU of the export but one is listed; the last one's lines stay unmatched."""
    skus = default_skus("tiktok", SEED)[:-1]
    return [
        PlatformListingFactory(
            platform=Platform.TIKTOK_SHOP,
            sku_id=sku.sku_id,
            seller_sku=sku.seller_sku,
            product=ProductFactory(name=f"Product {sku.seller_sku}"),
        )
        for sku in skus
    ]


def local(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 5, 20, hour, minute, tzinfo=LOCAL)


def channel_with_sessions(name: str):
    """A channel with two lives whose windows overlap from 20:15 to 20:30 (grace 30 min), a
    rehearsal and a cancelled session: orders go to one, none, or are ambiguous."""
    channel = ChannelFactory(
        name=name,
        platform=Platform.TIKTOK_SHOP,
        currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
        grace_minutes=30,
    )
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


def outcome(channel) -> dict:
    """What an import left for a channel, free of its ids (the buyer hash is keyed by channel,
    so buyers are compared by count)."""
    orders = Order.objects.filter(channel=channel)
    sales = {
        row["session__title"]: {field: row[field] for field in SALES_FIELDS}
        for row in SessionSales.objects.filter(
            session__channel=channel, session__title__in=LIVES
        ).values("session__title", *SALES_FIELDS)
    }
    products = sorted(
        SessionProductSales.objects.filter(
            session__channel=channel, session__title__in=LIVES
        ).values_list(
            "session__title",
            "product__name",
            "seller_sku",
            "orders",
            "units",
            "gross_gmv",
            "net_gmv",
        ),
        key=str,
    )
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
            ),
            key=str,
        ),
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
        ),
        "buyers": orders.exclude(buyer_hash="").values("buyer_hash").distinct().count(),
        "sales": sales,
        "products": products,
    }


def reference(content: bytes) -> dict:
    """The outcome and counters of an uninterrupted import of ``content``, in this process."""
    if "outcome" not in _REFERENCE:
        calm = channel_with_sessions("calm")
        batch = services.create_import_batch(
            channel=calm, upload=SimpleUploadedFile("orders.csv", content)
        )
        services.run_import_batch(batch_id=batch.pk)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
        assert batch.attempts == 1
        services.recompute_session_sales(
            session_ids=Session.objects.filter(channel=calm, title__in=LIVES).values_list(
                "pk", flat=True
            )
        )
        _REFERENCE["outcome"] = outcome(calm)
        _REFERENCE["counters"] = {counter: getattr(batch, counter) for counter in COUNTERS}
    return _REFERENCE


def wait_for_sales(channel, batch: ImportBatch, worker: WorkerProcess) -> None:
    """Wait until the worker has rolled up both lives after the batch finished."""

    def rolled_up() -> bool:
        return SessionSales.objects.filter(
            session__channel=channel,
            session__title__in=LIVES,
            computed_at__gte=batch.finished_at,
        ).count() == len(LIVES)

    assert wait_for(rolled_up, seconds=120), worker.log_tail()


def assert_same_as_uninterrupted(channel, batch: ImportBatch, summary, content: bytes) -> None:
    crashed = outcome(channel)
    # 0 lines lost, 0 duplicated: one row per line of the file, and the same rows as the
    # uninterrupted import, value for value.
    assert len(crashed["lines"]) == summary.rows
    assert len(crashed["orders"]) == summary.orders
    expected = reference(content)
    for key in ("orders", "lines", "buyers", "products"):
        assert crashed[key] == expected["outcome"][key], key
    assert crashed["sales"] == expected["outcome"]["sales"]
    assert set(crashed["sales"]) == set(LIVES)
    assert crashed["sales"]["early live"]["orders"] > 0
    assert crashed["sales"]["late live"]["gross_gmv"] > Decimal(0)
    counters = {counter: getattr(batch, counter) for counter in COUNTERS}
    assert counters == expected["counters"]
    assert not Order.objects.filter(session__title__in=("rehearsal", "cancelled")).exists()


def progressed_past(batch: ImportBatch, checkpoint: int):
    def check() -> bool:
        batch.refresh_from_db()
        return batch.is_finished or batch.rows_done > checkpoint

    return check


def state(batch: ImportBatch) -> str:
    batch.refresh_from_db()
    return f"status {batch.status}, rows_done {batch.rows_done}, attempts {batch.attempts}"


@pytest.mark.integration
def test_killing_the_worker_child_20_times_mid_import_loses_and_duplicates_nothing(
    broker, listings, export_file, tmp_path
):
    """R1: each time, the redelivered task resumes the batch at its checkpoint, with no sweep."""
    path, summary = export_file
    content = path.read_bytes()
    channel = channel_with_sessions("crashed")
    worker = WorkerProcess(
        tmp_path / "worker.log",
        pool="prefork",
        concurrency=1,
        config={"worker.lost_wait": LOST_WAIT_SECONDS},
    ).start()
    try:
        batch = services.create_import_batch(
            channel=channel, upload=SimpleUploadedFile("orders.csv", content)
        )
        checkpoint = 0
        resumed_after: list[float] = []
        for kill in range(1, KILLS + 1):
            seconds = 120 if kill == 1 else CHILD_RESUME_SECONDS
            killed_at = time.monotonic()
            assert wait_for(progressed_past(batch, checkpoint), seconds=seconds, interval=0.02), (
                f"after kill {kill - 1} the batch did not resume within {seconds} s "
                f"({state(batch)}):\n{worker.log_tail()}"
            )
            if kill > 1:
                resumed_after.append(time.monotonic() - killed_at)
            assert not batch.is_finished, f"the file ended before kill {kill}: make it longer"
            checkpoint = batch.rows_done
            worker.kill_child()
            batch.refresh_from_db()
            assert batch.status == ImportBatch.Status.RUNNING
            assert batch.rows_done < summary.rows
        killed_at = time.monotonic()

        assert wait_for(finished(batch), seconds=240), worker.log_tail()
        resumed_after.append(time.monotonic() - killed_at)
        assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
        assert worker.alive, "the main process survives its children"
        # One claim per run: the first, and one after each kill.
        assert batch.attempts == KILLS + 1
        wait_for_sales(channel, batch, worker)
    finally:
        worker.kill_all()
    assert_same_as_uninterrupted(channel, batch, summary, content)
    print(f"R1: resumed after each kill in {max(resumed_after[:-1]):.1f} s at most")


def ensure_the_sweep_schedule() -> PeriodicTask:
    """The sweep's beat schedule as the migration creates it (the flush between transactional
    tests empties the table)."""
    migration = importlib.import_module("orders.migrations.0002_requeue_stale_batches_schedule")
    migration.create_schedule(apps, None)
    return PeriodicTask.objects.select_related("interval").get(task=SWEEP_TASK)


def test_a_dead_workers_batch_is_recovered_in_minutes_not_the_brokers_visibility_timeout(db):
    """R2's bound: the sweep runs every minute and takes a batch back once its heartbeat is
    STALE_AFTER old, while Redis gives an unacknowledged task back only after its visibility
    timeout (longer than the longest task, so that it never hands a running task out twice)."""
    sweep = ensure_the_sweep_schedule()
    assert sweep.enabled
    assert sweep.queue == "imports"
    every = dt.timedelta(**{sweep.interval.period: sweep.interval.every})
    assert every <= dt.timedelta(minutes=1)
    assert STALE_AFTER + every <= dt.timedelta(minutes=3)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if visibility is not None:
        assert visibility > settings.CELERY_TASK_TIME_LIMIT
        assert STALE_AFTER + every < dt.timedelta(seconds=visibility) / 10


@pytest.mark.integration
def test_killing_the_whole_worker_20_times_mid_import_loses_and_duplicates_nothing(
    broker, listings, export_file, tmp_path
):
    """R2: each time a new worker (with beat) starts; the sweep re-queues the batch.

    Waiting for the real two minutes of STALE_AFTER twenty times would take over forty
    minutes: after each kill the batch's heartbeat is moved back by STALE_AFTER and the
    sweep's last run by its interval, exactly as if that time had passed. Everything else is
    the production path: beat in the new worker sends the sweep, the sweep re-queues the batch,
    the worker resumes it at its checkpoint. The recovery is then STALE_AFTER, at most one
    interval of the schedule, and the measured restart (asserted below).
    """
    path, summary = export_file
    content = path.read_bytes()
    sweep = ensure_the_sweep_schedule()
    every = dt.timedelta(**{sweep.interval.period: sweep.interval.every})
    channel = channel_with_sessions("crashed")
    workers = [WorkerProcess(tmp_path / "worker-0.log", pool="prefork", concurrency=1).start()]
    try:
        batch = services.create_import_batch(
            channel=channel, upload=SimpleUploadedFile("orders.csv", content)
        )
        checkpoint = 0
        resumed_after: list[float] = []
        for kill in range(1, KILLS + 1):
            worker = workers[-1]
            seconds = 120 if kill == 1 else WORKER_RESUME_SECONDS
            started_at = time.monotonic()
            assert wait_for(progressed_past(batch, checkpoint), seconds=seconds, interval=0.02), (
                f"after kill {kill - 1} the batch did not resume within {seconds} s "
                f"({state(batch)}):\n{worker.log_tail()}"
            )
            if kill > 1:
                resumed_after.append(time.monotonic() - started_at)
            assert not batch.is_finished, f"the file ended before kill {kill}: make it longer"
            checkpoint = batch.rows_done
            worker.kill_all()
            batch.refresh_from_db()
            assert batch.status == ImportBatch.Status.RUNNING
            assert batch.rows_done < summary.rows

            # The time the sweep waits for passes: the heartbeat is STALE_AFTER old, and the
            # sweep's next run is due.
            ImportBatch.objects.filter(pk=batch.pk).update(
                heartbeat_at=F("heartbeat_at") - STALE_AFTER - dt.timedelta(seconds=1)
            )
            PeriodicTask.objects.filter(pk=sweep.pk).update(last_run_at=timezone.now() - every)
            workers.append(
                WorkerProcess(
                    tmp_path / f"worker-{kill}.log", pool="prefork", concurrency=1, beat=True
                ).start()
            )
        started_at = time.monotonic()

        assert wait_for(finished(batch), seconds=300), workers[-1].log_tail()
        resumed_after.append(time.monotonic() - started_at)
        assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
        assert batch.attempts == KILLS + 1
        wait_for_sales(channel, batch, workers[-1])
    finally:
        for worker in workers:
            worker.kill_all()
    assert_same_as_uninterrupted(channel, batch, summary, content)
    slowest = max(resumed_after[:-1])
    assert slowest < WORKER_RESUME_SECONDS
    # Within minutes: the stale threshold, the schedule's interval, the restart.
    assert STALE_AFTER + every + dt.timedelta(seconds=slowest) < dt.timedelta(minutes=5)
    print(f"R2: a restarted worker resumed the batch in {slowest:.1f} s at most")
