"""RELIABILITY.md R9: the same batch enqueued twice, with two workers: exactly one does the work.

Both messages wait in the broker before two real worker processes start together, so each
worker takes one and both try to claim the batch at about the same moment. The claim is a
conditional update (queued -> running): one run imports the file, the other finds the batch
claimed and returns. The batch's counters must be those of one run, the rows those of the file
once, and the batch claimed once.
"""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Currency, Platform
from devtools.exportgen import ExportConfig, write_export
from orders import services
from orders.models import ImportBatch, Order, OrderLine
from orders.tasks import import_batch_task
from tests.catalog.factories import ChannelFactory
from tests.workers import WorkerProcess, wait_for

ROWS = 12_000


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


def import_runs(worker: WorkerProcess) -> list[tuple[str, float]]:
    """(task id, seconds) of each import task the worker finished, from its log."""
    return [
        (task_id, float(seconds))
        for task_id, seconds in re.findall(
            r"orders\.tasks\.import_batch_task\[([0-9a-f-]+)\] succeeded in ([0-9.]+)s",
            worker.log_path.read_text(),
        )
    ]


@pytest.mark.integration
def test_the_same_batch_enqueued_twice_with_two_workers_is_imported_once(broker, tmp_path):
    export = tmp_path / "orders.csv"
    summary = write_export(export, ExportConfig(platform="tiktok", rows=ROWS, seed=31))
    channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, currency=Currency.VND)

    # No worker runs yet: the upload's message and a second one for the same batch (a user's
    # double submit, a sweep racing a slow broker) both wait in the queue.
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile("orders.csv", export.read_bytes())
    )
    import_batch_task.delay(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED

    workers = [
        WorkerProcess(tmp_path / f"worker-{name}.log", hostname=f"{name}@%h").start()
        for name in ("first", "second")
    ]
    try:

        def both_delivered() -> bool:
            batch.refresh_from_db()
            return batch.is_finished and all(import_runs(worker) for worker in workers)

        assert wait_for(both_delivered, seconds=240), "\n".join(w.log_tail() for w in workers)
    finally:
        for worker in workers:
            worker.stop()

    # Each worker took one message: the two runs really competed for the batch.
    runs = [import_runs(worker) for worker in workers]
    assert [len(worker_runs) for worker_runs in runs] == [1, 1], runs
    assert runs[0][0][0] != runs[1][0][0], "two messages, not one delivered twice"
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.attempts == 1, "claimed by one run only"

    # The counters of one run, and the file's rows once.
    assert batch.rows_read == summary.rows
    assert batch.lines_written == summary.rows
    assert batch.orders_created == summary.orders
    assert (batch.orders_updated, batch.orders_unchanged, batch.error_count) == (0, 0, 0)
    assert batch.lines_matched + batch.lines_unmatched == summary.rows
    assert OrderLine.objects.filter(order__channel=channel).count() == summary.rows
    assert Order.objects.filter(channel=channel).count() == summary.orders
    assert Order.objects.filter(channel=channel).exclude(last_batch=batch).count() == 0
