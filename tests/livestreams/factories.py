import datetime

import factory
from django.utils import timezone

from livestreams.models import (
    Host,
    HostHandle,
    LineupItem,
    MeetingBooking,
    Room,
    Session,
    SessionHost,
    SessionMetrics,
)
from livestreams.room_kinds import ROOM_KIND_FOR_SESSION
from tests.catalog.factories import ChannelFactory, ProductFactory, ZoneFactory


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.Sequence(lambda n: f"studio-{n}")


class HostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Host

    display_name = factory.Sequence(lambda n: f"Host {n}")
    kind = Host.Kind.KOL
    email = factory.Sequence(lambda n: f"host{n}@example.org")


class HostHandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostHandle

    host = factory.SubFactory(HostFactory)
    platform = "tiktok_shop"
    handle = factory.Sequence(lambda n: f"handle.{n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    title = factory.Sequence(lambda n: f"Live session {n}")
    # The database refuses a session in the wrong kind of room (livestreams/room_kinds.py):
    # a meeting gets a meeting room, a training a training room, a live sale a studio.
    room = factory.SubFactory(
        RoomFactory,
        kind=factory.LazyAttribute(lambda room: ROOM_KIND_FOR_SESSION[room.factory_parent.kind]),
    )
    channel = factory.SubFactory(ChannelFactory)
    scheduled_start = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    )
    scheduled_end = factory.LazyAttribute(lambda s: s.scheduled_start + datetime.timedelta(hours=2))
    status = Session.Status.SCHEDULED
    kind = Session.Kind.REGULAR


class SessionHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionHost

    session = factory.SubFactory(SessionFactory)
    host = factory.SubFactory(HostFactory)
    role = SessionHost.Role.HOST


class LineupItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineupItem

    session = factory.SubFactory(SessionFactory)
    product = factory.SubFactory(ProductFactory)
    position = factory.Sequence(lambda n: n + 1)
    planned_minutes = 5


class SessionMetricsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionMetrics

    session = factory.SubFactory(SessionFactory, status=Session.Status.ENDED)
    views = 29000
    likes = 1_400_000


class MeetingBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingBooking

    session = factory.SubFactory(SessionFactory, kind=Session.Kind.MEETING, channel=None)
    buyer_organisation = "Saigon Co.op"
