"""Thin Celery tasks: ids in, one service call each."""

from celery import Task, shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="orders.tasks.import_batch_task",
    bind=True,
    # Safe to run twice (claimed by a conditional update, resumed from the checkpoint), so a
    # task whose worker died is re-delivered instead of lost.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=False,
    max_retries=10,
)
def import_batch_task(self: Task[[int], None], batch_id: int) -> None:
    services.run_import_batch(batch_id=batch_id, worker=self.request.hostname or "")


@shared_task(
    name="orders.tasks.import_range_task",
    bind=True,
    # As the batch's task: a range is claimed by a conditional update under its own lock and
    # resumed at its own checkpoint, so a redelivered or duplicated message is harmless. A
    # deadlock between two ranges upserting the same orders is an OperationalError: retried.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=10,
)
def import_range_task(self: Task[[int], None], range_id: int) -> None:
    services.imports.run_import_range(range_id=range_id, worker=self.request.hostname or "")


@shared_task(name="orders.tasks.recompute_sales_task", acks_late=True)
def recompute_sales_task(session_ids: list[int]) -> None:
    services.recompute_session_sales(session_ids=session_ids)


@shared_task(name="orders.tasks.requeue_stale_batches_task")
def requeue_stale_batches_task() -> None:
    services.requeue_stale_batches()


@shared_task(name="orders.tasks.reattribute_session_task", acks_late=True)
def reattribute_session_task(session_id: int) -> None:
    services.reattribute_around_session(session_id=session_id)


@shared_task(name="orders.tasks.reslot_session_task", acks_late=True)
def reslot_session_task(session_id: int) -> None:
    services.reslot_session(session_id=session_id)


@shared_task(name="orders.tasks.reattribute_after_session_deleted_task", acks_late=True)
def reattribute_after_session_deleted_task(
    channel_id: int, session_id: int, chosen_order_ids: list[int] | None = None
) -> None:
    services.reattribute_after_session_deleted(
        channel_id=channel_id, session_id=session_id, chosen_order_ids=chosen_order_ids or []
    )


@shared_task(name="orders.tasks.purge_import_files_task")
def purge_import_files_task() -> None:
    services.purge_import_files()
