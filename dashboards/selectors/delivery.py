"""Delivery outcomes of a period's attributed orders, per shipping provider and product."""

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Sum

from ..models import (
    DeliveryFact,
)
from .common import Period, ratio, require_all_sales

DELIVERED_STATUSES = ("delivered", "completed")


DELIVERY_OUTCOMES = {
    "delivered": DELIVERED_STATUSES,
    "returned": ("returned",),
    "cancelled": ("cancelled",),
}


def _rates(groups: dict) -> list[dict]:
    result = []
    for key, statuses in groups.items():
        total = sum(statuses.values())
        entry = {**dict(key), "orders": total}
        for outcome, members in DELIVERY_OUTCOMES.items():
            count = sum(statuses.get(status, 0) for status in members)
            entry[outcome] = count
            entry[f"{outcome}_rate"] = ratio(count, total)
        entry["in_progress"] = total - sum(entry[outcome] for outcome in DELIVERY_OUTCOMES)
        result.append(entry)
    return sorted(result, key=lambda entry: -entry["orders"])


def delivery_rates(period: Period, *, user: AbstractBaseUser | AnonymousUser) -> dict:
    """Delivered, returned and cancelled shares of the period's attributed orders, per
    shipping provider (whole orders) and per product (orders holding it). Queries: 2."""
    require_all_sales(user)
    facts = DeliveryFact.objects.filter(day__range=(period.start, period.end))
    providers: dict = defaultdict(dict)
    for row in (
        facts.filter(is_order_total=True)
        .values("shipping_provider", "status")
        .annotate(count=Sum("orders"))
        .order_by()
    ):
        providers[(("shipping_provider", row["shipping_provider"]),)][row["status"]] = row["count"]
    products: dict = defaultdict(dict)
    for row in (
        facts.filter(is_order_total=False, product__isnull=False)
        .values("product_id", "product__name", "status")
        .annotate(count=Sum("orders"))
        .order_by()
    ):
        key = (("product_id", row["product_id"]), ("product__name", row["product__name"]))
        products[key][row["status"]] = row["count"]
    return {"providers": _rates(providers), "products": _rates(products)}
