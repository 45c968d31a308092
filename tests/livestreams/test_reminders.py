"""Hosts get an email 24 hours and 1 hour before each session, once each, and again if moved."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from livestreams import services, tasks
from livestreams.models import Session, SessionReminder
from tests.livestreams.factories import HostFactory, SessionFactory, SessionHostFactory

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
    task = PeriodicTask.objects.get(task="livestreams.tasks.send_due_reminders_task")
    assert task.enabled
    assert task.interval.every == 5


def test_a_failed_send_is_retried_on_the_next_run(session, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert run_at(NOW) == 0
    assert not SessionReminder.objects.exists()
    monkeypatch.undo()
    assert run_at(NOW + datetime.timedelta(minutes=5)) == 1
    assert len(mail.outbox) == 1
