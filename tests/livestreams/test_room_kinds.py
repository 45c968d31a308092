"""A meeting is never booked in a live studio, a live sale never in a meeting room, a training
only in a training room: refused with a message by the services and forms, and by the
database itself (triggers on PostgreSQL and SQLite) whatever writes the row."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_migrate
from django.utils import timezone

from livestreams import services
from livestreams.forms import SessionAdminForm
from livestreams.models import Room, Session
from livestreams.room_kinds import ROOM_KIND_FOR_SESSION, RULE_NAME
from tests.livestreams.factories import RoomFactory, SessionFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Runs the PostgreSQL triggers; CI runs it with DATABASE_URL set to PostgreSQL.",
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="Runs the SQLite triggers (the default database)."
)

TOMORROW_10H = (timezone.now() + datetime.timedelta(days=1)).replace(
    hour=3, minute=0, second=0, microsecond=0
)


@pytest.fixture
def studio(db):
    return RoomFactory(name="Excellent products studio", kind=Room.Kind.STUDIO)


@pytest.fixture
def meeting_room(db):
    return RoomFactory(name="Negotiation room", kind=Room.Kind.MEETING)


@pytest.fixture
def training_room(db):
    return RoomFactory(name="Training room", kind=Room.Kind.TRAINING)


def test_every_kind_of_session_has_one_kind_of_room():
    assert ROOM_KIND_FOR_SESSION == {
        Session.Kind.REGULAR: Room.Kind.STUDIO,
        Session.Kind.MEGALIVE: Room.Kind.STUDIO,
        Session.Kind.MEETING: Room.Kind.MEETING,
        Session.Kind.TRAINING: Room.Kind.TRAINING,
    }


# --- friendly refusals: services and forms ------------------------------------------------


def test_booking_a_meeting_in_a_studio_is_refused_with_a_message_naming_the_room(studio):
    with pytest.raises(ValidationError) as refused:
        services.book_meeting(
            title="Buyers from Saigon",
            room=studio,
            scheduled_start=TOMORROW_10H,
            scheduled_end=TOMORROW_10H + datetime.timedelta(hours=1),
            buyer_organisation="Saigon Co.op",
        )
    assert "Excellent products studio" in refused.value.message_dict["room"][0]
    assert not Session.objects.exists()


def test_scheduling_a_live_sale_in_a_meeting_room_is_refused(meeting_room):
    with pytest.raises(ValidationError, match="Negotiation room"):
        services.schedule_session(
            title="Coffee live",
            kind=Session.Kind.MEGALIVE,
            room=meeting_room,
            scheduled_start=TOMORROW_10H,
            scheduled_end=TOMORROW_10H + datetime.timedelta(hours=1),
        )


def test_a_training_is_scheduled_in_a_training_room_and_not_in_a_studio(studio, training_room):
    session = services.schedule_session(
        title="TikTok Shop basics",
        kind=Session.Kind.TRAINING,
        room=training_room,
        scheduled_start=TOMORROW_10H,
        scheduled_end=TOMORROW_10H + datetime.timedelta(hours=2),
    )
    assert session.room == training_room
    with pytest.raises(ValidationError, match="training room"):
        services.update_session(session=session, room=studio)


def test_changing_a_live_session_into_a_meeting_in_its_studio_is_refused(studio):
    session = SessionFactory(room=studio)
    with pytest.raises(ValidationError, match="Excellent products studio"):
        services.update_session(session=session, kind=Session.Kind.MEETING)


def test_a_weekly_series_of_meetings_in_a_studio_is_refused(studio):
    with pytest.raises(ValidationError, match="Excellent products studio"):
        services.create_weekly_series(
            title="Weekly buyers",
            kind=Session.Kind.MEETING,
            room=studio,
            weekday=2,
            start_time=datetime.time(10),
            end_time=datetime.time(11),
            first_date=TOMORROW_10H.date(),
            until_date=TOMORROW_10H.date() + datetime.timedelta(days=21),
        )
    assert not Session.objects.exists()


def test_the_admin_session_form_puts_the_message_on_the_room(meeting_room):
    form = SessionAdminForm(
        data={
            "title": "Evening live",
            "kind": Session.Kind.REGULAR,
            "room": meeting_room.pk,
            "scheduled_start": TOMORROW_10H.strftime("%Y-%m-%d %H:%M"),
            "scheduled_end": (TOMORROW_10H + datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "status": Session.Status.SCHEDULED,
        }
    )
    assert not form.is_valid()
    assert "Negotiation room" in form.errors["room"][0]


# --- the database itself --------------------------------------------------------------------


def _raw_insert(kind: str, room: Room) -> None:
    """A session written past every form and service, in plain SQL."""
    start = TOMORROW_10H
    end = start + datetime.timedelta(hours=1)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO livestreams_session (title, kind, room_id, scheduled_start,"
            " scheduled_end, occupied_until, status, platform_live_id, live_room_url,"
            " is_rehearsal, notes, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, 'scheduled', '', '', %s, '', %s, %s)",
            ["Sneaked in", kind, room.pk, start, end, end, False, now, now],
        )


def _assert_refused(write) -> None:
    with pytest.raises(IntegrityError, match=RULE_NAME), transaction.atomic():
        write()


def _database_refuses_the_wrong_pairs(studio, meeting_room, training_room) -> None:
    _assert_refused(lambda: _raw_insert(Session.Kind.MEETING, studio))
    _assert_refused(lambda: _raw_insert(Session.Kind.REGULAR, meeting_room))
    _assert_refused(lambda: _raw_insert(Session.Kind.MEGALIVE, training_room))
    _assert_refused(lambda: _raw_insert(Session.Kind.TRAINING, studio))
    # The right pairs go in.
    _raw_insert(Session.Kind.MEETING, meeting_room)
    _raw_insert(Session.Kind.TRAINING, training_room)
    assert Session.objects.count() == 2


def _database_refuses_updates(studio, meeting_room) -> None:
    live = SessionFactory(room=studio)
    meeting = SessionFactory(kind=Session.Kind.MEETING, room=meeting_room, channel=None)
    # A raw change of the session's kind, of its room, or of its room's kind.
    _assert_refused(lambda: Session.objects.filter(pk=live.pk).update(kind=Session.Kind.MEETING))
    _assert_refused(lambda: Session.objects.filter(pk=meeting.pk).update(room=studio))
    _assert_refused(lambda: Room.objects.filter(pk=studio.pk).update(kind=Room.Kind.MEETING))
    # A change that keeps the pair right goes through (a megalive is a live sale too), and
    # so does a write that leaves kind and room as they were.
    Session.objects.filter(pk=live.pk).update(kind=Session.Kind.MEGALIVE)
    Session.objects.filter(pk=meeting.pk).update(room=meeting_room, title="Renamed")
    Room.objects.filter(pk=RoomFactory(kind=Room.Kind.STUDIO).pk).update(kind=Room.Kind.MEETING)


@sqlite_only
def test_sqlite_refuses_a_raw_insert_in_the_wrong_kind_of_room(studio, meeting_room, training_room):
    _database_refuses_the_wrong_pairs(studio, meeting_room, training_room)


@sqlite_only
def test_sqlite_refuses_a_raw_update_that_puts_a_session_in_the_wrong_kind_of_room(
    studio, meeting_room
):
    _database_refuses_updates(studio, meeting_room)


@sqlite_only
def test_sqlite_gets_the_triggers_back_after_a_migrate_that_rebuilt_the_table(studio):
    """SQLite drops a table's triggers when a migration rebuilds it; the signal every
    migrate sends puts them back."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {RULE_NAME}_session_insert")
    app_config = apps.get_app_config("livestreams")
    post_migrate.send(
        sender=app_config,
        app_config=app_config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )
    _assert_refused(lambda: _raw_insert(Session.Kind.MEETING, studio))


@postgresql_only
def test_postgresql_refuses_a_raw_insert_in_the_wrong_kind_of_room(
    studio, meeting_room, training_room
):
    _database_refuses_the_wrong_pairs(studio, meeting_room, training_room)


@postgresql_only
def test_postgresql_refuses_a_raw_update_that_puts_a_session_in_the_wrong_kind_of_room(
    studio, meeting_room
):
    _database_refuses_updates(studio, meeting_room)
