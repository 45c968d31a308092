"""Writes of the core app: starting and running background jobs."""

import logging
import time
from typing import TYPE_CHECKING, cast
from uuid import UUID, uuid4

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from . import tasks
from .models import Job
from .roles import DOMAIN_APPS
from .types import AnyUser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# How many database round trips the system check times; enough to see a stable figure.
SYSTEM_CHECK_ROUND_TRIPS = 400


@transaction.atomic
def start_system_check(*, requested_by: AnyUser | None) -> Job:
    job = Job.objects.create(
        kind=Job.Kind.SYSTEM_CHECK,
        # Bureau staff are signed in (the page requires it): the user is a User row.
        requested_by=cast("User | None", requested_by),
        message="Waiting for a worker.",
    )
    # A closure, not functools.partial: Django names the callback (its __qualname__) when a
    # robust one fails, as it does while the broker is down. job_id is never rebound.
    job_id = str(job.pk)
    transaction.on_commit(lambda: tasks.run_system_check_task.delay(job_id), robust=True)
    return job


def _report(job_id: UUID, *, done: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(progress_done=done, message=message)


def run_system_check(*, job_id: UUID) -> None:
    """Check the database, storage and cache from the worker, reporting progress as it goes.

    Safe to run twice: only the run that moves the job from queued to running does the work.
    """
    # The model registry through a model's options (the same django.apps.apps): importing
    # django.apps makes the django-stubs plugin load every model module, third-party ones
    # without types included.
    domain_models = [
        model for app in DOMAIN_APPS for model in Job._meta.apps.get_app_config(app).get_models()
    ]
    steps = SYSTEM_CHECK_ROUND_TRIPS // 20 + len(domain_models) + 2
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), progress_total=steps
    )
    if claimed != 1:
        return
    result: dict[str, object] = {}
    done = 0
    try:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for index in range(SYSTEM_CHECK_ROUND_TRIPS):
                cursor.execute("SELECT 1")
                cursor.fetchone()
                if index % 20 == 19:
                    done += 1
                    _report(job_id, done=done, message="Timing database round trips.")
        elapsed = time.perf_counter() - started
        result["database_vendor"] = connection.vendor
        result["database_round_trip_ms"] = round(1000 * elapsed / SYSTEM_CHECK_ROUND_TRIPS, 3)

        counts: dict[str, int] = {}
        for model in domain_models:
            counts[model._meta.label] = model._default_manager.count()
            done += 1
            _report(job_id, done=done, message=f"Counted {model._meta.verbose_name_plural}.")
        result["rows"] = counts

        probe_name = default_storage.save(f"system-check/{uuid4().hex}.txt", ContentFile(b"ok"))
        result["storage_ok"] = default_storage.open(probe_name).read() == b"ok"
        default_storage.delete(probe_name)
        done += 1
        _report(job_id, done=done, message="Checked file storage.")

        cache_key = f"system-check:{job_id}"
        cache.set(cache_key, "ok", 30)
        result["cache_ok"] = cache.get(cache_key) == "ok"
        done += 1
    except Exception as error:
        logger.exception("System check %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=f"Failed: {error}"[:500],
            result=result,
        )
        return
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        progress_done=done,
        message="All checks passed."
        if all(result.get(key) for key in ("storage_ok", "cache_ok"))
        else "Some checks failed.",
        result=result,
    )
