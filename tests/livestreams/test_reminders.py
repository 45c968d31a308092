"""Hosts get an email 24 hours and 1 hour before each session, once each, and again if moved."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone, translation

from core import tasks as core_tasks
from core.models import Preference
from livestreams import services, tasks
from livestreams.models import Session, SessionReminder
from tests.core.factories import UserFactory
from tests.livestreams.factories import HostFactory, SessionFactory, SessionHostFactory
from tests.schedules import migrated_schedule

NOW = datetime.datetime(2030, 6, 1, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def session(db):
    session = SessionFactory(
        title="Saturday OCOP live: coffee & pepper",
        scheduled_start=NOW + datetime.timedelta(hours=20),
        scheduled_end=NOW + datetime.timedelta(hours=22),
    )
    SessionHostFactory(session=session, host=HostFactory(email="lan.anh@example.org"))
    return session


def run_at(moment: datetime.datetime) -> int:
    # Mail is queued when the claim commits: run what waits for the commit, as a worker would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.send_due_reminders(now=moment)


def test_the_day_before_reminder_is_sent_once(session):
    assert run_at(NOW) == 1
    assert run_at(NOW + datetime.timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan.anh@example.org"]
    assert "Saturday OCOP live: coffee & pepper" in mail.outbox[0].subject
    assert f"/sessions/{session.pk}/run-sheet/" in mail.outbox[0].body


def test_the_hour_before_reminder_follows_once(session):
    run_at(NOW)
    hour_before = session.scheduled_start - datetime.timedelta(minutes=55)
    assert run_at(hour_before) == 1
    assert run_at(hour_before + datetime.timedelta(minutes=5)) == 0
    assert [reminder.kind for reminder in SessionReminder.objects.order_by("sent_at", "pk")] == [
        "24h",
        "1h",
    ]
    assert len(mail.outbox) == 2
    assert "one hour" in mail.outbox[1].subject


def test_a_moved_session_gets_its_reminders_again(session):
    run_at(NOW)
    services.reschedule_session(
        session=session,
        scheduled_start=session.scheduled_start + datetime.timedelta(hours=2),
        scheduled_end=session.scheduled_end + datetime.timedelta(hours=2),
    )
    assert run_at(NOW + datetime.timedelta(minutes=5)) == 1
    assert run_at(NOW + datetime.timedelta(minutes=10)) == 0
    assert len(mail.outbox) == 2


def test_cancelled_sessions_and_hosts_without_email_get_nothing(session):
    services.cancel_session(session=session)
    other = SessionFactory(scheduled_start=NOW + datetime.timedelta(hours=3))
    SessionHostFactory(session=other, host=HostFactory(email=""))
    assert run_at(NOW) == 0
    assert mail.outbox == []


def test_a_host_with_a_user_account_is_reached_at_its_email(session, host_user):
    host = HostFactory(email="", user=host_user)
    SessionHostFactory(session=session, host=host)
    run_at(NOW)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "host.kol@example.org",
        "lan.anh@example.org",
    ]


def test_the_celery_task_sends_due_reminders(db, django_capture_on_commit_callbacks):
    session = SessionFactory(scheduled_start=timezone.now() + datetime.timedelta(hours=2))
    SessionHostFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders_task.delay()
    assert len(mail.outbox) == 1
    assert SessionReminder.objects.get().session == session
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED


def test_the_schedule_is_a_periodic_task_staff_can_edit(db):
    task = migrated_schedule(
        "livestreams.migrations.0004_reminder_schedule",
        "livestreams.tasks.send_due_reminders_task",
    )
    assert task.enabled
    assert task.interval.every == 5


def test_the_reminder_goes_out_through_the_mail_task_after_the_claim_commits(session, monkeypatch):
    queued = []
    monkeypatch.setattr(core_tasks.send_email_task, "delay", lambda *args: queued.append(args))
    with TestCase.captureOnCommitCallbacks(execute=False) as waiting:
        assert services.send_due_reminders(now=NOW) == 1
    # Nothing is sent inside the transaction that claims the reminder.
    assert queued == [] and mail.outbox == []
    for callback in waiting:
        callback()
    ((subject, _body, address),) = queued
    assert address == "lan.anh@example.org" and "Saturday OCOP live" in subject
    assert SessionReminder.objects.count() == 1


def test_the_reminder_is_written_in_the_hosts_language_with_an_absolute_link(
    db, settings, monkeypatch
):
    settings.SITE_URL = "https://base.example.org"
    user = UserFactory(username="kol.vi", email="kol.vi@example.org")
    Preference.objects.create(user=user, language="vi")
    session = SessionFactory(
        scheduled_start=NOW + datetime.timedelta(hours=20),
        scheduled_end=NOW + datetime.timedelta(hours=22),
    )
    SessionHostFactory(session=session, host=HostFactory(user=user, email=""))

    assert run_at(NOW) == 1

    (message,) = mail.outbox
    assert f"https://base.example.org/sessions/{session.pk}/run-sheet/" in message.body
    with translation.override("vi"):
        assert translation.gettext("Room") in message.body
    assert translation.gettext("Room") != "Room" or "Phòng" in message.body


def test_staff_see_the_hosts_who_cannot_be_reminded(session, staff_client):
    silent = HostFactory(display_name="Guest official Pema", email="")
    SessionHostFactory(session=session, host=silent)

    page = staff_client.get(f"/sessions/{session.pk}/")

    assert page.context["cannot_be_reminded"] == [silent]
    assert "Cannot be reminded" in page.content.decode()
    assert run_at(NOW) == 1  # the host with an address only
