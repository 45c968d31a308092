"""Delivered, returned and cancelled shares per shipping provider and per product."""

from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from orders.models import Order, OrderLine

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db
OUTCOMES = {"delivered": {"delivered", "completed"}, "returned": {"returned"},
            "cancelled": {"cancelled"}}  # fmt: skip


def test_provider_rates_equal_the_attributed_orders_statuses(sold, official_client):
    response = official_client.get("/dashboards/deliveries/", WHOLE)
    assert response.status_code == 200
    statuses: dict[str, Counter] = defaultdict(Counter)
    for provider, status in Order.objects.filter(session__isnull=False).values_list(
        "shipping_provider", "status"
    ):
        statuses[provider][status] += 1
    shown = {entry["shipping_provider"]: entry for entry in response.context["providers"]}
    assert set(shown) == set(statuses)
    for provider, counts in statuses.items():
        total = sum(counts.values())
        assert shown[provider]["orders"] == total
        for outcome, members in OUTCOMES.items():
            count = sum(counts[status] for status in members)
            assert shown[provider][outcome] == count, (provider, outcome)
            assert shown[provider][f"{outcome}_rate"] == (Decimal(count) / total if total else None)


def test_product_rates_count_the_orders_holding_each_product(sold, official_client):
    response = official_client.get("/dashboards/deliveries/", WHOLE)
    orders: dict[int, dict[int, str]] = defaultdict(dict)
    for product_id, order_id, status in OrderLine.objects.filter(
        order__session__isnull=False, product__isnull=False
    ).values_list("product_id", "order_id", "order__status"):
        orders[product_id][order_id] = status
    shown = {entry["product_id"]: entry for entry in response.context["products"]}
    assert set(shown) == set(orders)
    for product_id, by_order in orders.items():
        assert shown[product_id]["orders"] == len(by_order)
        cancelled = sum(1 for status in by_order.values() if status == "cancelled")
        assert shown[product_id]["cancelled"] == cancelled


def test_deliveries_download_and_are_not_for_members(sold, official_client, coop_client):
    response = official_client.get(
        "/dashboards/deliveries/", {**WHOLE, "table": "providers", "format": "xlsx"}
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert coop_client.get("/dashboards/deliveries/").status_code == 403


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_deliveries_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=sessions)
    official_client.get("/dashboards/")
    # Queries: session, user, groups (3); the bases (1); per provider and per product (2).
    with django_assert_num_queries(6):
        official_client.get("/dashboards/deliveries/", {"start": "2025-06-01", "end": "2025-06-30"})
