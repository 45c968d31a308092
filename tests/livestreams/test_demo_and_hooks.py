"""The demo month, the catalogue hook and training attendance."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from catalog.signals import next_upcoming_session
from livestreams import services
from livestreams.models import (
    MeetingBooking,
    Session,
    SessionMetrics,
    SessionSeries,
    TrainingAttendance,
)
from tests.catalog.factories import ProductFactory
from tests.cooperatives.factories import CooperativeFactory
from tests.livestreams.factories import LineupItemFactory, SessionFactory


@pytest.mark.django_db
def test_the_demo_holds_a_month_of_sessions_on_both_channels_and_is_idempotent():
    call_command("seed_demo")
    counts = Session.objects.count()
    call_command("seed_demo")
    assert Session.objects.count() == counts >= 25
    assert set(Session.objects.values_list("channel__slug", flat=True)) >= {
        "lhasa-douyin",
        "gialai-tiktok",
    }
    assert Session.objects.filter(kind=Session.Kind.MEGALIVE).count() == 2
    # Two weekly shows, each with last month's run and the run of the weeks after this one.
    assert SessionSeries.objects.values("title").distinct().count() == 2
    assert SessionSeries.objects.count() == 4
    assert MeetingBooking.objects.filter(outcome=MeetingBooking.Outcome.AGREEMENT).exists()
    assert TrainingAttendance.objects.exists()
    kol = Session.objects.get(title__startswith="Lan Anh streams")
    assert kol.lineup.count() >= 7
    assert all(item.planned_minutes <= 5 for item in kol.lineup.all())
    assert SessionMetrics.objects.exists()
    assert Session.objects.filter(is_rehearsal=True).count() == 1
    span = Session.objects.order_by("scheduled_start")
    length = span.last().scheduled_start - span.first().scheduled_start
    assert length >= datetime.timedelta(days=27)


def test_the_product_page_hook_names_the_next_scheduled_session(db):
    product = ProductFactory()
    soon = timezone.now() + datetime.timedelta(days=2)
    LineupItemFactory(
        product=product,
        session=SessionFactory(title="Later", scheduled_start=soon + datetime.timedelta(days=3)),
    )
    LineupItemFactory(product=product, session=SessionFactory(title="Next", scheduled_start=soon))
    LineupItemFactory(
        product=product,
        session=SessionFactory(
            title="Rehearsal", is_rehearsal=True, scheduled_start=soon - datetime.timedelta(days=1)
        ),
    )
    upcoming = next_upcoming_session(product)
    assert upcoming.title == "Next"
    assert upcoming.starts_at == soon
    assert next_upcoming_session(ProductFactory()) is None


def test_training_attendance_is_recorded_for_training_sessions_only(db):
    training = SessionFactory(kind=Session.Kind.TRAINING)
    cooperative = CooperativeFactory()
    services.record_attendance(
        session=training, cooperative=cooperative, attendee_name="Rơ Châm Hyun", attended=False
    )
    services.record_attendance(
        session=training, cooperative=cooperative, attendee_name="Rơ Châm Hyun", attended=True
    )
    assert TrainingAttendance.objects.get().attended
    with pytest.raises(ValidationError):
        services.record_attendance(
            session=SessionFactory(scheduled_start=timezone.now() + datetime.timedelta(days=5)),
            cooperative=cooperative,
            attendee_name="x",
            attended=True,
        )


def test_a_cooperative_member_sees_the_training_their_cooperative_attends(coop_client, cooperative):
    training = SessionFactory(kind=Session.Kind.TRAINING, title="Selling online")
    services.record_attendance(
        session=training, cooperative=cooperative, attendee_name="Hoa", attended=True
    )
    assert coop_client.get(f"/sessions/{training.pk}/").status_code == 200
