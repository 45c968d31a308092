"""Mail goes through one Celery task after the commit, retried when the server fails, written
in each recipient's language."""

import smtplib

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import translation

from core import tasks
from core.mail import absolute_url, send_email_on_commit
from core.models import Preference
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_mail_task_retries_a_failing_server_until_it_delivers(monkeypatch):
    real_send = tasks.send_mail
    attempts = []

    def down_twice(*args, **kwargs):
        attempts.append(args)
        if len(attempts) <= 2:
            raise smtplib.SMTPServerDisconnected("the server went away")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", down_twice)
    # In-process, as a worker runs it: a retry runs again at once instead of being raised.
    monkeypatch.setitem(tasks.send_email_task.app.conf, "task_eager_propagates", False)
    result = tasks.send_email_task.apply(args=["Subject", "Body", "a@example.org"])

    assert result.successful()
    assert len(attempts) == 3
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_nothing_is_sent_before_the_commit_and_each_recipient_reads_their_language():
    reader = UserFactory(username="reader.vi", email="vi@example.org")
    Preference.objects.create(user=reader, language="vi")
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        send_email_on_commit(
            recipients=["vi@example.org", "en@example.org", ""],
            render=lambda: (translation.gettext("Room"), translation.get_language()),
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"vi@example.org", "en@example.org"}
    assert by_address["vi@example.org"].body == "vi"
    assert by_address["en@example.org"].body == "en"
    with translation.override("vi"):
        assert by_address["vi@example.org"].subject == translation.gettext("Room") != "Room"


def test_links_in_mail_are_absolute(settings):
    settings.SITE_URL = "https://base.example.org"
    assert absolute_url("/imports/7/") == "https://base.example.org/imports/7/"
    assert absolute_url("orders:import-detail", 7) == "https://base.example.org/imports/7/"


def test_signing_in_remembers_the_language_for_mail(client):
    user = UserFactory(username="coop.zh", email="zh@example.org")
    user.set_password("pass-2026-long")
    user.save()
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    client.post("/accounts/login/", {"username": "coop.zh", "password": "pass-2026-long"})
    assert Preference.objects.get(user=user).language == "zh-hans"
    client.post("/i18n/setlang/", {"language": "vi"})
    assert Preference.objects.get(user=user).language == "vi"
