"""Thin Celery tasks: ids in, one service call each."""

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


# Idempotent (the days' rows are rewritten from the orders), so safe to run again: re-delivered
# when its worker dies, retried when the database connection is lost.
@shared_task(
    name="dashboards.tasks.record_channel_sales_task",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def record_channel_sales_task(channel_id: int, first: str, last: str) -> None:
    services.record_channel_sales(
        channel_id=channel_id,
        first=dt.datetime.fromisoformat(first),
        last=dt.datetime.fromisoformat(last),
    )
