from uuid import UUID

from celery import shared_task

from . import services


@shared_task(name="core.tasks.run_system_check_task")
def run_system_check_task(job_id: str) -> None:
    services.run_system_check(job_id=UUID(job_id))


@shared_task(name="core.tasks.ping")
def ping() -> str:
    """Answer from a worker; used to see that the broker and a worker are alive."""
    return "pong"
