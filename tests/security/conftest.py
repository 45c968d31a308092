"""The world the access matrix (S7) and the schema fuzzing (S10) run in: cooperative A with one
of every object a cooperative owns, cooperative B with its member, and the bureau's rooms,
channels, hosts, imports and targets, seen by the six personas."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import Product
from cooperatives.models import Cooperative, MembershipInvitation
from core.models import Job
from dashboards.models import ProgrammeTarget
from livestreams.models import Room, Session, TrainingAttendance
from orders.models import ImportBatch
from tests.catalog.factories import (
    CertificationFactory,
    ChannelFactory,
    DisplayFactory,
    DisplaySlotFactory,
    PlatformListingFactory,
    ProductFactory,
    add_photo,
)
from tests.livestreams.factories import (
    HostFactory,
    LineupItemFactory,
    MeetingBookingFactory,
    RoomFactory,
    SessionFactory,
    SessionHostFactory,
    SessionMetricsFactory,
)


@dataclass
class World:
    """The personas by role name (see matrix.ROLES) and the objects by name."""

    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


@pytest.fixture
def world(
    bureau_staff,
    official,
    coop_member,
    other_coop_member,
    host_user,
    cooperative,
    other_cooperative,
):
    """A's objects (a product with a photo, listing and certification, a session featuring it
    with metrics, a meeting with A) and the bureau's (channel, room, slot, display, import,
    target, job)."""
    product = ProductFactory(
        cooperative=cooperative, name="A beans", slug="a-beans", status=Product.Status.APPROVED
    )
    photo = add_photo(product)
    listing = PlatformListingFactory(product=product)
    certification = CertificationFactory(
        cooperative=cooperative,
        product=product,
        number="OCOP-A-0001",
        document=ContentFile(b"%PDF-1.4 A's OCOP certificate", name="ocop-a.pdf"),
    )
    # B's own product, so that B's lists are not empty for lack of rows.
    ProductFactory(cooperative=other_cooperative, name="B pepper", slug="b-pepper")
    channel = ChannelFactory(slug="gialai-tiktok", name="Gia Lai TikTok")
    room = RoomFactory(slug="studio-a", name="Studio A")
    host = HostFactory(display_name="KOL Hoa", user=host_user)
    session = SessionFactory(
        title="A coffee live",
        room=room,
        channel=channel,
        scheduled_start=timezone.now().replace(microsecond=0) - dt.timedelta(days=2),
        scheduled_end=timezone.now().replace(microsecond=0) - dt.timedelta(days=2, hours=-2),
        status=Session.Status.ENDED,
    )
    SessionHostFactory(session=session, host=host)
    lineup_item = LineupItemFactory(session=session, product=product, position=1)
    metrics = SessionMetricsFactory(session=session)
    # Meetings are held in meeting rooms, trainings in training rooms (room_kinds.py).
    meeting = MeetingBookingFactory(
        session__room=RoomFactory(slug="meeting-a", name="Meeting A", kind=Room.Kind.MEETING),
        buyer_organisation="Saigon Co.op",
    )
    meeting.cooperatives.add(cooperative)
    # Tomorrow's training, open for sign-up, with one of A's people signed up.
    training = SessionFactory(
        title="A training",
        kind=Session.Kind.TRAINING,
        channel=None,
        room=RoomFactory(slug="training-a", name="Training A", kind=Room.Kind.TRAINING),
    )
    attendance = TrainingAttendance.objects.create(
        session=training, cooperative=cooperative, attendee_name="Nguyễn Thị Hoa"
    )
    slot = DisplaySlotFactory()
    display = DisplayFactory(slot=slot, product=product)
    batch = ImportBatch.objects.create(
        channel=channel,
        uploaded_by=bureau_staff,
        file=ContentFile(b"order id\n", name="export.csv"),
        original_name="export.csv",
        sha256="0" * 64,
        status=ImportBatch.Status.SUCCEEDED,
    )
    target = ProgrammeTarget.objects.create(
        dimension="all", month=dt.date(2025, 9, 1), currency="VND", target_gmv=Decimal(10)
    )
    job = Job.objects.create(kind=Job.Kind.SYSTEM_CHECK, requested_by=bureau_staff)
    invitation = MembershipInvitation.objects.create(
        cooperative=cooperative, email="new.member@example.org", invited_by=coop_member
    )
    assert cooperative.status == Cooperative.Status.APPROVED
    return World(
        users={
            "anonymous": AnonymousUser(),
            "staff": bureau_staff,
            "coop_a": coop_member,
            "coop_b": other_coop_member,
            "official": official,
            "host": host_user,
        },
        objects={
            "cooperative": cooperative,
            "product": product,
            "photo": photo,
            "listing": listing,
            "certification": certification,
            "channel": channel,
            "room": room,
            "zone": room.zone,
            "host": host,
            "session": session,
            "lineup_item": lineup_item,
            "metrics": metrics,
            "meeting": meeting,
            "training": training,
            "attendance": attendance,
            "slot": slot,
            "display": display,
            "batch": batch,
            "target": target,
            "job": job,
            "invitation": invitation,
        },
    )
