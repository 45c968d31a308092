"""A real `celery worker` process runs a task through the configured broker.

In CI the broker is Redis and the database PostgreSQL (REDIS_URL, DATABASE_URL); on the quick
default it is the filesystem broker and SQLite. Either way nothing is mocked: the task crosses
the broker to another process, and its result is read back from the database.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from commerce_base.celery import app as celery_app
from core import services
from core.models import Job

PROJECT_DIR = Path(__file__).resolve().parents[2]


def database_url_of_the_test_database() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] or ""
    if database["PASSWORD"]:
        credentials += f":{database['PASSWORD']}"
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    celery_app.control.purge()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commerce_base.settings.test",
        "DATABASE_URL": database_url_of_the_test_database(),
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "commerce_base", "worker",
            "--queues", "default,imports,images", "--pool", "solo", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def wait_for(predicate, *, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    return predicate()


@pytest.mark.integration
def test_a_worker_process_runs_the_job_through_the_broker_and_writes_to_the_database(
    celery_worker_process, bureau_staff, tmp_path
):
    job = services.start_system_check(requested_by=bureau_staff)

    def finished():
        job.refresh_from_db()
        return job.is_finished

    assert wait_for(finished, seconds=90), (tmp_path / "worker.log").read_text()[-3000:]
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.started_at is not None
    assert job.progress_done == job.progress_total > 0
    # The worker saw the same database as this test: it counted the users created here.
    assert job.result["database_vendor"] == connection.vendor
    assert celery_worker_process.poll() is None, "the worker must still be running"
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    assert broker == ("redis" if os.environ.get("REDIS_URL") else "filesystem")
