"""Bases (#13): the staff's session list and calendar show one base's sessions (in its rooms
or on its channels) or every base's; staff of one base open on their base."""

import pytest

from catalog.models import StaffBase
from tests.catalog.factories import BaseFactory, ChannelFactory, ZoneFactory
from tests.conftest import client_for
from tests.livestreams.factories import SessionFactory

from .test_pages import this_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def lhasa():
    return BaseFactory(name="Lhasa base", slug="lhasa")


@pytest.fixture
def sessions(lhasa):
    """In the Lhasa base's room on its channel; in the test base's room on a Lhasa channel
    (both bases'); wholly the test base's."""
    lhasa_channel = ChannelFactory(base=lhasa)
    lhasa_zone = ZoneFactory(base=lhasa, code="LH-1")

    def session(title: str, hour: int, **fields):
        return SessionFactory(
            title=title,
            scheduled_start=this_week(hour),
            scheduled_end=this_week(hour + 1),
            **fields,
        )

    return [
        session("In Lhasa", 8, room__zone=lhasa_zone, channel=lhasa_channel),
        session("Lhasa channel, test room", 11, channel=lhasa_channel),
        session("In the test base", 14),
    ]


def calendar_titles(client, **params) -> set[str]:
    response = client.get("/calendar/", params)
    assert response.status_code == 200
    return {session.title for day in response.context["days"] for session in day["sessions"]}


def list_titles(client, **params) -> set[str]:
    # From the calendar week's Monday: the list shows the sessions from a day on.
    response = client.get("/sessions/", {"date_from": this_week(0).date().isoformat(), **params})
    assert response.status_code == 200
    return {session.title for session in response.context["sessions"]}


EVERY = {"In Lhasa", "Lhasa channel, test room", "In the test base"}


@pytest.mark.parametrize("titles", [calendar_titles, list_titles])
def test_the_staff_pages_filter_by_base(sessions, staff_client, titles):
    assert titles(staff_client) == EVERY
    assert titles(staff_client, base="all") == EVERY
    assert titles(staff_client, base="lhasa") == {"In Lhasa", "Lhasa channel, test room"}
    assert titles(staff_client, base="test-base") == {
        "Lhasa channel, test room",
        "In the test base",
    }


def test_the_choice_is_shown_with_two_bases_and_kept_from_week_to_week(sessions, staff_client):
    page = staff_client.get("/calendar/", {"base": "lhasa"}).content.decode()
    assert "data-base-choice" in page
    assert '<option value="lhasa" selected>' in page
    assert "base=lhasa&amp;week=" in page


def test_one_base_shows_no_choice(staff_client):
    SessionFactory(scheduled_start=this_week(8), scheduled_end=this_week(9))
    assert "data-base-choice" not in staff_client.get("/calendar/").content.decode()


@pytest.mark.parametrize("titles", [calendar_titles, list_titles])
def test_staff_of_one_base_open_on_their_base(sessions, lhasa, bureau_staff, titles):
    StaffBase.objects.create(user=bureau_staff, base=lhasa)
    client = client_for(bureau_staff)
    assert titles(client) == {"In Lhasa", "Lhasa channel, test room"}
    assert titles(client, base="all") == EVERY
