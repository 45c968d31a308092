"""A background job started from the web reports its progress and its result."""

import pytest
from django.urls import reverse

from core.models import Job

pytestmark = pytest.mark.django_db


def test_staff_start_the_system_check_and_watch_it_complete(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("system-check"))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job-detail", args=[job.pk])

    page = staff_client.get(response["Location"])
    assert b"data-job-progress" in page.content

    status = staff_client.get(reverse("job-status", args=[job.pk])).json()
    assert status["status"] == "succeeded"
    assert status["finished"] is True
    assert status["done"] == status["total"] > 0
    assert status["percent"] == 100
    assert status["result"]["storage_ok"] is True
    assert status["result"]["cache_ok"] is True
    assert status["result"]["rows"]["catalog.Product"] == 0


def test_a_queued_job_reports_zero_progress_until_a_worker_takes_it(staff_client):
    # Without executing on-commit callbacks nothing reaches the broker: the job waits.
    staff_client.post(reverse("system-check"))
    job = Job.objects.get()
    status = staff_client.get(reverse("job-status", args=[job.pk])).json()
    assert status["status"] == "queued"
    assert status["finished"] is False
    assert status["percent"] == 0


def test_running_the_job_twice_does_the_work_once(bureau_staff):
    from core import services

    job = Job.objects.create(kind=Job.Kind.SYSTEM_CHECK, requested_by=bureau_staff)
    services.run_system_check(job_id=job.pk)
    job.refresh_from_db()
    finished_at = job.finished_at
    services.run_system_check(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.finished_at == finished_at


def test_other_roles_cannot_start_or_see_staff_jobs(coop_client, bureau_staff):
    assert coop_client.post(reverse("system-check")).status_code == 404
    job = Job.objects.create(kind=Job.Kind.SYSTEM_CHECK, requested_by=bureau_staff)
    assert coop_client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert coop_client.get(reverse("job-status", args=[job.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.post(reverse("system-check"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
