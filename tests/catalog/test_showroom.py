"""The showroom: floors, zones, slots and what is on show now; QR cards lead to product pages."""

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import Display, Zone
from tests.catalog.factories import DisplayFactory, DisplaySlotFactory, ProductFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_the_floor_plan_lists_what_is_on_show_now(anonymous):
    now = timezone.now()
    slot = DisplaySlotFactory(code="F1-A-03")
    current = DisplayFactory(slot=slot, product=ProductFactory(name="Yak jerky"))
    DisplayFactory(
        slot=DisplaySlotFactory(code="F1-A-04"),
        product=ProductFactory(name="Past product"),
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=5),
    )
    DisplayFactory(
        slot=DisplaySlotFactory(code="F1-A-05"),
        product=ProductFactory(name="Future product"),
        starts_at=now + datetime.timedelta(days=5),
    )
    ZoneFactory(floor=2, code="F2-LIVE-A", name="Excellent products live room")
    page = anonymous.get(reverse("catalog:floor-plan"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "F1-A-03" in text and "Yak jerky" in text
    assert "Past product" not in text and "Future product" not in text
    assert "Excellent products live room" in text
    assert reverse("catalog:showcase-product", args=[current.product.slug]) in text
    # Visitors see no management tools.
    assert reverse("catalog:display-create") not in text


def test_staff_place_and_take_down_displays_from_the_floor_plan(staff_client):
    slot, product = DisplaySlotFactory(), ProductFactory()
    page = staff_client.get(reverse("catalog:floor-plan")).content.decode()
    assert reverse("catalog:display-create") in page
    start = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    staff_client.post(
        reverse("catalog:display-create"),
        {"slot": slot.pk, "product": product.pk, "starts_at": start.strftime("%Y-%m-%dT%H:%M")},
    )
    display = Display.objects.get()
    clash = staff_client.post(
        reverse("catalog:display-create"),
        {
            "slot": slot.pk,
            "product": ProductFactory().pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    assert f"Slot {slot.code} already holds {product.name}" in clash.content.decode()
    staff_client.post(reverse("catalog:display-end", args=[display.pk]))
    display.refresh_from_db()
    assert display.ends_at is not None
    page = staff_client.get(reverse("catalog:floor-plan"))
    assert [
        slot.current_displays for zone in page.context["floors"][0][1] for slot in zone.slots.all()
    ] == [[]]


def test_visitors_and_members_cannot_manage_displays(anonymous, coop_client, official_client):
    display = DisplayFactory()
    for client in (coop_client, official_client):
        assert client.post(reverse("catalog:display-end", args=[display.pk])).status_code == 404
    assert anonymous.post(reverse("catalog:display-end", args=[display.pk])).status_code == 302
    display.refresh_from_db()
    assert display.ends_at is None


def test_each_display_has_a_printable_qr_code_leading_to_the_product_page(anonymous):
    display = DisplayFactory(slot=DisplaySlotFactory(code="F1-A-03"))
    card = anonymous.get(reverse("catalog:display-qr", args=[display.pk]))
    assert card.status_code == 200
    text = card.content.decode()
    assert "<svg" in text and "F1-A-03" in text
    product_url = "http://testserver" + reverse(
        "catalog:showcase-product", args=[display.product.slug]
    )
    assert product_url in text
    svg = anonymous.get(reverse("catalog:display-qr-svg", args=[display.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") or svg.content.startswith(b"<svg")


def test_a_display_may_follow_another_in_the_same_slot(db):
    slot = DisplaySlotFactory()
    start = timezone.now()
    services.place_display(
        slot=slot,
        product=ProductFactory(),
        starts_at=start,
        ends_at=start + datetime.timedelta(days=7),
    )
    services.place_display(
        slot=slot, product=ProductFactory(), starts_at=start + datetime.timedelta(days=7)
    )
    assert Display.objects.filter(slot=slot).count() == 2
    assert Zone.objects.count() == 1


@pytest.mark.skipif(
    not settings.IS_POSTGRESQL,
    reason="exclusion constraints exist on PostgreSQL only",
)
def test_postgresql_itself_refuses_two_displays_in_a_slot_at_once(db):
    slot = DisplaySlotFactory()
    start = timezone.now()
    DisplayFactory(slot=slot, starts_at=start, ends_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisplayFactory(slot=slot, starts_at=start + datetime.timedelta(days=1))
    # Back to back is fine: spans are half-open.
    other = DisplaySlotFactory()
    DisplayFactory(slot=other, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    DisplayFactory(slot=other, starts_at=start + datetime.timedelta(hours=1))


def test_the_thumbnail_task_runs_on_the_images_queue():
    from commerce_base.celery import app

    route = app.amqp.router.route({}, "catalog.tasks.make_product_image_thumbnail_task")
    assert route["queue"].name == "images"
