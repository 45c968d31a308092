"""Thin Celery tasks: one service call each, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def send_due_reminders_task() -> int:
    """Run by Celery beat (every five minutes, editable in the admin's periodic tasks)."""
    return services.send_due_reminders()
