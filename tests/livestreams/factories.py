import datetime

import factory
from django.utils import timezone

from livestreams.models import Host, Room, Session
from tests.catalog.factories import ChannelFactory, ZoneFactory


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


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    title = factory.Sequence(lambda n: f"Live session {n}")
    room = factory.SubFactory(RoomFactory)
    channel = factory.SubFactory(ChannelFactory)
    scheduled_start = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    )
    scheduled_end = factory.LazyAttribute(lambda s: s.scheduled_start + datetime.timedelta(hours=2))
    status = Session.Status.SCHEDULED
