"""The unmatched-SKU and ambiguous-order queues that staff work through."""

import datetime as dt

import pytest
from django.urls import reverse

from catalog.models import PlatformListing
from orders.models import Order, OrderLine, SessionSales
from tests.catalog.factories import ProductFactory
from tests.livestreams.factories import SessionFactory

from .conftest import GIA_LAI

pytestmark = pytest.mark.django_db

LATER = "tiktok_orders_gialai.csv"


def test_staff_map_an_unmatched_sku_from_the_queue_and_it_leaves_the_queue(
    staff_client, importer, tiktok_channel, megalive, django_capture_on_commit_callbacks
):
    importer(tiktok_channel, LATER)
    page = staff_client.get(reverse("orders:unmatched"))
    skus = page.context["skus"]
    assert skus
    first = skus[0]
    product = ProductFactory(name="Chư Sê Robusta")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("orders:unmatched"),
            {
                "platform": first["order__platform"],
                "sku_id": first["sku_id"],
                "seller_sku": first["seller_sku"],
                "product": product.pk,
            },
        )
    assert response.status_code == 302
    assert OrderLine.objects.filter(product=product).count() == first["lines"]
    assert PlatformListing.objects.filter(sku_id=first["sku_id"], product=product).exists()
    remaining = staff_client.get(reverse("orders:unmatched")).context["skus"]
    assert first["sku_id"] not in {sku["sku_id"] for sku in remaining}
    assert megalive.product_sales.filter(product=product).exists()


def test_staff_resolve_an_ambiguous_order_from_the_queue(
    staff_client, importer, tiktok_channel, megalive, django_capture_on_commit_callbacks
):
    SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
    )
    importer(tiktok_channel, LATER)
    rows = staff_client.get(reverse("orders:ambiguous")).context["rows"]
    order = rows[0]["order"]
    before = SessionSales.objects.get(session=megalive).orders
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("orders:ambiguous"), {"order": order.pk, "session": megalive.pk})
    order.refresh_from_db()
    assert order.attribution == Order.Attribution.MANUAL
    assert order.session_id == megalive.pk
    assert SessionSales.objects.get(session=megalive).orders == before + 1


def test_a_session_outside_the_candidates_cannot_be_chosen(
    staff_client, importer, tiktok_channel, megalive
):
    SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
    )
    stranger = SessionFactory(channel=tiktok_channel)
    importer(tiktok_channel, LATER)
    order = Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).first()
    response = staff_client.post(
        reverse("orders:ambiguous"), {"order": order.pk, "session": stranger.pk}
    )
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.attribution == Order.Attribution.AMBIGUOUS


@pytest.mark.parametrize("extra_imports", [0, 1])
def test_queue_pages_keep_a_fixed_query_budget(
    staff_client, importer, tiktok_channel, megalive, django_assert_num_queries, extra_imports
):
    SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
    )
    importer(tiktok_channel, "tiktok_orders_gialai_early.csv")
    if extra_imports:
        importer(tiktok_channel, LATER)
    # Unmatched: session, user, groups, the bases, SKUs grouped by SKU id, then by seller
    # SKU, products.
    with django_assert_num_queries(7):
        staff_client.get(reverse("orders:unmatched"))
    # Ambiguous: session, user, groups, the count of ambiguous orders (the page says how many
    # there are), one page of them with channel, candidate sessions, channels for the
    # range form, the bases.
    with django_assert_num_queries(8):
        staff_client.get(reverse("orders:ambiguous"))
    # Imports list: session, user, groups, channels for the form, batches with channel+user,
    # the count of orders whose status waits for staff, the bases.
    with django_assert_num_queries(7):
        staff_client.get(reverse("orders:import-list"))
