"""Writes of the live-sessions app: scheduling without clashes, line-ups, air times, metrics,
recurring series and reminders.

Every path that schedules (admin, forms, API, series, demo) goes through `check_clashes`, so
staff get the same message naming the other session everywhere; on PostgreSQL the exclusion
constraints of migration 0003 are the last word and their violations are mapped to the same
kind of error by `_clash_error_from`.
"""

import datetime
import logging
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil import rrule
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel, Product
from core.mail import absolute_url, send_email_on_commit

from . import selectors
from .models import (
    Host,
    LineupItem,
    MeetingBooking,
    Room,
    Session,
    SessionHost,
    SessionMetrics,
    SessionReminder,
    SessionSeries,
    TrainingAttendance,
    setup_buffer,
)
from .signals import announce_session_changed

logger = logging.getLogger(__name__)

ROOM_CONSTRAINT = "livestreams_session_no_room_overlap"
HOST_CONSTRAINT = "livestreams_sessionhost_no_host_overlap"

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

FIGURE_FIELDS = (
    "views",
    "unique_viewers",
    "peak_concurrent_viewers",
    "likes",
    "comments",
    "shares",
    "new_followers",
    "product_clicks",
    "average_watch_seconds",
)


class SessionStateError(ValidationError):
    """A status move that the session's current status does not allow (or lost a race)."""


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


def _write_or_clash(write):
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
    notes: str = "",
    series: SessionSeries | None = None,
) -> Session:
    """Create a session with its hosts, refusing any room or host clash."""
    if status not in (Session.Status.DRAFT, Session.Status.SCHEDULED):
        raise SessionStateError(_("A new session is a draft or scheduled."), code="status")
    check_times(scheduled_start, scheduled_end)
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


@transaction.atomic
def update_session(*, session: Session, **changes) -> Session:
    """Change a session's descriptive fields, times, room or channel (not its status)."""
    allowed = {
        "title",
        "kind",
        "room",
        "channel",
        "scheduled_start",
        "scheduled_end",
        "actual_start",
        "actual_end",
        "platform_live_id",
        "is_rehearsal",
        "notes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)} here.")
    for name, value in changes.items():
        setattr(session, name, value)
    check_times(session.scheduled_start, session.scheduled_end)
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


def _move(session: Session, new_status: str, **fields) -> Session:
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
    changed = Session.objects.filter(pk=session.pk, status=old_status).update(
        status=new_status, updated_at=now, **fields
    )
    if changed != 1:
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


# --- Recurring series ----------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    date: datetime.date
    scheduled_start: datetime.datetime
    scheduled_end: datetime.datetime
    clashes: tuple[str, ...] = ()


@dataclass
class SeriesResult:
    series: SessionSeries
    sessions: list[Session] = field(default_factory=list)
    skipped: list[Occurrence] = field(default_factory=list)


def plan_weekly_occurrences(
    *,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    time_zone: str,
    first_date: datetime.date,
    until_date: datetime.date,
    room: Room,
    host_ids: Iterable[int] = (),
) -> list[Occurrence]:
    """Each date of the pattern with its UTC times and, per occurrence, what it clashes with.

    Local times are read in `time_zone`, so 19:00 stays 19:00 across daylight-saving changes.
    """
    if end_time <= start_time:
        raise ValidationError(_("The end time must be after the start time."), code="times")
    if until_date < first_date:
        raise ValidationError(_("The last date must not be before the first."), code="dates")
    zone = zoneinfo.ZoneInfo(time_zone)
    host_ids = list(host_ids)
    dates = rrule.rrule(
        rrule.WEEKLY,
        byweekday=weekday,
        dtstart=datetime.datetime.combine(first_date, datetime.time()),
        until=datetime.datetime.combine(until_date, datetime.time()),
    )
    occurrences = []
    for moment in dates:
        day = moment.date()
        start = datetime.datetime.combine(day, start_time, tzinfo=zone).astimezone(datetime.UTC)
        end = datetime.datetime.combine(day, end_time, tzinfo=zone).astimezone(datetime.UTC)
        clashes = clash_messages(
            room=room, scheduled_start=start, scheduled_end=end, host_ids=host_ids
        )
        occurrences.append(Occurrence(day, start, end, tuple(clashes)))
    return occurrences


def occurrence_errors(occurrences: Iterable[Occurrence]) -> list[str]:
    """One line per clashing occurrence, dated, for forms and API answers."""
    return [
        gettext("%(date)s: %(reason)s")
        % {"date": occurrence.date.isoformat(), "reason": " ".join(occurrence.clashes)}
        for occurrence in occurrences
        if occurrence.clashes
    ]


@transaction.atomic
def create_weekly_series(
    *,
    title: str,
    room: Room,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_date: datetime.date,
    until_date: datetime.date,
    time_zone: str = "Asia/Ho_Chi_Minh",
    channel: Channel | None = None,
    kind: str = Session.Kind.REGULAR,
    hosts: Sequence[tuple[Host, str]] = (),
    status: str = Session.Status.SCHEDULED,
    created_by: AbstractBaseUser | None = None,
    skip_clashes: bool = False,
) -> SeriesResult:
    """Create a weekly series and one session per date.

    If any occurrence clashes, nothing is created and the error lists each clashing date,
    unless `skip_clashes`: then the free dates are created and the others reported back.
    """
    occurrences = plan_weekly_occurrences(
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        time_zone=time_zone,
        first_date=first_date,
        until_date=until_date,
        room=room,
        host_ids=[host.pk for host, _role in hosts],
    )
    errors = occurrence_errors(occurrences)
    if errors and not skip_clashes:
        raise SessionClash(errors, code="clash")
    series = SessionSeries.objects.create(
        title=title,
        kind=kind,
        room=room,
        channel=channel,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        time_zone=time_zone,
        first_date=first_date,
        until_date=until_date,
        created_by=created_by,
    )
    result = SeriesResult(series=series)
    for occurrence in occurrences:
        if occurrence.clashes:
            result.skipped.append(occurrence)
            continue
        result.sessions.append(
            schedule_session(
                title=title,
                kind=kind,
                room=room,
                channel=channel,
                scheduled_start=occurrence.scheduled_start,
                scheduled_end=occurrence.scheduled_end,
                status=status,
                hosts=hosts,
                series=series,
            )
        )
    return result


# --- Line-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedItem:
    product: Product
    planned_minutes: int
    promo_price: Decimal | None = None
    allocated_stock: int | None = None
    talking_points: str = ""


def lineup_warnings(*, planned_minutes: Iterable[tuple[str, int]]) -> list[str]:
    """Products planned longer than the per-product cap: allowed, but worth a second look."""
    cap = settings.LINEUP_PRODUCT_CAP_MINUTES
    return [
        gettext("%(product)s is planned for %(minutes)s minutes, over the %(cap)s-minute cap.")
        % {"product": name, "minutes": minutes, "cap": cap}
        for name, minutes in planned_minutes
        if minutes > cap
    ]


def check_lineup_fits(*, session_minutes: int, planned_minutes: Iterable[int]) -> None:
    """Refuse a line-up whose minutes add up to more than the session lasts."""
    total = sum(planned_minutes)
    if total > session_minutes:
        raise ValidationError(
            _("The line-up needs %(total)s minutes but the session lasts %(length)s minutes."),
            params={"total": total, "length": session_minutes},
            code="lineup_too_long",
        )


@transaction.atomic
def set_lineup(*, session: Session, items: Sequence[PlannedItem]) -> list[str]:
    """Replace the session's line-up in this order; returns the cap warnings.

    Air times already recorded for a product that stays in the line-up are kept.
    """
    products = [item.product.pk for item in items]
    if len(set(products)) != len(products):
        raise ValidationError(
            _("A product appears twice in the line-up; give it more minutes instead."),
            code="duplicate",
        )
    check_lineup_fits(
        session_minutes=session.scheduled_minutes,
        planned_minutes=[item.planned_minutes for item in items],
    )
    existing = {item.product_id: item for item in session.lineup.all()}
    keep = {item.product.pk for item in items}
    session.lineup.exclude(product_id__in=keep).delete()
    # Positions are unique per session: park the kept rows out of the way first.
    session.lineup.update(position=F("position") + 10_000)
    for position, planned in enumerate(items, start=1):
        row = existing.get(planned.product.pk) or LineupItem(
            session=session, product=planned.product
        )
        row.position = position
        row.planned_minutes = planned.planned_minutes
        row.promo_price = planned.promo_price
        row.allocated_stock = planned.allocated_stock
        row.talking_points = planned.talking_points
        row.save()
    return lineup_warnings(
        planned_minutes=[(item.product.name, item.planned_minutes) for item in items]
    )


@transaction.atomic
def mark_on_air(*, item: LineupItem, at: datetime.datetime | None = None) -> bool:
    """The product goes on air; whatever else was on air in the session goes off.

    Returns False when the product had already been on air (a double tap changes nothing).
    """
    at = at or timezone.now()
    LineupItem.objects.filter(
        session_id=item.session_id, on_air_started_at__isnull=False, on_air_ended_at__isnull=True
    ).exclude(pk=item.pk).update(on_air_ended_at=at)
    changed = LineupItem.objects.filter(pk=item.pk, on_air_started_at__isnull=True).update(
        on_air_started_at=at
    )
    if changed == 1:
        item.on_air_started_at = at
    return changed == 1


@transaction.atomic
def mark_off_air(*, item: LineupItem, at: datetime.datetime | None = None) -> bool:
    """The product goes off air; False if it was not on air."""
    at = at or timezone.now()
    changed = LineupItem.objects.filter(
        pk=item.pk, on_air_started_at__isnull=False, on_air_ended_at__isnull=True
    ).update(on_air_ended_at=at)
    if changed == 1:
        item.on_air_ended_at = at
    return changed == 1


# --- Metrics -------------------------------------------------------------------------------


@transaction.atomic
def record_session_metrics(
    *,
    session: Session,
    entered_by: AbstractBaseUser | None,
    source: str = SessionMetrics.Source.MANUAL,
    views_basis: str | None = None,
    precision: str | None = None,
    **figures: int | None,
) -> SessionMetrics:
    """Store the platform's audience figures for a session (each optional)."""
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown figures {sorted(unknown)}.")
    if session.status not in (Session.Status.LIVE, Session.Status.ENDED):
        raise SessionStateError(
            _("Figures can be entered once the session has gone live."), code="status"
        )
    defaults: dict = {"entered_by": entered_by, "source": source, **figures}
    if views_basis is not None:
        defaults["views_basis"] = views_basis
    if precision is not None:
        defaults["precision"] = precision
    metrics, _created = SessionMetrics.objects.update_or_create(session=session, defaults=defaults)
    return metrics


# --- Reminders -----------------------------------------------------------------------------

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
    zone = session.channel.time_zone if session.channel_id else settings.TIME_ZONE
    return moment.astimezone(zoneinfo.ZoneInfo(zone))


# --- Meetings and training -----------------------------------------------------------------


@transaction.atomic
def book_meeting(
    *,
    title: str,
    room: Room,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    buyer_organisation: str,
    buyer_contact: str = "",
    cooperatives: Iterable = (),
    hosts: Sequence[tuple[Host, str]] = (),
    outcome: str = MeetingBooking.Outcome.PENDING,
    agreement_value: Decimal | None = None,
    agreement_currency: str = "",
    outcome_notes: str = "",
) -> MeetingBooking:
    """Book a buyer meeting: a session of kind meeting (same clash rules) with its details."""
    session = schedule_session(
        title=title,
        kind=Session.Kind.MEETING,
        room=room,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_end,
        hosts=hosts,
    )
    booking = MeetingBooking.objects.create(
        session=session,
        buyer_organisation=buyer_organisation,
        buyer_contact=buyer_contact,
        outcome=outcome,
        agreement_value=agreement_value,
        agreement_currency=agreement_currency,
        outcome_notes=outcome_notes,
    )
    booking.cooperatives.set(cooperatives)
    return booking


@transaction.atomic
def record_meeting_outcome(
    *,
    booking: MeetingBooking,
    outcome: str,
    agreement_value: Decimal | None = None,
    agreement_currency: str = "",
    outcome_notes: str = "",
    cooperatives: Iterable | None = None,
) -> MeetingBooking:
    """Record how a meeting went (and, if given, which cooperatives were involved)."""
    if outcome == MeetingBooking.Outcome.AGREEMENT and (
        agreement_value is None or not agreement_currency
    ):
        raise ValidationError(_("An agreement needs a value and a currency."), code="agreement")
    booking.outcome = outcome
    booking.agreement_value = agreement_value
    booking.agreement_currency = agreement_currency
    booking.outcome_notes = outcome_notes
    booking.save(
        update_fields=["outcome", "agreement_value", "agreement_currency", "outcome_notes"]
    )
    if cooperatives is not None:
        booking.cooperatives.set(cooperatives)
    return booking


@transaction.atomic
def record_attendance(
    *, session: Session, cooperative, attendee_name: str, attended: bool, user=None
) -> TrainingAttendance:
    """Add or update a cooperative member's place at a training session."""
    if session.kind != Session.Kind.TRAINING:
        raise ValidationError(_("Attendance is recorded for training sessions."), code="kind")
    attendance, _created = TrainingAttendance.objects.update_or_create(
        session=session,
        cooperative=cooperative,
        attendee_name=attendee_name,
        defaults={"attended": attended, "user": user},
    )
    return attendance
