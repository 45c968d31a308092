"""iCalendar feeds of sessions, per room and per host, for calendar apps to subscribe to."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event, vText

from .models import Session

PRODUCT_ID = "-//Commerce Base//Live sessions//EN"
UID_DOMAIN = "commerce-base"

ICAL_STATUS = {
    Session.Status.SCHEDULED: "CONFIRMED",
    Session.Status.LIVE: "CONFIRMED",
    Session.Status.ENDED: "CONFIRMED",
    Session.Status.CANCELLED: "CANCELLED",
    Session.Status.DRAFT: "TENTATIVE",
}


def session_uid(session: Session) -> str:
    """Stable for the life of the session, whatever is changed: apps update, never duplicate."""
    return f"session-{session.pk}@{UID_DOMAIN}"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def build_calendar(sessions: Iterable[Session], *, name: str, public: bool = False) -> bytes:
    """A VCALENDAR with one VEVENT per session, times in UTC.

    Cancelled sessions stay in the feed as STATUS:CANCELLED so that subscribed apps remove
    them; SEQUENCE follows the last change so that a moved session replaces the old one.

    A `public` calendar (the base's public schedule) says where to watch instead of which
    room and hosts: the building's rooms and who hosts are the bureau's working details.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", _utc(session.updated_at))
        event.add("last-modified", _utc(session.updated_at))
        event.add("sequence", int(session.updated_at.timestamp()))
        event.add("dtstart", _utc(session.scheduled_start))
        event.add("dtend", _utc(session.scheduled_end))
        event.add("summary", session.title)
        event.add("status", ICAL_STATUS[session.status])
        if public:
            _describe_for_the_public(event, session)
            calendar.add_component(event)
            continue
        event["location"] = vText(f"{session.room} ({session.room.zone})")
        lines = [session.get_kind_display()]
        if session.channel_id:
            lines.append(str(session.channel))
        hosts = ", ".join(str(place.host) for place in session.session_hosts.all())
        if hosts:
            lines.append(hosts)
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()


def _describe_for_the_public(event: Event, session: Session) -> None:
    lines = [str(session.get_kind_display())]
    if session.channel_id:
        lines.append(str(session.channel))
        event["location"] = vText(str(session.channel))
    if session.live_room_url:
        event.add("url", session.live_room_url)
        lines.append(session.live_room_url)
    event.add("description", "\n".join(lines))
