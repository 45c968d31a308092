"""Staff's queues show their size and take decisions in bulk, on the pages and through the API."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Platform
from orders import services
from orders.models import Order, OrderLine, SessionSales
from tests.catalog.factories import ProductFactory
from tests.livestreams.factories import SessionFactory

from .conftest import GIA_LAI, read_rows

pytestmark = pytest.mark.django_db

ORDERS = "tiktok_orders_gialai.csv"
WAITING = 120


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def two_sessions(tiktok_channel):
    first = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
    )
    second = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
    )
    return first, second


@pytest.fixture
def waiting_orders(tiktok_channel, two_sessions):
    """WAITING ambiguous orders, one a minute from 20:00 local time."""
    first, second = two_sessions
    start = dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI)
    return Order.objects.bulk_create(
        Order(
            channel=tiktok_channel,
            platform=Platform.TIKTOK_SHOP,
            external_id=f"AMB-{index:04d}",
            status=Order.Status.PAID,
            placed_at=start + dt.timedelta(minutes=index),
            currency="VND",
            attribution=Order.Attribution.AMBIGUOUS,
            candidate_session_ids=[first.pk, second.pk],
        )
        for index in range(WAITING)
    )


def test_the_ambiguous_page_is_paged_and_says_how_many_orders_wait(staff_client, waiting_orders):
    first_page = staff_client.get(reverse("orders:ambiguous"))
    content = first_page.content.decode()

    assert first_page.context["page"].paginator.count == WAITING
    assert f"{WAITING} orders wait for a choice." in content
    assert "1–50 of 120" in content
    assert 'rel="next"' in content
    last = staff_client.get(reverse("orders:ambiguous"), {"page": 3})
    assert len(last.context["rows"]) == WAITING - 100


def test_staff_choose_one_session_for_the_selected_orders(
    staff_client, waiting_orders, two_sessions, django_capture_on_commit_callbacks
):
    first, _second = two_sessions
    chosen = [order.pk for order in waiting_orders[:7]]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("orders:ambiguous"), {"orders": chosen, "session": first.pk}
        )

    assert response.status_code == 302
    decided = Order.objects.filter(pk__in=chosen)
    assert set(decided.values_list("attribution", "session_id")) == {
        (Order.Attribution.MANUAL, first.pk)
    }
    assert Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).count() == WAITING - 7
    assert SessionSales.objects.get(session=first).orders == 7


def test_a_session_that_is_not_a_candidate_of_every_selected_order_changes_nothing(
    staff_client, waiting_orders, tiktok_channel
):
    stranger = SessionFactory(channel=tiktok_channel)
    response = staff_client.post(
        reverse("orders:ambiguous"),
        {"orders": [waiting_orders[0].pk, waiting_orders[1].pk], "session": stranger.pk},
        follow=True,
    )
    assert "is not a candidate of 2 of the 2 orders" in response.content.decode()
    assert Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).count() == WAITING


def test_staff_decide_every_order_of_a_time_range_at_once(
    staff_client, waiting_orders, tiktok_channel
):
    response = staff_client.post(
        reverse("orders:ambiguous"),
        {
            "channel": tiktok_channel.pk,
            # 20:10 to 20:40 local time: orders 10 to 39.
            "placed_from": "2025-05-20T20:10",
            "placed_until": "2025-05-20T20:40",
            "session": "",
        },
    )
    assert response.status_code == 302
    decided = Order.objects.filter(attribution=Order.Attribution.MANUAL)
    assert sorted(decided.values_list("external_id", flat=True)) == [
        f"AMB-{index:04d}" for index in range(10, 40)
    ]
    assert not decided.filter(session__isnull=False).exists()


def test_the_unmatched_queue_sorts_by_lines_and_maps_several_skus_at_once(
    staff_client, importer, tiktok_channel, django_capture_on_commit_callbacks
):
    importer(tiktok_channel, ORDERS)
    lines_per_sku = Counter(row["SKU ID"] for row in read_rows(ORDERS))
    skus = staff_client.get(reverse("orders:unmatched")).context["skus"]
    assert [sku["lines"] for sku in skus] == sorted(lines_per_sku.values(), reverse=True)
    picked = skus[:2]
    product = ProductFactory(name="Gia Lai gift box")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("orders:unmatched"),
            {
                "platform": Platform.TIKTOK_SHOP,
                "skus": [f"{sku['sku_id']}|{sku['seller_sku']}" for sku in picked],
                "product": product.pk,
            },
        )

    assert response.status_code == 302
    assert OrderLine.objects.filter(product=product).count() == sum(
        lines_per_sku[sku["sku_id"]] for sku in picked
    )
    left = staff_client.get(reverse("orders:unmatched")).context["skus"]
    assert {sku["sku_id"] for sku in picked}.isdisjoint(sku["sku_id"] for sku in left)


def test_the_statuses_page_lists_unknown_statuses_and_maps_them(
    staff_client, tiktok_channel, megalive, django_capture_on_commit_callbacks
):
    order = Order.objects.create(
        channel=tiktok_channel,
        platform=Platform.TIKTOK_SHOP,
        external_id="ODD-1",
        status=Order.Status.UNKNOWN,
        raw_status="Đang kiểm tra",
        placed_at=dt.datetime(2025, 5, 20, 19, 30, tzinfo=GIA_LAI),
        currency="VND",
        session=megalive,
        attribution=Order.Attribution.WINDOW,
    )
    services.recompute_session_sales(session_ids=[megalive.pk])
    assert SessionSales.objects.get(session=megalive).unknown_status_orders == 1
    assert "Unknown statuses <strong>(1)</strong>" in (
        staff_client.get(reverse("orders:import-list")).content.decode()
    )
    page = staff_client.get(reverse("orders:statuses"))
    assert page.context["waiting"] == [
        {"platform": Platform.TIKTOK_SHOP, "raw_status": "Đang kiểm tra", "orders": 1}
    ]

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("orders:statuses"),
            {"platform": Platform.TIKTOK_SHOP, "raw_status": "Đang kiểm tra", "status": "paid"},
        )

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert SessionSales.objects.get(session=megalive).unknown_status_orders == 0
    mapped = staff_client.get(reverse("orders:statuses"))
    assert mapped.context["waiting"] == []
    # Among the mappings already saved, as imports compare it (NFC, spaces, case).
    assert "đang kiểm tra" in mapped.content.decode()


def test_the_import_result_shows_the_unknown_status_and_older_counts(
    staff_client, importer, tiktok_channel
):
    batch = importer(tiktok_channel, ORDERS)
    content = staff_client.get(reverse("orders:import-detail", args=[batch.pk])).content.decode()
    assert "orders with an unknown status: 0" in content
    assert "orders older than what we have: 0" in content


# --- The same through the API, for scripts ----------------------------------------------------


def test_the_api_lists_ambiguous_orders_paged_and_decides_by_ids_and_by_range(
    bureau_staff, waiting_orders, two_sessions, tiktok_channel
):
    first, second = two_sessions
    client = api_as(bureau_staff)
    listing = client.get("/api/v1/ambiguous-orders/").json()
    assert listing["count"] == WAITING and len(listing["results"]) == 50
    assert listing["results"][0]["candidate_session_ids"] == [first.pk, second.pk]

    by_ids = client.post(
        "/api/v1/ambiguous-orders/decide/",
        {"session": second.pk, "order_ids": [waiting_orders[0].pk, waiting_orders[1].pk]},
        format="json",
    )
    assert by_ids.json() == {"decided": 2}
    by_range = client.post(
        "/api/v1/ambiguous-orders/decide/",
        {
            "session": None,
            "channel": tiktok_channel.slug,
            "placed_from": "2025-05-20T20:00:00+07:00",
            "placed_until": "2025-05-20T21:00:00+07:00",
        },
        format="json",
    )
    assert by_range.json() == {"decided": 58}
    assert Order.objects.filter(session=second).count() == 2
    refused = client.post(
        "/api/v1/ambiguous-orders/decide/",
        {
            "session": SessionFactory(channel=tiktok_channel).pk,
            "order_ids": [waiting_orders[-1].pk],
        },
        format="json",
    )
    assert refused.status_code == 400


def test_the_api_maps_several_skus_and_unknown_statuses(
    bureau_staff, importer, tiktok_channel, django_capture_on_commit_callbacks
):
    importer(tiktok_channel, ORDERS)
    client = api_as(bureau_staff)
    skus = client.get("/api/v1/unmatched-skus/").json()["results"]
    assert [sku["lines"] for sku in skus] == sorted((sku["lines"] for sku in skus), reverse=True)
    product = ProductFactory(name="Mapped through the API")
    with django_capture_on_commit_callbacks(execute=True):
        mapped = client.post(
            "/api/v1/unmatched-skus/map/",
            {
                "platform": Platform.TIKTOK_SHOP,
                "product": product.pk,
                "skus": [{"sku_id": sku["sku_id"]} for sku in skus[:3]],
            },
            format="json",
        )
    assert mapped.json() == {"matched_lines": sum(sku["lines"] for sku in skus[:3])}

    Order.objects.filter(pk=Order.objects.first().pk).update(
        status=Order.Status.UNKNOWN, raw_status="Chờ đối soát"
    )
    assert client.get("/api/v1/unknown-statuses/").json()["results"] == [
        {"platform": Platform.TIKTOK_SHOP, "raw_status": "Chờ đối soát", "orders": 1}
    ]
    answer = client.post(
        "/api/v1/unknown-statuses/map/",
        {"platform": Platform.TIKTOK_SHOP, "raw_status": "Chờ đối soát", "status": "completed"},
        format="json",
    )
    assert answer.json() == {"orders": 1}
    assert not Order.objects.filter(status=Order.Status.UNKNOWN).exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/ambiguous-orders/", "/api/v1/unmatched-skus/", "/api/v1/unknown-statuses/"]
)
def test_the_queue_endpoints_are_for_staff_only(path, official, coop_member, host_user):
    for user in (official, coop_member, host_user):
        assert api_as(user).get(path).status_code == 403
    assert APIClient().get(path).status_code == 403
