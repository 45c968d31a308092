"""Scheduling without clashes: a room, a host or a studio's setup buffer taken twice is refused
with a message naming the other session. Every path that schedules (admin, forms, API, series,
demo) goes through `check_clashes`; on PostgreSQL the exclusion constraints of migration 0003
are the last word, and their violations become the same kind of error (`_clash_error_from`).
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import (
    Host,
    Room,
    Session,
    SessionHost,
)

ROOM_CONSTRAINT = "livestreams_session_no_room_overlap"


HOST_CONSTRAINT = "livestreams_sessionhost_no_host_overlap"


class SessionClash(ValidationError):
    """A room or host already taken at that time; the messages name the other sessions."""


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def describe_session(session: Session) -> str:
    return gettext("“%(title)s” (#%(id)s, %(start)s to %(end)s)") % {
        "title": session.title,
        "id": session.pk,
        "start": _local(session.scheduled_start),
        "end": _local(session.scheduled_end),
    }


def clash_messages(
    *,
    room: Room | None,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    host_ids: Iterable[int] = (),
    exclude_session_id: int | None = None,
) -> list[str]:
    """Why this span cannot be booked: one message per clashing session, naming it."""
    messages: list[str] = []
    if room is not None:
        for other in selectors.room_clashes(
            room_id=room.pk,
            scheduled_start=scheduled_start,
            scheduled_end=scheduled_end,
            exclude_session_id=exclude_session_id,
        ):
            messages.append(
                gettext("%(room)s is already booked by %(session)s.")
                % {"room": other.room, "session": describe_session(other)}
            )
    host_ids = list(host_ids)
    if host_ids:
        for place in selectors.host_clashes(
            host_ids=host_ids,
            scheduled_start=scheduled_start,
            scheduled_end=scheduled_end,
            exclude_session_id=exclude_session_id,
        ):
            messages.append(
                gettext("%(host)s is already in %(session)s.")
                % {"host": place.host, "session": describe_session(place.session)}
            )
    if messages and settings.SESSION_SETUP_BUFFER_MINUTES:
        messages.append(
            gettext("Sessions keep a setup buffer of %(minutes)s minutes after their end.")
            % {"minutes": settings.SESSION_SETUP_BUFFER_MINUTES}
        )
    return messages


def check_clashes(
    *,
    room: Room | None,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    host_ids: Iterable[int] = (),
    exclude_session_id: int | None = None,
) -> None:
    """Raise a ValidationError naming every session this span would clash with."""
    messages = clash_messages(
        room=room,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_end,
        host_ids=host_ids,
        exclude_session_id=exclude_session_id,
    )
    if messages:
        raise SessionClash(messages, code="clash")


def check_distinct_hosts(hosts: Sequence[tuple[Host, str]]) -> None:
    seen: set[int] = set()
    for host, _role in hosts:
        if host.pk in seen:
            raise ValidationError(
                _("%(host)s is listed twice."), params={"host": host}, code="duplicate"
            )
        seen.add(host.pk)


def check_times(scheduled_start: datetime.datetime, scheduled_end: datetime.datetime) -> None:
    if timezone.is_naive(scheduled_start) or timezone.is_naive(scheduled_end):
        raise ValueError("Session times must be aware datetimes.")
    if scheduled_end <= scheduled_start:
        raise ValidationError(_("The session must end after it starts."), code="times")


def _clash_error_from(error: IntegrityError) -> SessionClash | None:
    """The database's exclusion violation as the message staff see, or None if it is not one."""
    text = str(error)
    if ROOM_CONSTRAINT in text:
        return SessionClash(
            _("The room is already booked at that time (refused by the database)."),
            code="clash",
        )
    if HOST_CONSTRAINT in text:
        return SessionClash(
            _("A host is already in another session at that time (refused by the database)."),
            code="clash",
        )
    return None


_T = TypeVar("_T")


def _write_or_clash(write: Callable[[], _T]) -> _T:
    """Run `write` in a savepoint; a clash the database refuses becomes a ValidationError."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as error:
        clash = _clash_error_from(error)
        if clash is None:
            raise
        raise clash from error


def sync_host_copies(*, session: Session) -> None:
    """Bring the span copies on the session's host rows in step (PostgreSQL triggers do too)."""
    SessionHost.objects.filter(session=session).update(
        session_start=session.scheduled_start,
        session_occupied_until=session.occupied_until,
        session_is_cancelled=session.status == Session.Status.CANCELLED,
    )
