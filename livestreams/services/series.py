"""Recurring series: weekly occurrences planned, checked for clashes and created at once."""

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel
from core.types import AnyUser

from ..models import (
    Host,
    Room,
    Session,
    SessionSeries,
)
from ..room_kinds import check_room_kind
from .clashes import SessionClash, clash_messages
from .lifecycle import schedule_session

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
    created_by: AnyUser | None = None,
    skip_clashes: bool = False,
) -> SeriesResult:
    """Create a weekly series and one session per date.

    If any occurrence clashes, nothing is created and the error lists each clashing date,
    unless `skip_clashes`: then the free dates are created and the others reported back.
    """
    check_room_kind(kind, room)
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
        # Staff are signed in (the admin requires it): the user is a User row.
        created_by=cast("User | None", created_by),
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
