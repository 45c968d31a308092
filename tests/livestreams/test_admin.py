"""Bureau staff schedule in the Django admin; the forms refuse clashes with a clear message."""

import datetime

import pytest
from django.utils import timezone

from livestreams.models import LineupItem, Session, SessionHost
from tests.catalog.factories import ProductFactory
from tests.livestreams.factories import (
    HostFactory,
    RoomFactory,
    SessionFactory,
    SessionHostFactory,
)

ADD_URL = "/admin/livestreams/session/add/"
START = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)
INLINE_PREFIXES = ("session_hosts", "lineup", "meeting", "attendances", "metrics")


def split(moment: datetime.datetime) -> tuple[str, str]:
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def admin_post_data(*, title, room, start, end, hosts=(), lineup=(), status="scheduled"):
    start_date, start_time = split(start)
    end_date, end_time = split(end)
    data = {
        "title": title,
        "kind": Session.Kind.REGULAR,
        "room": room.pk,
        "channel": "",
        "scheduled_start_0": start_date,
        "scheduled_start_1": start_time,
        "scheduled_end_0": end_date,
        "scheduled_end_1": end_time,
        "status": status,
        "platform_live_id": "",
        "notes": "",
    }
    for prefix in INLINE_PREFIXES:
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        data[f"{prefix}-TOTAL_FORMS"] = "0"
    data["session_hosts-TOTAL_FORMS"] = str(len(hosts))
    for index, (host, role) in enumerate(hosts):
        data[f"session_hosts-{index}-host"] = host.pk
        data[f"session_hosts-{index}-role"] = role
    data["lineup-TOTAL_FORMS"] = str(len(lineup))
    for index, (product, minutes) in enumerate(lineup):
        data[f"lineup-{index}-position"] = index + 1
        data[f"lineup-{index}-product"] = product.pk
        data[f"lineup-{index}-planned_minutes"] = minutes
    return data


def errors_of(response) -> str:
    context = response.context
    assert context is not None, response.status_code
    texts = [str(error) for error in context["errors"]]
    for formset in context["inline_admin_formsets"]:
        texts.extend(str(error) for error in formset.formset.non_form_errors())
    return " ".join(texts)


@pytest.fixture
def room(db):
    return RoomFactory(name="Helps farmers studio")


@pytest.fixture
def booked(room):
    return SessionFactory(
        title="Pepper harvest live",
        room=room,
        scheduled_start=START,
        scheduled_end=START + datetime.timedelta(hours=2),
    )


def test_staff_can_schedule_a_free_slot_in_the_admin(staff_client, room):
    host = HostFactory()
    response = staff_client.post(
        ADD_URL,
        admin_post_data(
            title="Coffee morning",
            room=room,
            start=START,
            end=START + datetime.timedelta(hours=1),
            hosts=[(host, SessionHost.Role.HOST)],
        ),
    )
    assert response.status_code == 302, errors_of(response)
    session = Session.objects.get(title="Coffee morning")
    assert session.scheduled_start == START
    assert session.session_hosts.get().host == host


def test_the_admin_refuses_a_room_clash_naming_the_other_session(staff_client, room, booked):
    response = staff_client.post(
        ADD_URL,
        admin_post_data(
            title="Overlapping",
            room=room,
            start=START + datetime.timedelta(hours=1),
            end=START + datetime.timedelta(hours=3),
        ),
    )
    assert response.status_code == 200
    assert "Pepper harvest live" in errors_of(response)
    assert not Session.objects.filter(title="Overlapping").exists()


def test_the_admin_refuses_a_host_clash_naming_the_other_session(staff_client, booked):
    place = SessionHostFactory(session=booked, host=HostFactory(display_name="Lan Anh (KOL)"))
    response = staff_client.post(
        ADD_URL,
        admin_post_data(
            title="Other studio, same KOL",
            room=RoomFactory(),
            start=START + datetime.timedelta(minutes=30),
            end=START + datetime.timedelta(hours=1),
            hosts=[(place.host, SessionHost.Role.KOL)],
        ),
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert "Lan Anh (KOL)" in errors
    assert "Pepper harvest live" in errors
    assert not Session.objects.filter(title="Other studio, same KOL").exists()


def test_the_admin_lets_a_cancelled_session_be_replaced(staff_client, room, booked):
    Session.objects.filter(pk=booked.pk).update(status=Session.Status.CANCELLED)
    response = staff_client.post(
        ADD_URL,
        admin_post_data(
            title="Replacement", room=room, start=START, end=START + datetime.timedelta(hours=2)
        ),
    )
    assert response.status_code == 302, errors_of(response)


def test_the_admin_refuses_a_line_up_longer_than_the_session(staff_client, room):
    products = ProductFactory.create_batch(3)
    response = staff_client.post(
        ADD_URL,
        admin_post_data(
            title="Short live",
            room=room,
            start=START,
            end=START + datetime.timedelta(minutes=10),
            lineup=[(product, 5) for product in products],
        ),
    )
    assert response.status_code == 200
    assert "15 minutes but the session lasts 10 minutes" in errors_of(response)
    assert not LineupItem.objects.exists()


def test_the_admin_warns_about_a_product_over_the_cap_but_saves(staff_client, room, settings):
    settings.LINEUP_PRODUCT_CAP_MINUTES = 5
    product = ProductFactory(name="Kbang forest honey")
    response = staff_client.post(
        ADD_URL,
        admin_post_data(
            title="Honey special",
            room=room,
            start=START,
            end=START + datetime.timedelta(hours=1),
            lineup=[(product, 12)],
        ),
        follow=True,
    )
    assert response.status_code == 200
    warnings = [str(message) for message in response.context["messages"]]
    assert any("Kbang forest honey" in text and "5-minute cap" in text for text in warnings)
    assert LineupItem.objects.get().planned_minutes == 12


def test_moving_a_session_in_the_admin_moves_its_host_copies(staff_client, booked):
    place = SessionHostFactory(session=booked)
    data = admin_post_data(
        title=booked.title,
        room=booked.room,
        start=START + datetime.timedelta(days=1),
        end=START + datetime.timedelta(days=1, hours=2),
    )
    data.pop("status")
    data.update(
        {
            "session_hosts-TOTAL_FORMS": "1",
            "session_hosts-INITIAL_FORMS": "1",
            "session_hosts-0-id": place.pk,
            "session_hosts-0-session": booked.pk,
            "session_hosts-0-host": place.host.pk,
            "session_hosts-0-role": place.role,
        }
    )
    response = staff_client.post(f"/admin/livestreams/session/{booked.pk}/change/", data)
    assert response.status_code == 302, errors_of(response)
    place.refresh_from_db()
    assert place.session_start == START + datetime.timedelta(days=1)


def test_the_cancel_action_uses_the_conditional_update(staff_client, booked):
    response = staff_client.post(
        "/admin/livestreams/session/",
        {"action": "cancel_sessions", "_selected_action": [booked.pk]},
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Session.Status.CANCELLED


def test_the_admin_pages_answer(staff_client, booked):
    from livestreams import services

    series = services.create_weekly_series(
        title="Weekly",
        room=RoomFactory(),
        weekday=0,
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        first_date=datetime.date(2030, 7, 1),
        until_date=datetime.date(2030, 7, 15),
    ).series
    room = RoomFactory()
    feed = staff_client.get(f"/admin/livestreams/room/{room.pk}/change/").content.decode()
    assert f"/calendar/rooms/{room.feed_token}.ics" in feed
    for url in (
        f"/admin/livestreams/sessionseries/{series.pk}/change/",
        f"/admin/livestreams/host/{HostFactory().pk}/change/",
        "/admin/livestreams/session/",
        f"/admin/livestreams/session/{booked.pk}/change/",
        "/admin/livestreams/sessionseries/add/",
        "/admin/livestreams/room/",
        "/admin/livestreams/host/",
        "/admin/livestreams/meetingbooking/",
        "/admin/livestreams/sessionmetrics/",
        "/admin/livestreams/sessionreminder/",
    ):
        assert staff_client.get(url).status_code == 200, url


def _png_bytes() -> bytes:
    import io

    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(output, "PNG")
    return output.getvalue()


def test_a_room_photo_is_checked_and_re_encoded(staff_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from livestreams.models import Room
    from tests.catalog.factories import ZoneFactory

    settings.MEDIA_ROOT = tmp_path
    zone = ZoneFactory()
    data = {"zone": zone.pk, "name": "Studio C", "slug": "studio-c", "kind": "studio"}
    refused = staff_client.post(
        "/admin/livestreams/room/add/",
        {**data, "photo": SimpleUploadedFile("photo.jpg", b"<html>not an image</html>")},
    )
    assert refused.status_code == 200
    assert not Room.objects.filter(slug="studio-c").exists()
    accepted = staff_client.post(
        "/admin/livestreams/room/add/",
        {**data, "photo": SimpleUploadedFile("my studio.png", _png_bytes())},
    )
    assert accepted.status_code == 302
    photo = Room.objects.get(slug="studio-c").photo
    assert photo.name.startswith("rooms/") and "my studio" not in photo.name
