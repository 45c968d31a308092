"""A session's life: scheduled, edited, given hosts, published, started, ended or cancelled.
Status moves are conditional updates, acted on only when the row was still in the status read.
"""

import datetime
import enum
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel
from core.errors import StateConflict
from core.transitions import move_status

from ..models import (
    Host,
    Room,
    Session,
    SessionHost,
    SessionSeries,
    check_live_room_url,
    setup_buffer,
)
from ..room_kinds import check_room_kind
from ..signals import announce_session_changed
from .clashes import (
    _write_or_clash,
    check_clashes,
    check_distinct_hosts,
    check_times,
    sync_host_copies,
)
from .lineup import PlannedItem, set_lineup

# Which status a session may move to from which; everything else is refused.
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Session.Status.DRAFT: (Session.Status.SCHEDULED, Session.Status.CANCELLED),
    Session.Status.SCHEDULED: (
        Session.Status.DRAFT,
        Session.Status.LIVE,
        Session.Status.CANCELLED,
    ),
    Session.Status.LIVE: (Session.Status.ENDED,),
    Session.Status.ENDED: (),
    Session.Status.CANCELLED: (),
}


class SessionStateError(StateConflict):
    """A status move that the session's current status does not allow (or lost a race)."""


@transaction.atomic
def schedule_session(
    *,
    title: str,
    room: Room,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    channel: Channel | None = None,
    kind: str = Session.Kind.REGULAR,
    status: str = Session.Status.SCHEDULED,
    hosts: Sequence[tuple[Host, str]] = (),
    is_rehearsal: bool = False,
    platform_live_id: str = "",
    live_room_url: str = "",
    notes: str = "",
    series: SessionSeries | None = None,
) -> Session:
    """Create a session with its hosts, refusing any room or host clash."""
    if status not in (Session.Status.DRAFT, Session.Status.SCHEDULED):
        raise SessionStateError(_("A new session is a draft or scheduled."), code="status")
    check_times(scheduled_start, scheduled_end)
    check_live_room_url(live_room_url, channel=channel)
    check_room_kind(kind, room)
    check_distinct_hosts(hosts)
    check_clashes(
        room=room,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_end,
        host_ids=[host.pk for host, _role in hosts],
    )

    def write() -> Session:
        session = Session(
            title=title,
            kind=kind,
            room=room,
            channel=channel,
            scheduled_start=scheduled_start,
            scheduled_end=scheduled_end,
            status=status,
            is_rehearsal=is_rehearsal,
            platform_live_id=platform_live_id,
            live_room_url=live_room_url,
            notes=notes,
            series=series,
        )
        session.save()
        for host, role in hosts:
            SessionHost(session=session, host=host, role=role).save()
        return session

    return _write_or_clash(write)


@transaction.atomic
def reschedule_session(
    *,
    session: Session,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    room: Room | None = None,
) -> Session:
    """Move one session (alone, even if it belongs to a series) to new times or another room.

    A moved session gets new reminders: they are keyed by the start time.
    """
    check_times(scheduled_start, scheduled_end)
    if session.status not in (Session.Status.DRAFT, Session.Status.SCHEDULED):
        raise SessionStateError(_("Only draft or scheduled sessions can be moved."), code="status")
    room = room or session.room
    check_clashes(
        room=room,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_end,
        host_ids=list(session.session_hosts.values_list("host_id", flat=True)),
        exclude_session_id=session.pk,
    )

    def write() -> Session:
        # Conditional on the status we read: a session that went live or was cancelled
        # meanwhile stays where it is.
        now = timezone.now()
        occupied_until = scheduled_end + setup_buffer()
        changed = Session.objects.filter(pk=session.pk, status=session.status).update(
            room=room,
            scheduled_start=scheduled_start,
            scheduled_end=scheduled_end,
            occupied_until=occupied_until,
            updated_at=now,
        )
        if changed != 1:
            raise SessionStateError(
                _("The session changed meanwhile; reload it and try again."), code="stale"
            )
        session.room = room
        session.scheduled_start = scheduled_start
        session.scheduled_end = scheduled_end
        session.occupied_until = occupied_until
        session.updated_at = now
        sync_host_copies(session=session)
        announce_session_changed(session.pk)
        return session

    return _write_or_clash(write)


class _Unset(enum.Enum):
    """A keyword left out: the field keeps its value (None is a value, e.g. no channel)."""

    UNSET = enum.auto()


UNSET = _Unset.UNSET

# What may be edited of a session, apart from its status (which moves through publish,
# start, end and cancel): the admin form, the API and update_session share this list.
SESSION_FIELDS = (
    "title",
    "kind",
    "room",
    "channel",
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
    "platform_live_id",
    "live_room_url",
    "is_rehearsal",
    "notes",
)


@transaction.atomic
def update_session(
    *,
    session: Session,
    title: str | _Unset = UNSET,
    kind: str | _Unset = UNSET,
    room: Room | _Unset = UNSET,
    channel: Channel | None | _Unset = UNSET,
    scheduled_start: datetime.datetime | _Unset = UNSET,
    scheduled_end: datetime.datetime | _Unset = UNSET,
    actual_start: datetime.datetime | None | _Unset = UNSET,
    actual_end: datetime.datetime | None | _Unset = UNSET,
    platform_live_id: str | _Unset = UNSET,
    live_room_url: str | _Unset = UNSET,
    is_rehearsal: bool | _Unset = UNSET,
    notes: str | _Unset = UNSET,
) -> Session:
    """Change a session's descriptive fields, times, room or channel (not its status); a
    field left out keeps its value."""
    given = locals()
    for name in SESSION_FIELDS:
        if given[name] is not UNSET:
            setattr(session, name, given[name])
    check_times(session.scheduled_start, session.scheduled_end)
    # Checked again when only the channel changes: the address must stay on its platform.
    check_live_room_url(session.live_room_url, channel=session.channel)
    if kind is not UNSET or room is not UNSET:
        check_room_kind(session.kind, session.room)
    if session.status != Session.Status.CANCELLED:
        check_clashes(
            room=session.room,
            scheduled_start=session.scheduled_start,
            scheduled_end=session.scheduled_end,
            host_ids=list(session.session_hosts.values_list("host_id", flat=True)),
            exclude_session_id=session.pk,
        )

    def write() -> Session:
        session.save()
        sync_host_copies(session=session)
        return session

    return _write_or_clash(write)


@transaction.atomic
def set_session_hosts(*, session: Session, hosts: Sequence[tuple[Host, str]]) -> None:
    """Replace the session's hosts, refusing a host who is elsewhere at that time."""
    check_distinct_hosts(hosts)
    if session.status != Session.Status.CANCELLED:
        check_clashes(
            room=None,
            scheduled_start=session.scheduled_start,
            scheduled_end=session.scheduled_end,
            host_ids=[host.pk for host, _role in hosts],
            exclude_session_id=session.pk,
        )

    def write() -> None:
        keep = {host.pk for host, _role in hosts}
        session.session_hosts.exclude(host_id__in=keep).delete()
        for host, role in hosts:
            place = SessionHost.objects.filter(session=session, host=host).first()
            if place is None:
                place = SessionHost(session=session, host=host)
            place.role = role
            place.save()

    _write_or_clash(write)


def _move(session: Session, new_status: str, **fields: datetime.datetime) -> Session:
    """A conditional update from the status we read; acted on only when one row changed."""
    old_status = session.status
    if new_status not in ALLOWED_MOVES[old_status]:
        raise SessionStateError(
            gettext("A %(old)s session cannot become %(new)s.")
            % {
                "old": Session.Status(old_status).label,
                "new": Session.Status(new_status).label,
            },
            code="status",
        )
    now = timezone.now()
    previous = move_status(
        Session, pk=session.pk, sources={old_status}, target=new_status, updated_at=now, **fields
    )
    if previous is None:
        raise SessionStateError(
            _("The session changed meanwhile; reload it and try again."), code="stale"
        )
    session.status = new_status
    session.updated_at = now
    for name, value in fields.items():
        setattr(session, name, value)
    sync_host_copies(session=session)
    announce_session_changed(session.pk)
    return session


@transaction.atomic
def publish_session(*, session: Session) -> Session:
    return _move(session, Session.Status.SCHEDULED)


@transaction.atomic
def cancel_session(*, session: Session) -> Session:
    """Cancel a draft or scheduled session; it then blocks neither its room nor its hosts."""
    return _move(session, Session.Status.CANCELLED)


@transaction.atomic
def start_session(*, session: Session, at: datetime.datetime | None = None) -> Session:
    """Go live: only a scheduled session can (never a cancelled or ended one)."""
    return _move(session, Session.Status.LIVE, actual_start=at or timezone.now())


@transaction.atomic
def end_session(*, session: Session, at: datetime.datetime | None = None) -> Session:
    at = at or timezone.now()
    # Any product still on air goes off air with the session.
    session.lineup.filter(on_air_started_at__isnull=False, on_air_ended_at__isnull=True).update(
        on_air_ended_at=at
    )
    return _move(session, Session.Status.ENDED, actual_end=at)


@transaction.atomic
def save_session(
    *,
    session: Session | None,
    fields: dict[str, Any],
    hosts: Sequence[tuple[Host, str]] | None = None,
    lineup: Sequence[PlannedItem] | None = None,
) -> tuple[Session, list[str]]:
    """Create a session (``session`` None) or change one, with its hosts and line-up, in one
    transaction: a refused line-up leaves no half-made or half-changed session behind.
    ``fields`` holds SESSION_FIELDS (and ``status`` for a new session); hosts and line-up
    left as None stay as they are. Returns the session and the line-up's warnings."""
    unknown = set(fields) - {*SESSION_FIELDS, "status"}
    if unknown or (session is not None and "status" in fields):
        raise ValueError(f"Cannot set {sorted(unknown or {'status'})} here.")
    if session is None:
        session = schedule_session(**fields, hosts=hosts or ())
    else:
        update_session(session=session, **fields)
        if hosts is not None:
            set_session_hosts(session=session, hosts=hosts)
    warnings = [] if lineup is None else set_lineup(session=session, items=lineup)
    return session, warnings
