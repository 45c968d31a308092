"""Reminders to hosts before their sessions, sent once per kind and host."""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.mail import absolute_url, send_email_on_commit

from ..models import (
    Host,
    Session,
    SessionReminder,
)

logger = logging.getLogger(__name__)


REMINDER_LEADS = {
    SessionReminder.Kind.DAY_BEFORE: datetime.timedelta(hours=24),
    SessionReminder.Kind.HOUR_BEFORE: datetime.timedelta(hours=1),
}


def reminder_kind_due(*, scheduled_start: datetime.datetime, now: datetime.datetime) -> str | None:
    """Which reminder is due now: the 1-hour one inside the last hour, else the 24-hour one."""
    left = scheduled_start - now
    if left <= datetime.timedelta(0):
        return None
    if left <= REMINDER_LEADS[SessionReminder.Kind.HOUR_BEFORE]:
        return SessionReminder.Kind.HOUR_BEFORE
    if left <= REMINDER_LEADS[SessionReminder.Kind.DAY_BEFORE]:
        return SessionReminder.Kind.DAY_BEFORE
    return None


def _host_email(host: Host) -> str:
    return host.email or (host.user.email if host.user_id and host.user else "")


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Email each host of each scheduled session starting within 24 hours; returns how many.

    Safe to run twice and from two workers: a reminder is claimed by inserting its row (unique
    per session, host, kind and start time) in the transaction that sends it, so each goes
    out once, and a moved session, having a new start, gets its own.
    """
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            scheduled_start__gt=now,
            scheduled_start__lte=now + REMINDER_LEADS[SessionReminder.Kind.DAY_BEFORE],
        )
        .select_related("room", "channel")
        .prefetch_related("session_hosts__host__user")
        .order_by("scheduled_start")
    )
    sent = 0
    for session in sessions:
        kind = reminder_kind_due(scheduled_start=session.scheduled_start, now=now)
        if kind is None:
            continue
        for place in session.session_hosts.all():
            if not _host_email(place.host):
                continue
            try:
                if send_reminder(session=session, host=place.host, kind=kind):
                    sent += 1
            except Exception:  # The mail server's errors are many; one must not stop the rest.
                logger.exception(
                    "Reminder to host %s for session %s failed", place.host_id, session.pk
                )
    return sent


def send_reminder(*, session: Session, host: Host, kind: str) -> bool:
    """Queue one reminder unless it was sent for this start already; True if it was queued.

    The claim (its row) and the mail's queueing commit together; the mail task retries a
    failing mail server. Written in the host's language, with an absolute run-sheet link.
    """
    address = _host_email(host)
    if not address:
        return False

    def reminder() -> tuple[str, str]:
        context = {
            "session": session,
            "host": host,
            "kind": kind,
            "local_start": _in_channel_zone(session, session.scheduled_start),
            "local_end": _in_channel_zone(session, session.scheduled_end),
            "run_sheet_url": absolute_url("livestreams:run-sheet", session.pk),
        }
        subject = render_to_string("livestreams/email/reminder_subject.txt", context).strip()
        return subject, render_to_string("livestreams/email/reminder_body.txt", context)

    try:
        with transaction.atomic():
            SessionReminder.objects.create(
                session=session, host=host, kind=kind, scheduled_start=session.scheduled_start
            )
            send_email_on_commit(recipients=[address], render=reminder)
    except IntegrityError:
        return False
    return True


def hosts_who_cannot_be_reminded(session: Session) -> list[Host]:
    """The session's hosts with no e-mail address (their own or their account's)."""
    return [
        place.host
        for place in session.session_hosts.select_related("host__user")
        if not _host_email(place.host)
    ]


def _in_channel_zone(session: Session, moment: datetime.datetime) -> datetime.datetime:
    # A session without a channel reads None here without a query.
    channel = session.channel
    zone = channel.time_zone if channel is not None else settings.TIME_ZONE
    return moment.astimezone(zoneinfo.ZoneInfo(zone))
