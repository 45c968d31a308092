"""Delivery outcomes of a period's attributed orders, per shipping provider and product."""

from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from django.db.models import Sum

from core.types import AnyUser

from ..models import (
    DeliveryFact,
)
from .common import Period, ratio, require_all_sales

DELIVERED_STATUSES = ("delivered", "completed")
RETURNED_STATUSES = ("returned",)
CANCELLED_STATUSES = ("cancelled",)


class DeliveryFigures(TypedDict):
    """Orders by outcome, each with its share of all the orders."""

    orders: int
    delivered: int
    delivered_rate: Decimal | None
    returned: int
    returned_rate: Decimal | None
    cancelled: int
    cancelled_rate: Decimal | None
    in_progress: int


class ProviderDelivery(DeliveryFigures):
    """A shipping provider's whole orders."""

    shipping_provider: str


class ProductDelivery(DeliveryFigures):
    """The orders holding a product."""

    product_id: int
    product__name: str


class DeliveryRates(TypedDict):
    providers: list[ProviderDelivery]
    products: list[ProductDelivery]


def _figures(statuses: dict[str, int]) -> DeliveryFigures:
    """The outcomes of orders counted by status."""
    total = sum(statuses.values())
    delivered = sum(statuses.get(status, 0) for status in DELIVERED_STATUSES)
    returned = sum(statuses.get(status, 0) for status in RETURNED_STATUSES)
    cancelled = sum(statuses.get(status, 0) for status in CANCELLED_STATUSES)
    return {
        "orders": total,
        "delivered": delivered,
        "delivered_rate": ratio(delivered, total),
        "returned": returned,
        "returned_rate": ratio(returned, total),
        "cancelled": cancelled,
        "cancelled_rate": ratio(cancelled, total),
        "in_progress": total - (delivered + returned + cancelled),
    }


def delivery_rates(period: Period, *, user: AnyUser) -> DeliveryRates:
    """Delivered, returned and cancelled shares of the period's attributed orders, per
    shipping provider (whole orders) and per product (orders holding it), of the period's
    base's channels when it has one. Queries: 2."""
    require_all_sales(user)
    facts = DeliveryFact.objects.filter(day__range=(period.start, period.end)).filter(
        period.of_base("session__channel__base_id")
    )
    providers: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        facts.filter(is_order_total=True)
        .values("shipping_provider", "status")
        .annotate(count=Sum("orders"))
        .order_by()
    ):
        providers[row["shipping_provider"]][row["status"]] = row["count"]
    products: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for product_row in (
        facts.filter(is_order_total=False, product__isnull=False)
        .values("product_id", "product__name", "status")
        .annotate(count=Sum("orders"))
        .order_by()
    ):
        key = (product_row["product_id"], product_row["product__name"])
        products[key][product_row["status"]] = product_row["count"]
    provider_rates: list[ProviderDelivery] = [
        {"shipping_provider": provider, **_figures(statuses)}
        for provider, statuses in providers.items()
    ]
    product_rates: list[ProductDelivery] = [
        {"product_id": product_id, "product__name": name, **_figures(statuses)}
        for (product_id, name), statuses in products.items()
    ]
    return {
        "providers": sorted(provider_rates, key=lambda entry: -entry["orders"]),
        "products": sorted(product_rates, key=lambda entry: -entry["orders"]),
    }
