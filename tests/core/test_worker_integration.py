"""A real `celery worker` process runs a task through the configured broker.

In CI the broker is Redis and the database PostgreSQL (REDIS_URL, DATABASE_URL); on the quick
default it is the filesystem broker and SQLite. Either way nothing is mocked: the task crosses
the broker to another process, and its result is read back from the database.
"""

import os

import pytest
from django.conf import settings
from django.db import connection

from core import services
from core.models import Job
from tests.workers import finished, wait_for


@pytest.mark.integration
def test_a_worker_process_runs_the_job_through_the_broker_and_writes_to_the_database(
    celery_worker_process, bureau_staff
):
    job = services.start_system_check(requested_by=bureau_staff)

    assert wait_for(finished(job), seconds=90), celery_worker_process.log_tail()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.started_at is not None
    assert job.progress_done == job.progress_total > 0
    # The worker saw the same database as this test.
    assert job.result["database_vendor"] == connection.vendor
    assert celery_worker_process.alive, "the worker must still be running"
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    assert broker == ("redis" if os.environ.get("REDIS_URL") else "filesystem")
