"""Certifications: warned exactly once per threshold before expiry; expired ones hidden publicly."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import Certification, CertificationExpiryWarning
from catalog.tasks import warn_expiring_certifications_task
from tests.catalog.factories import CertificationFactory, ProductFactory, image_bytes
from tests.schedules import migrated_schedule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def run(on: datetime.date, captured) -> int:
    with captured(execute=True):
        return services.send_certification_expiry_warnings(today=on)


def test_the_warning_goes_out_exactly_once_per_threshold(
    cooperative, coop_member, django_capture_on_commit_callbacks
):
    certification = CertificationFactory(cooperative=cooperative, valid_until=days(70))
    sent = [run(days(n), django_capture_on_commit_callbacks) for n in range(0, 71)]
    # Day 10 is 60 days before expiry, day 56 is 14 days before: one warning each.
    assert sum(sent) == 2
    assert sent[10] == 1 and sent[56] == 1
    # One message per recipient (each in their own language), once per threshold.
    expected = {cooperative.email, coop_member.email, "bureau@example.org"}
    assert len(mail.outbox) == 2 * len(expected)
    for days_left, messages in (("60", mail.outbox[:3]), ("14", mail.outbox[3:])):
        assert all(f"expires in {days_left} days" in message.subject for message in messages)
        assert {address for message in messages for address in message.to} == expected
    assert set(
        CertificationExpiryWarning.objects.filter(certification=certification).values_list(
            "days_before", flat=True
        )
    ) == {14, 60}


def test_running_twice_the_same_day_sends_nothing_more(
    cooperative, django_capture_on_commit_callbacks
):
    CertificationFactory(cooperative=cooperative, valid_until=days(60))
    assert run(TODAY, django_capture_on_commit_callbacks) == 1
    # One warning: one message to each of its recipients.
    recipients = [address for message in mail.outbox for address in message.to]
    assert len(recipients) == len(set(recipients)) == len(mail.outbox) > 0
    assert run(TODAY, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == len(recipients)


def test_a_certification_first_seen_inside_14_days_gets_only_the_urgent_warning(
    cooperative, django_capture_on_commit_callbacks
):
    CertificationFactory(cooperative=cooperative, valid_until=days(10))
    assert run(TODAY, django_capture_on_commit_callbacks) == 1
    assert run(days(1), django_capture_on_commit_callbacks) == 0
    assert "expires in 10 days" in mail.outbox[0].subject


def test_a_renewed_certification_is_warned_again(cooperative, django_capture_on_commit_callbacks):
    certification = CertificationFactory(cooperative=cooperative, valid_until=days(60))
    run(TODAY, django_capture_on_commit_callbacks)
    Certification.objects.filter(pk=certification.pk).update(valid_until=days(425))
    assert run(days(365), django_capture_on_commit_callbacks) == 1


def test_expired_and_open_ended_certifications_are_not_warned(
    cooperative, django_capture_on_commit_callbacks
):
    CertificationFactory(cooperative=cooperative, valid_until=days(-1))
    CertificationFactory(cooperative=cooperative, kind="organic", stars=None, valid_until=None)
    assert run(TODAY, django_capture_on_commit_callbacks) == 0


def test_the_daily_task_is_scheduled_in_the_database_and_runs(cooperative):
    task = migrated_schedule(
        "catalog.migrations.0003_certification_expiry_schedule",
        "catalog.tasks.warn_expiring_certifications_task",
    )
    assert task.enabled
    assert task.crontab is not None
    CertificationFactory(
        cooperative=cooperative, valid_until=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert warn_expiring_certifications_task.delay().get() == 1


def test_a_member_adds_a_certification_with_evidence(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    response = coop_client.post(
        reverse("catalog:certification-create"),
        {
            "product": product.pk,
            "kind": "ocop",
            "stars": "4",
            "number": "OCOP-GL-0001",
            "issuer": "Gia Lai People's Committee",
            "valid_from": "2026-01-01",
            "valid_until": "2029-01-01",
            "document": SimpleUploadedFile("certificate.pdf", b"%PDF-1.7\n%...\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    certification = Certification.objects.get()
    assert certification.cooperative == cooperative
    assert certification.document.name.startswith("certifications/")
    assert certification.document.name.endswith(".pdf")


def test_ocop_needs_three_to_five_stars_and_evidence_must_be_a_pdf_or_photo(
    coop_client, cooperative
):
    base = {"kind": "ocop", "valid_from": "2026-01-01"}
    response = coop_client.post(reverse("catalog:certification-create"), {**base, "stars": "6"})
    assert response.status_code == 200
    response = coop_client.post(
        reverse("catalog:certification-create"),
        {
            **base,
            "stars": "3",
            "document": SimpleUploadedFile("evil.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert b"not a photo in an accepted format" in response.content
    response = coop_client.post(
        reverse("catalog:certification-create"),
        {**base, "stars": "3", "document": SimpleUploadedFile("scan.png", image_bytes("PNG"))},
    )
    assert response.status_code == 302
    assert Certification.objects.get().document.name.endswith(".png")
