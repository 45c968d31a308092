"""Thin Celery tasks: ids in, one service call each."""

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="dashboards.tasks.record_channel_sales_task", acks_late=True)
def record_channel_sales_task(channel_id: int, first: str, last: str) -> None:
    # Idempotent (the days' rows are rewritten from the orders), so safe to run again.
    services.record_channel_sales(
        channel_id=channel_id,
        first=dt.datetime.fromisoformat(first),
        last=dt.datetime.fromisoformat(last),
    )
