"""iCal feeds per room and host: parsed back by a real iCalendar library, times in UTC."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from livestreams import services
from livestreams.models import Session
from tests.livestreams.factories import HostFactory, RoomFactory, SessionFactory, SessionHostFactory


def soon(hours: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)


def events_of(response) -> dict[str, dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "status": str(event["STATUS"]),
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def room(db):
    return RoomFactory(name="Excellent products studio")


def test_the_room_feed_gives_each_session_in_utc_with_a_stable_uid(client, room):
    start = soon(30)
    session = SessionFactory(
        room=room,
        title="Yak meat special",
        scheduled_start=start,
        scheduled_end=start + datetime.timedelta(hours=2),
    )
    SessionFactory(scheduled_start=start)  # another room: not in this feed
    events = events_of(client.get(f"/calendar/rooms/{room.feed_token}.ics"))
    uid = f"session-{session.pk}@commerce-base"
    assert list(events) == [uid]
    assert events[uid]["summary"] == "Yak meat special"
    assert events[uid]["start"] == start
    assert events[uid]["start"].utcoffset() == datetime.timedelta(0)
    assert events[uid]["end"] == start + datetime.timedelta(hours=2)

    services.reschedule_session(
        session=session,
        scheduled_start=start + datetime.timedelta(hours=1),
        scheduled_end=start + datetime.timedelta(hours=3),
    )
    moved = events_of(client.get(f"/calendar/rooms/{room.feed_token}.ics"))
    assert list(moved) == [uid]  # same UID: calendar apps update the event
    assert moved[uid]["start"] == start + datetime.timedelta(hours=1)


def test_the_host_feed_lists_their_sessions_and_marks_cancelled_ones(client, db):
    host = HostFactory()
    kept = SessionHostFactory(host=host, session__scheduled_start=soon(30)).session
    dropped = SessionHostFactory(host=host, session__scheduled_start=soon(60)).session
    SessionFactory(scheduled_start=soon(90))  # without this host
    draft = SessionHostFactory(
        host=host, session__scheduled_start=soon(120), session__status=Session.Status.DRAFT
    ).session
    services.cancel_session(session=dropped)
    events = events_of(client.get(f"/calendar/hosts/{host.feed_token}.ics"))
    assert set(events) == {
        f"session-{kept.pk}@commerce-base",
        f"session-{dropped.pk}@commerce-base",
    }
    assert events[f"session-{dropped.pk}@commerce-base"]["status"] == "CANCELLED"
    assert f"session-{draft.pk}@commerce-base" not in events


def test_a_wrong_token_gets_nothing(client, room):
    assert client.get("/calendar/rooms/not-the-token.ics").status_code == 404
    assert client.get("/calendar/hosts/not-the-token.ics").status_code == 404


def test_the_feed_needs_no_login_but_the_calendar_page_does(client, room):
    assert client.get(f"/calendar/rooms/{room.feed_token}.ics").status_code == 200
    assert client.get("/calendar/").status_code == 302
