"""One live runner per import batch: a batch whose runner died is taken over at once by the
next delivery of its task; a batch whose runner is alive is left to it, by tasks and sweep."""

import datetime as dt
import fcntl
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection

from orders import services
from orders.models import ImportBatch, Order
from orders.services.locks import _NAMESPACE, sqlite_lock_path

from .conftest import read_rows, upload

pytestmark = pytest.mark.django_db
SAMPLE = "tiktok_orders_gialai.csv"


@contextmanager
def runner_alive_elsewhere(batch_id: int):
    """Hold the batch's runner lock as another worker process would: its own connection to
    PostgreSQL, or its own open file description of the lock file."""
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        other = psycopg2.connect(**params)
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_NAMESPACE, batch_id])
        try:
            yield
        finally:
            other.close()
        return
    with open(sqlite_lock_path(batch_id), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield


def queued_batch(channel) -> ImportBatch:
    # No on-commit callback runs: the test delivers the task itself.
    return services.create_import_batch(channel=channel, upload=upload(SAMPLE))


def test_a_batch_left_running_by_a_dead_runner_is_taken_over_by_the_next_delivery(tiktok_channel):
    batch = queued_batch(tiktok_channel)
    # What a worker child killed mid-import leaves: running, fresh heartbeat, no live runner.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, attempts=1, heartbeat_at=dt.datetime.now(dt.UTC)
    )
    services.run_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.attempts == 2
    assert Order.objects.count() == len({r["Order ID"] for r in read_rows(SAMPLE)})


def test_a_delivery_while_the_runner_is_alive_does_nothing(tiktok_channel):
    batch = queued_batch(tiktok_channel)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    with runner_alive_elsewhere(batch.pk):
        assert services.run_import_batch(batch_id=batch.pk) == set()
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (ImportBatch.Status.RUNNING, 1)
    assert not Order.objects.exists()


def test_the_sweep_leaves_a_slow_batch_to_its_live_runner(tiktok_channel):
    batch = queued_batch(tiktok_channel)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, heartbeat_at=long_ago, started_at=long_ago
    )
    with runner_alive_elsewhere(batch.pk):
        assert services.requeue_stale_batches() == []
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.RUNNING
    # Once the runner is gone, the same sweep gives the batch back to the queue.
    assert services.requeue_stale_batches() == [batch.pk]
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.QUEUED
