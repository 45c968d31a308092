"""Recurring sessions: a weekly pattern makes occurrences that live their own lives."""

import datetime

import pytest

from livestreams import services
from livestreams.models import Session, SessionSeries
from tests.livestreams.factories import HostFactory, RoomFactory, SessionFactory

SATURDAY = 5


@pytest.fixture
def room(db):
    return RoomFactory()


def every_saturday_in_june(room, **extra):
    return services.create_weekly_series(
        title="Saturday OCOP live",
        room=room,
        weekday=SATURDAY,
        start_time=datetime.time(19, 0),
        end_time=datetime.time(21, 0),
        time_zone="Asia/Ho_Chi_Minh",
        first_date=datetime.date(2030, 6, 1),
        until_date=datetime.date(2030, 6, 29),
        **extra,
    )


def test_a_weekly_series_creates_one_session_per_saturday_at_local_time(room):
    result = every_saturday_in_june(room)
    starts = [
        session.scheduled_start for session in result.series.sessions.order_by("scheduled_start")
    ]
    assert [start.date().isoformat() for start in starts] == [
        "2030-06-01",
        "2030-06-08",
        "2030-06-15",
        "2030-06-22",
        "2030-06-29",
    ]
    # 19:00 in Hanoi (UTC+7) is 12:00 UTC.
    assert {(start.hour, start.minute, start.tzinfo) for start in starts} == {(12, 0, datetime.UTC)}
    assert all(session.scheduled_minutes == 120 for session in result.sessions)


def test_a_series_keeps_local_time_across_daylight_saving(room):
    result = services.create_weekly_series(
        title="Berlin buyers call",
        room=room,
        weekday=0,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 0),
        time_zone="Europe/Berlin",
        first_date=datetime.date(2030, 3, 18),
        until_date=datetime.date(2030, 4, 1),
    )
    utc_hours = [session.scheduled_start.hour for session in result.sessions]
    assert utc_hours == [9, 9, 8]  # CET, then CEST from 31 March


def test_one_occurrence_moved_and_one_cancelled_leave_the_others_alone(room):
    result = every_saturday_in_june(room)
    first, second, third, *rest = result.sessions
    services.reschedule_session(
        session=second,
        scheduled_start=second.scheduled_start + datetime.timedelta(days=1),
        scheduled_end=second.scheduled_end + datetime.timedelta(days=1),
    )
    services.cancel_session(session=third)

    sessions = {session.pk: session for session in Session.objects.filter(series=result.series)}
    assert sessions[second.pk].scheduled_start.date() == datetime.date(2030, 6, 9)
    assert sessions[third.pk].status == Session.Status.CANCELLED
    for untouched in (first, *rest):
        assert sessions[untouched.pk].status == Session.Status.SCHEDULED
        assert sessions[untouched.pk].scheduled_start == untouched.scheduled_start
    # The cancelled Saturday is free again for something else.
    services.schedule_session(
        title="Pop-up live",
        room=room,
        scheduled_start=third.scheduled_start,
        scheduled_end=third.scheduled_end,
    )


def test_clashes_are_reported_per_occurrence_and_nothing_is_created(room):
    kol = HostFactory(display_name="Lan Anh (KOL)")
    SessionFactory(
        title="Megalive with the youth union",
        room=room,
        scheduled_start=datetime.datetime(2030, 6, 8, 13, tzinfo=datetime.UTC),
        scheduled_end=datetime.datetime(2030, 6, 8, 15, tzinfo=datetime.UTC),
    )
    services.schedule_session(
        title="KOL elsewhere",
        room=RoomFactory(),
        scheduled_start=datetime.datetime(2030, 6, 22, 12, tzinfo=datetime.UTC),
        scheduled_end=datetime.datetime(2030, 6, 22, 13, tzinfo=datetime.UTC),
        hosts=[(kol, "kol")],
    )
    with pytest.raises(services.SessionClash) as refused:
        every_saturday_in_june(room, hosts=[(kol, "kol")])
    messages = refused.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("2030-06-08") and "Megalive with the youth union" in messages[0]
    assert messages[1].startswith("2030-06-22") and "Lan Anh (KOL)" in messages[1]
    assert not SessionSeries.objects.exists()


def test_skip_clashes_creates_the_free_dates_and_reports_the_others(room):
    SessionFactory(
        room=room,
        scheduled_start=datetime.datetime(2030, 6, 15, 12, tzinfo=datetime.UTC),
        scheduled_end=datetime.datetime(2030, 6, 15, 14, tzinfo=datetime.UTC),
    )
    result = every_saturday_in_june(room, skip_clashes=True)
    assert len(result.sessions) == 4
    assert [occurrence.date for occurrence in result.skipped] == [datetime.date(2030, 6, 15)]


def test_the_series_admin_form_reports_each_clashing_date(staff_client, room):
    SessionFactory(
        title="Already there",
        room=room,
        scheduled_start=datetime.datetime(2030, 6, 8, 12, tzinfo=datetime.UTC),
        scheduled_end=datetime.datetime(2030, 6, 8, 14, tzinfo=datetime.UTC),
    )
    data = {
        "title": "Saturday OCOP live",
        "kind": "regular",
        "room": room.pk,
        "channel": "",
        "weekday": SATURDAY,
        "start_time": "19:00",
        "end_time": "21:00",
        "time_zone": "Asia/Ho_Chi_Minh",
        "first_date": "2030-06-01",
        "until_date": "2030-06-29",
        "host_role": "host",
    }
    response = staff_client.post("/admin/livestreams/sessionseries/add/", data)
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["errors"])
    assert "2030-06-08" in errors and "Already there" in errors

    data["skip_clashes"] = "on"
    response = staff_client.post("/admin/livestreams/sessionseries/add/", data)
    assert response.status_code == 302
    assert SessionSeries.objects.get().sessions.count() == 4
