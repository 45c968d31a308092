"""The database drops a worker's connection mid-import (RELIABILITY.md R5): the import goes on
and ends like an uninterrupted one. Workers killed mid-import (R1/R2, once or twenty times,
the child or the whole worker) are tests/orders/test_reliability_worker_kills.py's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Currency, Platform
from devtools.exportgen import ExportConfig, write_export
from orders import services
from orders.models import ImportBatch, Order, OrderLine
from tests.catalog.factories import ChannelFactory
from tests.workers import finished, wait_for

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
