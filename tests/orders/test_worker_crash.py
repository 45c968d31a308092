"""A worker killed mid-import (SIGKILL): the batch is re-run and ends exactly like an
uninterrupted import of the same file (RELIABILITY.md R1/R2)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Currency, Platform
from devtools.exportgen import ExportConfig, write_export
from orders import services
from orders.models import ImportBatch, Order, OrderLine
from tests.catalog.factories import ChannelFactory
from tests.workers import WorkerProcess, finished, wait_for

ROWS = 60_000


def snapshot(channel) -> tuple[set, set]:
    orders = set(
        Order.objects.filter(channel=channel).values_list(
            "external_id", "status", "placed_at", "order_amount", "refund_amount", "buyer_hash"
        )
    )
    lines = set(
        OrderLine.objects.filter(order__channel=channel).values_list(
            "order__external_id", "external_line_id", "quantity", "returned_quantity",
            "line_value", "refund_amount", "product_id",
        )
    )  # fmt: skip
    return orders, lines


COUNTERS = ("rows_read", "orders_created", "orders_updated", "orders_unchanged", "lines_written",
            "lines_matched", "lines_unmatched", "error_count")  # fmt: skip


@pytest.mark.integration
def test_a_batch_whose_worker_was_killed_resumes_and_matches_an_uninterrupted_import(
    celery_worker_process, tmp_path
):
    export = tmp_path / "tiktok_big.csv"
    write_export(export, ExportConfig(platform="tiktok", rows=ROWS, seed=7))
    content = export.read_bytes()
    crashed_channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, currency=Currency.VND)
    calm_channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, currency=Currency.VND)

    batch = services.create_import_batch(
        channel=crashed_channel, upload=SimpleUploadedFile("big.csv", content)
    )

    def midway():
        batch.refresh_from_db()
        return batch.status == ImportBatch.Status.RUNNING and batch.rows_done > 0

    assert wait_for(midway, seconds=120, interval=0.02), celery_worker_process.log_tail()
    celery_worker_process.kill()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    assert 0 < batch.rows_done < ROWS, "the kill must land in the middle of the import"

    # What the periodic sweep does once the heartbeat is stale (two minutes in production).
    replacement = WorkerProcess(tmp_path / "worker2.log").start()
    try:
        assert services.requeue_stale_batches(older_than=dt.timedelta(0)) == [batch.pk]

        assert wait_for(finished(batch), seconds=240), replacement.log_tail()
    finally:
        replacement.stop()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.attempts == 2

    calm = services.create_import_batch(
        channel=calm_channel, upload=SimpleUploadedFile("big.csv", content)
    )
    services.run_import_batch(batch_id=calm.pk)
    calm.refresh_from_db()
    assert calm.status == ImportBatch.Status.SUCCEEDED

    crashed_orders, crashed_lines = snapshot(crashed_channel)
    calm_orders, calm_lines = snapshot(calm_channel)
    # The buyer hash is keyed by channel, so it is compared by count, the rest as it is.
    assert {o[:5] for o in crashed_orders} == {o[:5] for o in calm_orders}
    assert len({o[5] for o in crashed_orders}) == len({o[5] for o in calm_orders})
    assert crashed_lines == calm_lines
    assert len(crashed_lines) == OrderLine.objects.filter(order__channel=crashed_channel).count()
    for counter in COUNTERS:
        assert getattr(batch, counter) == getattr(calm, counter), counter


@pytest.mark.integration
def test_an_import_survives_the_database_dropping_the_workers_connection(
    celery_worker_process, tmp_path
):
    """RELIABILITY R5: pg_terminate_backend on the worker's connection, several times."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend exists on PostgreSQL only; CI runs this on it")
    export = tmp_path / "tiktok_big.csv"
    write_export(export, ExportConfig(platform="tiktok", rows=ROWS, seed=8))
    content = export.read_bytes()
    channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, currency=Currency.VND)
    calm_channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, currency=Currency.VND)
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile("b.csv", content)
    )

    terminated = 0
    last_rows_done = 0
    while terminated < 3:

        def progressed(since=last_rows_done):
            batch.refresh_from_db()
            return batch.is_finished or batch.rows_done > since

        assert wait_for(progressed, seconds=120, interval=0.02), celery_worker_process.log_tail()
        if batch.is_finished:
            break
        last_rows_done = batch.rows_done
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            terminated += cursor.fetchone()[0] > 0

    assert wait_for(finished(batch), seconds=240), celery_worker_process.log_tail()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert terminated >= 1, "the import must have been interrupted at least once"
    assert celery_worker_process.alive

    calm = services.create_import_batch(
        channel=calm_channel, upload=SimpleUploadedFile("b.csv", content)
    )
    services.run_import_batch(batch_id=calm.pk)
    calm.refresh_from_db()
    crashed_orders, crashed_lines = snapshot(channel)
    calm_orders, calm_lines = snapshot(calm_channel)
    assert {o[:5] for o in crashed_orders} == {o[:5] for o in calm_orders}
    assert crashed_lines == calm_lines
    for counter in COUNTERS:
        assert getattr(batch, counter) == getattr(calm, counter), counter
