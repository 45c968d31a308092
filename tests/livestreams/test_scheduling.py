"""No clashes: a room holds one session at a time and a host is in one session at a time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from livestreams import services
from livestreams.models import Session, SessionHost
from tests.livestreams.factories import HostFactory, RoomFactory, SessionFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The exclusion constraints are PostgreSQL-only; forms and services cover SQLite.",
)

SATURDAY_19H = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)  # 19:00 in Hanoi


def hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


@pytest.fixture
def room(db):
    return RoomFactory(name="Excellent products studio")


@pytest.fixture
def booked(room):
    return SessionFactory(
        title="Yak meat special",
        room=room,
        scheduled_start=SATURDAY_19H,
        scheduled_end=SATURDAY_19H + hours(2),
    )


def test_scheduling_an_overlapping_session_in_the_same_room_names_the_other_session(room, booked):
    with pytest.raises(services.SessionClash) as refused:
        services.schedule_session(
            title="Barley night",
            room=room,
            scheduled_start=SATURDAY_19H + hours(1),
            scheduled_end=SATURDAY_19H + hours(3),
        )
    assert "Yak meat special" in refused.value.messages[0]
    assert f"#{booked.pk}" in refused.value.messages[0]
    assert not Session.objects.filter(title="Barley night").exists()


def test_back_to_back_sessions_fit_without_a_buffer(room, booked, settings):
    settings.SESSION_SETUP_BUFFER_MINUTES = 0
    session = services.schedule_session(
        title="Right after",
        room=room,
        scheduled_start=booked.scheduled_end,
        scheduled_end=booked.scheduled_end + hours(1),
    )
    assert session.pk


def test_the_setup_buffer_keeps_the_room_free_after_a_session(room, booked, settings):
    settings.SESSION_SETUP_BUFFER_MINUTES = 30
    with pytest.raises(services.SessionClash) as refused:
        services.schedule_session(
            title="Too soon",
            room=room,
            scheduled_start=booked.scheduled_end + datetime.timedelta(minutes=20),
            scheduled_end=booked.scheduled_end + hours(2),
        )
    assert "Yak meat special" in refused.value.messages[0]
    assert "30 minutes" in refused.value.messages[-1]
    later = services.schedule_session(
        title="After the buffer",
        room=room,
        scheduled_start=booked.scheduled_end + datetime.timedelta(minutes=30),
        scheduled_end=booked.scheduled_end + hours(2),
    )
    assert later.occupied_until == later.scheduled_end + datetime.timedelta(minutes=30)


def test_another_room_at_the_same_time_is_fine(booked):
    session = services.schedule_session(
        title="Other studio",
        room=RoomFactory(),
        scheduled_start=booked.scheduled_start,
        scheduled_end=booked.scheduled_end,
    )
    assert session.pk


def test_a_host_cannot_be_in_two_overlapping_sessions(booked):
    host = HostFactory(display_name="Lan Anh (KOL)")
    services.set_session_hosts(session=booked, hosts=[(host, SessionHost.Role.KOL)])
    with pytest.raises(services.SessionClash) as refused:
        services.schedule_session(
            title="Coffee live",
            room=RoomFactory(),
            scheduled_start=SATURDAY_19H + hours(1),
            scheduled_end=SATURDAY_19H + hours(2),
            hosts=[(host, SessionHost.Role.HOST)],
        )
    assert "Lan Anh (KOL)" in refused.value.messages[0]
    assert "Yak meat special" in refused.value.messages[0]


def test_a_cancelled_session_blocks_neither_room_nor_host(room, booked):
    host = HostFactory()
    services.set_session_hosts(session=booked, hosts=[(host, SessionHost.Role.HOST)])
    services.cancel_session(session=booked)
    replacement = services.schedule_session(
        title="Replacement",
        room=room,
        scheduled_start=booked.scheduled_start,
        scheduled_end=booked.scheduled_end,
        hosts=[(host, SessionHost.Role.HOST)],
    )
    assert replacement.status == Session.Status.SCHEDULED
    assert SessionHost.objects.get(session=booked).session_is_cancelled


def test_moving_a_session_onto_another_is_refused_and_leaves_it_in_place(room, booked):
    other = SessionFactory(
        room=room, scheduled_start=SATURDAY_19H + hours(3), scheduled_end=SATURDAY_19H + hours(4)
    )
    with pytest.raises(ValidationError):
        services.reschedule_session(
            session=other,
            scheduled_start=SATURDAY_19H + hours(1),
            scheduled_end=SATURDAY_19H + hours(2),
        )
    other.refresh_from_db()
    assert other.scheduled_start == SATURDAY_19H + hours(3)


def test_rescheduling_keeps_the_host_copies_in_step(booked):
    host = HostFactory()
    services.set_session_hosts(session=booked, hosts=[(host, SessionHost.Role.HOST)])
    services.reschedule_session(
        session=booked,
        scheduled_start=SATURDAY_19H + hours(5),
        scheduled_end=SATURDAY_19H + hours(6),
    )
    place = SessionHost.objects.get(session=booked)
    assert place.session_start == SATURDAY_19H + hours(5)
    assert place.session_occupied_until == booked.occupied_until


def test_naive_datetimes_are_refused(room):
    with pytest.raises(ValueError, match="aware"):
        services.schedule_session(
            title="Naive",
            room=room,
            scheduled_start=datetime.datetime(2030, 1, 1, 19),
            scheduled_end=datetime.datetime(2030, 1, 1, 21),
        )


# --- status moves --------------------------------------------------------------------------


def test_a_cancelled_or_ended_session_cannot_go_live(room):
    cancelled = services.cancel_session(session=SessionFactory(room=room))
    with pytest.raises(services.SessionStateError):
        services.start_session(session=cancelled)
    ended = SessionFactory(
        room=room,
        status=Session.Status.ENDED,
        scheduled_start=SATURDAY_19H + hours(24),
        scheduled_end=SATURDAY_19H + hours(26),
    )
    with pytest.raises(services.SessionStateError):
        services.start_session(session=ended)


def test_a_stale_status_move_is_refused(booked):
    stale = Session.objects.get(pk=booked.pk)
    services.cancel_session(session=booked)
    with pytest.raises(services.SessionStateError) as refused:
        services.start_session(session=stale)
    assert refused.value.code == "stale"
    booked.refresh_from_db()
    assert booked.status == Session.Status.CANCELLED


def test_going_live_and_ending_record_the_actual_times(booked):
    services.start_session(session=booked)
    services.end_session(session=booked)
    booked.refresh_from_db()
    assert booked.status == Session.Status.ENDED
    assert booked.actual_start <= booked.actual_end <= timezone.now()


# --- the database itself (PostgreSQL) ------------------------------------------------------


@postgresql_only
def test_the_database_refuses_an_overlapping_room_insert_that_bypasses_forms(room, booked):
    with (
        pytest.raises(IntegrityError, match="livestreams_session_no_room_overlap"),
        transaction.atomic(),
    ):
        Session.objects.create(
            title="Sneaked in",
            room=room,
            scheduled_start=SATURDAY_19H + hours(1),
            scheduled_end=SATURDAY_19H + hours(3),
        )


@postgresql_only
def test_the_database_refuses_a_host_in_two_overlapping_sessions(booked):
    host = HostFactory()
    SessionHost.objects.create(session=booked, host=host)
    elsewhere = SessionFactory(
        scheduled_start=SATURDAY_19H + hours(1), scheduled_end=SATURDAY_19H + hours(3)
    )
    with (
        pytest.raises(IntegrityError, match="livestreams_sessionhost_no_host_overlap"),
        transaction.atomic(),
    ):
        SessionHost.objects.create(session=elsewhere, host=host)


@postgresql_only
def test_the_database_refuses_a_move_by_raw_update_that_makes_a_host_clash(booked):
    """The trigger copies the new times onto the host rows, and the constraint then refuses."""
    host = HostFactory()
    SessionHost.objects.create(session=booked, host=host)
    later = SessionFactory(
        scheduled_start=SATURDAY_19H + hours(5), scheduled_end=SATURDAY_19H + hours(6)
    )
    SessionHost.objects.create(session=later, host=host)
    with (
        pytest.raises(IntegrityError, match="livestreams_sessionhost_no_host_overlap"),
        transaction.atomic(),
    ):
        Session.objects.filter(pk=later.pk).update(
            scheduled_start=SATURDAY_19H + hours(1),
            scheduled_end=SATURDAY_19H + hours(2),
            occupied_until=SATURDAY_19H + hours(2),
        )


@postgresql_only
def test_the_database_lets_a_cancelled_session_overlap(room, booked):
    Session.objects.filter(pk=booked.pk).update(status=Session.Status.CANCELLED)
    Session.objects.create(
        title="Instead",
        room=room,
        scheduled_start=SATURDAY_19H,
        scheduled_end=SATURDAY_19H + hours(2),
    )


@postgresql_only
def test_a_clash_the_database_catches_becomes_a_clear_error_in_services(room, booked, monkeypatch):
    """Two writers racing past the form check: the loser gets a message, not a 500."""
    # The check schedule_session makes before writing (in the lifecycle module) is skipped.
    monkeypatch.setattr(services.lifecycle, "check_clashes", lambda **kwargs: None)
    with pytest.raises(services.SessionClash) as refused:
        services.schedule_session(
            title="Racer",
            room=room,
            scheduled_start=SATURDAY_19H,
            scheduled_end=SATURDAY_19H + hours(1),
        )
    assert "refused by the database" in refused.value.messages[0]


def test_moving_a_session_that_was_cancelled_meanwhile_is_refused(booked):
    stale = Session.objects.get(pk=booked.pk)
    services.cancel_session(session=booked)
    with pytest.raises(services.SessionStateError):
        services.reschedule_session(
            session=stale,
            scheduled_start=SATURDAY_19H + hours(5),
            scheduled_end=SATURDAY_19H + hours(6),
        )
    booked.refresh_from_db()
    assert booked.scheduled_start == SATURDAY_19H


def test_a_buffer_stored_with_an_older_session_still_counts_after_the_setting_shrinks(
    room, settings
):
    settings.SESSION_SETUP_BUFFER_MINUTES = 30
    older = SessionFactory(
        title="Saved with a buffer",
        room=room,
        scheduled_start=SATURDAY_19H,
        scheduled_end=SATURDAY_19H + hours(1),
    )
    settings.SESSION_SETUP_BUFFER_MINUTES = 0
    with pytest.raises(services.SessionClash) as refused:
        services.schedule_session(
            title="Inside the old buffer",
            room=room,
            scheduled_start=older.scheduled_end + datetime.timedelta(minutes=10),
            scheduled_end=older.scheduled_end + hours(1),
        )
    assert "Saved with a buffer" in refused.value.messages[0]
