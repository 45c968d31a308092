"""The live-sessions API: same rules as the admin, reads scoped per role, writes by staff."""

import datetime

import pytest

from livestreams.models import MeetingBooking, Room, Session
from tests.catalog.factories import ChannelFactory, ProductFactory
from tests.conftest import client_for
from tests.livestreams.factories import (
    HostFactory,
    HostHandleFactory,
    LineupItemFactory,
    MeetingBookingFactory,
    RoomFactory,
    SessionFactory,
    SessionHostFactory,
)

START = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)


def at(hours: float) -> str:
    return (START + datetime.timedelta(hours=hours)).isoformat()


@pytest.fixture
def room(db):
    return RoomFactory(slug="studio-a")


@pytest.fixture
def channel(db):
    return ChannelFactory(slug="gialai-tiktok")


def session_payload(room, channel, **extra):
    return {
        "title": "Coffee megalive",
        "kind": "megalive",
        "room": room.slug,
        "channel": channel.slug,
        "scheduled_start": at(0),
        "scheduled_end": at(2),
        **extra,
    }


def test_staff_create_a_session_with_hosts_and_line_up(staff_client, room, channel):
    kol = HostFactory()
    products = ProductFactory.create_batch(2)
    response = staff_client.post(
        "/api/v1/sessions/",
        session_payload(
            room,
            channel,
            hosts=[{"host": kol.pk, "role": "kol"}],
            lineup=[
                {"product": products[0].pk, "planned_minutes": 5, "promo_price": "149000"},
                {"product": products[1].pk, "planned_minutes": 7},
            ],
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hosts"] == [{"host": kol.pk, "name": kol.display_name, "role": "kol"}]
    assert [item["product"] for item in body["lineup"]] == [products[0].pk, products[1].pk]
    assert len(body["warnings"]) == 1 and "7 minutes" in body["warnings"][0]


def test_the_api_refuses_a_room_clash_naming_the_other_session(staff_client, room, channel):
    SessionFactory(
        title="Already booked",
        room=room,
        scheduled_start=START,
        scheduled_end=START + datetime.timedelta(hours=1),
    )
    response = staff_client.post(
        "/api/v1/sessions/", session_payload(room, channel), content_type="application/json"
    )
    assert response.status_code == 400
    assert "Already booked" in response.json()["detail"][0]


def test_the_api_refuses_a_line_up_longer_than_the_session(staff_client, room, channel):
    products = ProductFactory.create_batch(5)
    response = staff_client.post(
        "/api/v1/sessions/",
        session_payload(
            room,
            channel,
            scheduled_end=at(0.25),
            lineup=[{"product": p.pk, "planned_minutes": 5} for p in products],
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "25 minutes but the session lasts 15 minutes" in response.json()["detail"][0]
    assert not Session.objects.exists()


def test_moving_a_session_through_the_api_checks_host_clashes(staff_client, room, channel):
    kol = HostFactory(display_name="Lan Anh (KOL)")
    busy = SessionFactory(
        title="KOL elsewhere",
        scheduled_start=START + datetime.timedelta(hours=5),
        scheduled_end=START + datetime.timedelta(hours=6),
    )
    SessionHostFactory(session=busy, host=kol)
    session = SessionFactory(
        room=room, scheduled_start=START, scheduled_end=START + datetime.timedelta(hours=1)
    )
    SessionHostFactory(session=session, host=kol)
    response = staff_client.patch(
        f"/api/v1/sessions/{session.pk}/",
        {"scheduled_start": at(5.5), "scheduled_end": at(6.5)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Lan Anh (KOL)" in response.json()["detail"][0]


def test_status_actions_are_conditional_moves(staff_client, room):
    session = SessionFactory(room=room)
    assert staff_client.post(f"/api/v1/sessions/{session.pk}/cancel/").status_code == 200
    response = staff_client.post(f"/api/v1/sessions/{session.pk}/start/")
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_officials_read_everything_and_write_nothing(official_client, room, channel):
    session = SessionFactory(room=room)
    assert official_client.get("/api/v1/sessions/").json()["count"] == 1
    assert (
        official_client.post(
            "/api/v1/sessions/", session_payload(room, channel), content_type="application/json"
        ).status_code
        == 403
    )
    assert official_client.post(f"/api/v1/sessions/{session.pk}/cancel/").status_code == 403
    assert (
        official_client.patch(
            f"/api/v1/sessions/{session.pk}/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert official_client.delete(f"/api/v1/sessions/{session.pk}/").status_code in (403, 405)


def test_anonymous_gets_nothing(client, staff_client, db):
    session = SessionFactory()
    for url in (
        "/api/v1/sessions/",
        f"/api/v1/sessions/{session.pk}/",
        "/api/v1/rooms/",
        "/api/v1/hosts/",
        "/api/v1/channels/",
        "/api/v1/meetings/",
    ):
        # The positive control: bureau staff read every one of them.
        assert staff_client.get(url).status_code == 200, url
        assert client.get(url).status_code in (401, 403), url


def test_cooperatives_read_only_sessions_featuring_their_products(
    coop_client, other_coop_client, cooperative, other_cooperative
):
    ours = LineupItemFactory(product__cooperative=cooperative).session
    theirs = LineupItemFactory(
        product__cooperative=other_cooperative,
        session__scheduled_start=START,
    ).session
    assert [row["id"] for row in coop_client.get("/api/v1/sessions/").json()["results"]] == [
        ours.pk
    ]
    assert coop_client.get(f"/api/v1/sessions/{theirs.pk}/").status_code == 404
    assert [row["id"] for row in other_coop_client.get("/api/v1/sessions/").json()["results"]] == [
        theirs.pk
    ]


def test_hosts_read_their_own_sessions_and_enter_their_figures(host_user):
    host = HostFactory(user=host_user)
    mine = SessionHostFactory(host=host, session__status=Session.Status.ENDED).session
    other = SessionHostFactory(
        session__status=Session.Status.ENDED, session__scheduled_start=START
    ).session
    client = client_for(host_user)
    assert [row["id"] for row in client.get("/api/v1/sessions/").json()["results"]] == [mine.pk]
    response = client.put(
        f"/api/v1/sessions/{mine.pk}/metrics/",
        {"views": 29000, "likes": 1400000, "views_basis": "per_viewer", "precision": "final"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["source"] == "api"
    assert client.get(f"/api/v1/sessions/{mine.pk}/metrics/").json()["views"] == 29000
    assert (
        client.put(
            f"/api/v1/sessions/{other.pk}/metrics/", {"views": 1}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/sessions/{mine.pk}/cancel/").status_code == 403


def test_cooperative_members_cannot_enter_figures(coop_client, cooperative):
    session = LineupItemFactory(
        product__cooperative=cooperative, session__status=Session.Status.ENDED
    ).session
    response = coop_client.put(
        f"/api/v1/sessions/{session.pk}/metrics/", {"views": 1}, content_type="application/json"
    )
    assert response.status_code == 403


def test_session_filters(staff_client, room, channel):
    host = HostFactory()
    in_room = SessionFactory(
        room=room, scheduled_start=START, scheduled_end=START + datetime.timedelta(hours=1)
    )
    on_channel = SessionFactory(channel=channel, scheduled_start=START + datetime.timedelta(days=3))
    hosted = SessionHostFactory(
        host=host, session__scheduled_start=START + datetime.timedelta(days=10)
    ).session
    cancelled = SessionFactory(
        status=Session.Status.CANCELLED, scheduled_start=START + datetime.timedelta(days=20)
    )

    def ids(query):
        return {
            row["id"] for row in staff_client.get(f"/api/v1/sessions/?{query}").json()["results"]
        }

    assert ids("room=studio-a") == {in_room.pk}
    assert ids("channel=gialai-tiktok") == {on_channel.pk}
    assert ids(f"host={host.pk}") == {hosted.pk}
    assert ids("status=cancelled") == {cancelled.pk}
    window = "starts_after=2030-06-03T00:00:00Z&starts_before=2030-06-12T00:00:00Z"
    assert ids(window) == {on_channel.pk, hosted.pk}


@pytest.mark.parametrize("path", ["/api/v1/sessions/", "/api/v1/meetings/"])
def test_date_filters_take_any_utc_offset_and_refuse_what_utc_cannot_hold(staff_client, path):
    # PostgreSQL takes offsets up to 15:59 only: the moment is compared in UTC instead.
    session = SessionFactory(
        scheduled_start=START, scheduled_end=START + datetime.timedelta(hours=2)
    )
    if path == "/api/v1/meetings/":
        MeetingBookingFactory(session=session)
    ids = {
        row["id"]
        for row in staff_client.get(f"{path}?starts_after=2030-06-01T23:00:00-23:30").json()[
            "results"
        ]
    }
    # 2030-06-01 23:00 at -23:30 is 2030-06-02 22:30 UTC, after the session ends.
    assert ids == set()
    # 2030-05-31 12:00 at -23:30 is 2030-06-01 11:30 UTC, before it ends.
    early = staff_client.get(f"{path}?starts_after=2030-05-31T12:00:00-23:30").json()["results"]
    assert len(early) == 1
    refused = staff_client.get(f"{path}?starts_before=0001-01-01T00:00:00%2B07:00")
    assert refused.status_code == 400
    assert "between the years 1 and 9999" in str(refused.json())


def test_rooms_channels_and_hosts_are_listed_with_contacts_for_staff_only(
    staff_client, official_client, room, channel
):
    host = HostFactory(email="kol@example.org")
    HostHandleFactory(host=host, handle="lananh.review")
    assert staff_client.get("/api/v1/rooms/").json()["results"][0]["slug"] == "studio-a"
    assert staff_client.get("/api/v1/channels/").json()["results"][0]["slug"] == "gialai-tiktok"
    staff_view = staff_client.get(f"/api/v1/hosts/{host.pk}/").json()
    official_view = official_client.get(f"/api/v1/hosts/{host.pk}/").json()
    assert staff_view["email"] == "kol@example.org"
    assert "email" not in official_view
    assert official_view["handles"] == [{"platform": "tiktok_shop", "handle": "lananh.review"}]
    assert official_client.post("/api/v1/rooms/", {}).status_code in (403, 405)


def test_staff_book_a_meeting_and_record_an_agreement(staff_client, cooperative):
    # Meetings are held in meeting rooms (livestreams/room_kinds.py).
    room = RoomFactory(slug="negotiation-room", kind=Room.Kind.MEETING)
    response = staff_client.post(
        "/api/v1/meetings/",
        {
            "title": "Saigon Co.op buyers",
            "room": room.slug,
            "scheduled_start": at(0),
            "scheduled_end": at(1),
            "buyer_organisation": "Saigon Co.op",
            "cooperatives": [cooperative.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    booking = MeetingBooking.objects.get()
    assert booking.session.kind == Session.Kind.MEETING
    # The same clash rules: the room is now taken.
    clash = staff_client.post(
        "/api/v1/sessions/",
        {
            "title": "x",
            "kind": "meeting",
            "room": room.slug,
            "scheduled_start": at(0.5),
            "scheduled_end": at(2),
        },
        content_type="application/json",
    )
    assert clash.status_code == 400 and "Saigon Co.op buyers" in clash.json()["detail"][0]

    refused = staff_client.patch(
        f"/api/v1/meetings/{booking.pk}/", {"outcome": "agreement"}, content_type="application/json"
    )
    assert refused.status_code == 400
    agreed = staff_client.patch(
        f"/api/v1/meetings/{booking.pk}/",
        {"outcome": "agreement", "agreement_value": "250000000", "agreement_currency": "VND"},
        content_type="application/json",
    )
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["outcome"] == "agreement"


def test_cooperatives_see_the_meetings_they_take_part_in(
    coop_client, cooperative, other_cooperative
):
    ours = MeetingBookingFactory()
    ours.cooperatives.add(cooperative)
    theirs = MeetingBookingFactory(session__scheduled_start=START)
    theirs.cooperatives.add(other_cooperative)
    rows = coop_client.get("/api/v1/meetings/").json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]


def test_duplicate_hosts_or_products_are_refused_not_a_server_error(staff_client, room, channel):
    kol = HostFactory()
    product = ProductFactory()
    twice_the_host = staff_client.post(
        "/api/v1/sessions/",
        session_payload(room, channel, hosts=[{"host": kol.pk}, {"host": kol.pk}]),
        content_type="application/json",
    )
    assert twice_the_host.status_code == 400
    twice_the_product = staff_client.post(
        "/api/v1/sessions/",
        session_payload(
            room,
            channel,
            lineup=[{"product": product.pk, "planned_minutes": 5}] * 2,
        ),
        content_type="application/json",
    )
    assert twice_the_product.status_code == 400
    assert not Session.objects.exists()


def test_drafts_stay_with_the_bureau(host_user, official_client, staff_client):
    host = HostFactory(user=host_user)
    draft = SessionHostFactory(host=host, session__status=Session.Status.DRAFT).session
    host_client = client_for(host_user)
    assert host_client.get("/api/v1/sessions/").json()["count"] == 0
    assert host_client.get(f"/api/v1/sessions/{draft.pk}/").status_code == 404
    assert staff_client.get(f"/api/v1/sessions/{draft.pk}/").status_code == 200
    assert official_client.get(f"/api/v1/sessions/{draft.pk}/").status_code == 200


def test_meetings_filter_by_date_room_and_outcome(staff_client):
    room = RoomFactory(slug="negotiation-room", kind=Room.Kind.MEETING)
    early = MeetingBookingFactory(session__room=room, session__scheduled_start=START)
    late = MeetingBookingFactory(
        session__scheduled_start=START + datetime.timedelta(days=9),
        outcome=MeetingBooking.Outcome.NO_DEAL,
    )

    def ids(query):
        return {
            row["id"] for row in staff_client.get(f"/api/v1/meetings/?{query}").json()["results"]
        }

    assert ids("room=negotiation-room") == {early.pk}
    assert ids("outcome=no_deal") == {late.pk}
    assert ids("starts_after=2030-06-05T00:00:00Z") == {late.pk}
    assert staff_client.get("/api/v1/meetings/?starts_after=yesterday").status_code == 400


def test_on_air_marks_through_the_api(host_user, official_client):
    host = HostFactory(user=host_user)
    session = SessionHostFactory(host=host).session
    item = LineupItemFactory(session=session)
    client = client_for(host_user)
    url = f"/api/v1/sessions/{session.pk}/on-air/"
    assert client.post(url, {"item": item.pk}).status_code == 409  # not live yet
    Session.objects.filter(pk=session.pk).update(status=Session.Status.LIVE)
    response = client.post(url, {"item": item.pk})
    assert response.status_code == 200 and response.json()["changed"] is True
    off = client.post(f"/api/v1/sessions/{session.pk}/off-air/", {"item": item.pk})
    assert off.json()["on_air_ended_at"] is not None
    assert official_client.post(url, {"item": item.pk}).status_code == 403
    other = LineupItemFactory(session=SessionFactory(scheduled_start=START, status="live"))
    assert client.post(url, {"item": other.pk}).status_code == 404


def test_the_schema_describes_the_live_session_endpoints(staff_client):
    schema = staff_client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/channels/",
        "/api/v1/rooms/",
        "/api/v1/hosts/",
        "/api/v1/sessions/{id}/metrics/",
        "/api/v1/sessions/{id}/on-air/",
        "/api/v1/meetings/",
    ):
        assert path in schema, path
