"""A session's live-room address is a public "Watch" link: https on its channel's platform's
own site, checked by the model, the services, the admin and the API alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Platform
from livestreams import services
from livestreams.models import Session
from tests.catalog.factories import ChannelFactory
from tests.livestreams.factories import RoomFactory, SessionFactory
from tests.livestreams.test_admin import ADD_URL, admin_post_data, errors_of

START = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)
TIKTOK_LIVE = "https://www.tiktok.com/@gialai.ocop/live"
DOUYIN_LIVE = "https://live.douyin.com/428764021753"


@pytest.fixture
def tiktok(db):
    return ChannelFactory(platform=Platform.TIKTOK_SHOP, slug="gialai-tiktok")


@pytest.fixture
def douyin(db):
    return ChannelFactory(platform=Platform.DOUYIN, slug="lhasa-douyin", currency="CNY")


@pytest.fixture
def room(db):
    return RoomFactory(slug="studio-a")


def test_the_model_refuses_an_address_off_the_channels_platform(tiktok):
    session = SessionFactory.build(
        room=RoomFactory(), channel=tiktok, live_room_url=DOUYIN_LIVE, occupied_until=START
    )
    with pytest.raises(ValidationError) as refused:
        session.clean()
    assert "live_room_url" in refused.value.message_dict
    session.live_room_url = TIKTOK_LIVE
    session.clean()


def test_scheduling_stores_a_good_address_and_refuses_a_bad_one(room, tiktok):
    session = services.schedule_session(
        title="Coffee live",
        room=room,
        channel=tiktok,
        scheduled_start=START,
        scheduled_end=START + datetime.timedelta(hours=1),
        live_room_url=TIKTOK_LIVE,
    )
    assert Session.objects.get(pk=session.pk).live_room_url == TIKTOK_LIVE
    with pytest.raises(ValidationError) as refused:
        services.schedule_session(
            title="Look-alike",
            room=room,
            channel=tiktok,
            scheduled_start=START + datetime.timedelta(hours=3),
            scheduled_end=START + datetime.timedelta(hours=4),
            live_room_url="https://tiktok.com.example.org/live",
        )
    assert "live_room_url" in refused.value.message_dict
    assert not Session.objects.filter(title="Look-alike").exists()


def test_moving_a_session_to_another_platforms_channel_rechecks_its_address(room, tiktok, douyin):
    session = SessionFactory(room=room, channel=tiktok, live_room_url=TIKTOK_LIVE)
    with pytest.raises(ValidationError) as refused:
        services.update_session(session=session, channel=douyin)
    assert "live_room_url" in refused.value.message_dict
    session = services.update_session(
        session=Session.objects.get(pk=session.pk), channel=douyin, live_room_url=DOUYIN_LIVE
    )
    assert Session.objects.get(pk=session.pk).live_room_url == DOUYIN_LIVE


def test_a_session_with_no_channel_takes_any_platforms_site_only(room):
    session = services.schedule_session(
        title="Open",
        room=room,
        scheduled_start=START,
        scheduled_end=START + datetime.timedelta(hours=1),
        live_room_url="https://fb.watch/abcDEF/",
    )
    assert session.live_room_url == "https://fb.watch/abcDEF/"
    with pytest.raises(ValidationError):
        services.update_session(session=session, live_room_url="https://example.org/live")


# --- The admin ---------------------------------------------------------------------------


def _admin_data(room, channel, url):
    data = admin_post_data(
        title="Coffee morning", room=room, start=START, end=START + datetime.timedelta(hours=1)
    )
    data["channel"] = channel.pk
    data["live_room_url"] = url
    return data


def test_staff_set_the_live_room_address_in_the_admin(staff_client, room, tiktok):
    response = staff_client.post(ADD_URL, _admin_data(room, tiktok, TIKTOK_LIVE))
    assert response.status_code == 302, errors_of(response)
    assert Session.objects.get(title="Coffee morning").live_room_url == TIKTOK_LIVE


def test_the_admin_refuses_an_address_off_the_channels_platform(staff_client, room, tiktok):
    response = staff_client.post(ADD_URL, _admin_data(room, tiktok, DOUYIN_LIVE))
    assert response.status_code == 200
    assert "live_room_url" in response.context["adminform"].form.errors
    assert "TikTok Shop" in str(response.context["adminform"].form.errors["live_room_url"])
    assert not Session.objects.filter(title="Coffee morning").exists()


# --- The API -----------------------------------------------------------------------------


def _payload(room, channel, **extra):
    return {
        "title": "Coffee megalive",
        "kind": "megalive",
        "room": room.slug,
        "channel": channel.slug,
        "scheduled_start": START.isoformat(),
        "scheduled_end": (START + datetime.timedelta(hours=2)).isoformat(),
        **extra,
    }


def test_the_api_stores_and_returns_the_live_room_address(staff_client, room, tiktok):
    response = staff_client.post(
        "/api/v1/sessions/",
        _payload(room, tiktok, live_room_url=TIKTOK_LIVE),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["live_room_url"] == TIKTOK_LIVE
    detail = staff_client.get(f"/api/v1/sessions/{response.json()['id']}/").json()
    assert detail["live_room_url"] == TIKTOK_LIVE


def test_the_api_refuses_an_address_off_the_channels_platform(staff_client, room, douyin):
    response = staff_client.post(
        "/api/v1/sessions/",
        _payload(room, douyin, live_room_url=TIKTOK_LIVE),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "live_room_url" in response.json()
    assert not Session.objects.exists()


def test_a_partial_change_of_the_address_is_checked_against_the_stored_channel(
    staff_client, room, douyin
):
    session = SessionFactory(room=room, channel=douyin)
    response = staff_client.patch(
        f"/api/v1/sessions/{session.pk}/",
        {"live_room_url": "http://live.douyin.com/1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = staff_client.patch(
        f"/api/v1/sessions/{session.pk}/",
        {"live_room_url": TIKTOK_LIVE},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "live_room_url" in str(response.json())
    response = staff_client.patch(
        f"/api/v1/sessions/{session.pk}/",
        {"live_room_url": DOUYIN_LIVE},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert session.live_room_url == DOUYIN_LIVE


def test_the_session_page_links_to_the_live_room(staff_client, room, tiktok):
    session = SessionFactory(room=room, channel=tiktok, live_room_url=TIKTOK_LIVE)
    page = staff_client.get(session.get_absolute_url()).content.decode()
    assert f'href="{TIKTOK_LIVE}"' in page
