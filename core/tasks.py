import smtplib
from uuid import UUID

from celery import shared_task
from django.core.mail import send_mail

from . import services


@shared_task(name="core.tasks.run_system_check_task")
def run_system_check_task(job_id: str) -> None:
    services.run_system_check(job_id=UUID(job_id))


@shared_task(name="core.tasks.ping")
def ping() -> str:
    """Answer from a worker; used to see that the broker and a worker are alive."""
    return "pong"


@shared_task(
    name="core.tasks.send_email_task",
    # The mail server may be down or refuse for a while: try again, longer and longer apart.
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
)
def send_email_task(subject: str, body: str, address: str) -> None:
    # One recipient per task, so that a retry never sends twice to the others.
    send_mail(subject, body, None, [address])
