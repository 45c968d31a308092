"""The cooperatives' sales: the table of all of them over a period, and one
cooperative's sales through the base."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from cooperatives.models import Cooperative
from core.selectors import signed_in_user
from core.types import AnyUser

from ..models import (
    ProductSalesFact,
)
from ..money import from_cents
from .common import Period, can_view_all_sales, require_all_sales


class _CooperativeSums(TypedDict):
    cooperative_id: int
    currency: str
    gross: int
    net: int
    unit_count: int
    sessions: int
    products: int


class CooperativeTableRow(TypedDict):
    """A cooperative's sales over the period in one currency (none: empty, and zeros)."""

    cooperative_id: int
    name: str
    kind: str
    district: str
    province: str
    status: str
    currency: str
    gross_gmv: Decimal
    net_gmv: Decimal
    unit_count: int
    sessions: int
    products: int


class MonthSales(TypedDict):
    month: dt.date
    currency: str
    unit_count: int
    order_count: int
    gross_gmv: Decimal
    net_gmv: Decimal


class ProductSales(TypedDict):
    product_id: int | None
    product__name: str | None
    currency: str
    unit_count: int
    order_count: int
    gross_gmv: Decimal
    net_gmv: Decimal


class SessionSales(TypedDict):
    session_id: int
    session__title: str
    day: dt.date
    currency: str
    platform: str
    unit_count: int
    order_count: int
    gross_gmv: Decimal
    net_gmv: Decimal


class CurrencyTotals(TypedDict):
    currency: str
    gross_gmv: Decimal
    net_gmv: Decimal
    unit_count: int


class CooperativeSales(TypedDict):
    """What a cooperative sold through the base, each amount with its currency."""

    cooperative: Cooperative
    totals: list[CurrencyTotals]
    months: list[MonthSales]
    products: list[ProductSales]
    sessions: list[SessionSales]


def cooperatives_visible_to(user: AnyUser) -> QuerySet[Cooperative]:
    """Officials and staff see every cooperative's sales; a member only their own."""
    if can_view_all_sales(user):
        return Cooperative.objects.all()
    signed_in = signed_in_user(user)
    if signed_in is None:
        return Cooperative.objects.none()
    return Cooperative.objects.filter(memberships__user=signed_in)


COOPERATIVE_SORTS = ("name", "gmv")


def cooperative_table(
    period: Period, sort: str = "name", *, user: AnyUser
) -> list[CooperativeTableRow]:
    """Every approved cooperative, and any other that sold in the period, with the period's
    sales: one row per currency it sold in (none: one row of zeros). Queries: 2.

    Sorted by name, or (`gmv`) by currency then gross GMV, best first.
    """
    require_all_sales(user)
    sold: dict[int, list[_CooperativeSums]] = defaultdict(list)
    for row in (
        ProductSalesFact.objects.filter(
            day__range=(period.start, period.end), cooperative__isnull=False
        )
        .filter(period.of_base("channel__base_id"))
        .values("cooperative_id", "currency")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            unit_count=Sum("units"),
            sessions=Count("session", distinct=True),
            products=Count("product", distinct=True),
        )
        .order_by("currency")
    ):
        sold[row["cooperative_id"]].append(row)
    cooperatives = Cooperative.objects.filter(
        Q(status=Cooperative.Status.APPROVED) | Q(pk__in=list(sold))
    ).values("pk", "name", "kind", "district", "province", "status")
    rows: list[CooperativeTableRow] = []
    for cooperative in cooperatives.order_by("name", "pk"):
        # A cooperative that sold nothing: one row of zeros.
        sums: list[_CooperativeSums | None] = [*sold.get(cooperative["pk"], [])] or [None]
        for figures in sums:
            rows.append(
                {
                    "cooperative_id": cooperative["pk"],
                    "name": cooperative["name"],
                    "kind": cooperative["kind"],
                    "district": cooperative["district"],
                    "province": cooperative["province"],
                    "status": cooperative["status"],
                    "currency": figures["currency"] if figures else "",
                    "gross_gmv": from_cents(figures["gross"] if figures else None),
                    "net_gmv": from_cents(figures["net"] if figures else None),
                    "unit_count": (figures["unit_count"] if figures else None) or 0,
                    "sessions": (figures["sessions"] if figures else None) or 0,
                    "products": (figures["products"] if figures else None) or 0,
                }
            )
    if sort == "gmv":
        # Cooperatives with sales first, each currency on its own, best first.
        rows.sort(key=lambda row: (not row["currency"], row["currency"], -row["gross_gmv"]))
    return rows


def cooperative_sales(cooperative_id: int, *, user: AnyUser) -> CooperativeSales:
    """What a cooperative sold through the base: per month, per product and per session, each
    amount with its currency, with the cooperative itself. Cooperative.DoesNotExist unless the
    user may see it (officials and staff every one, a member their own). Queries: 4."""
    cooperative = cooperatives_visible_to(user).get(pk=cooperative_id)
    facts = ProductSalesFact.objects.filter(cooperative=cooperative)
    months: list[MonthSales] = [
        {
            "month": row["month"],
            "currency": row["currency"],
            "unit_count": row["unit_count"],
            "order_count": row["order_count"],
            "gross_gmv": from_cents(row["gross"]),
            "net_gmv": from_cents(row["net"]),
        }
        for row in facts.annotate(month=TruncMonth("day"))
        .values("month", "currency")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            unit_count=Sum("units"),
            order_count=Sum("orders"),
        )
        .order_by("-month", "currency")
    ]
    products: list[ProductSales] = [
        {
            "product_id": row["product_id"],
            "product__name": row["product__name"],
            "currency": row["currency"],
            "unit_count": row["unit_count"],
            "order_count": row["order_count"],
            "gross_gmv": from_cents(row["gross"]),
            "net_gmv": from_cents(row["net"]),
        }
        for row in facts.values("product_id", "product__name", "currency")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            unit_count=Sum("units"),
            order_count=Sum("orders"),
        )
        .order_by("currency", "-gross", "product__name")
    ]
    sessions: list[SessionSales] = [
        {
            "session_id": row["session_id"],
            "session__title": row["session__title"],
            "day": row["day"],
            "currency": row["currency"],
            "platform": row["platform"],
            "unit_count": row["unit_count"],
            "order_count": row["order_count"],
            "gross_gmv": from_cents(row["gross"]),
            "net_gmv": from_cents(row["net"]),
        }
        for row in facts.values("session_id", "session__title", "day", "currency", "platform")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            unit_count=Sum("units"),
            order_count=Sum("orders"),
        )
        .order_by("-day", "session_id")
    ]
    totals: dict[str, CurrencyTotals] = {}
    for month in months:
        entry = totals.setdefault(
            month["currency"],
            {
                "currency": month["currency"],
                "gross_gmv": Decimal(0),
                "net_gmv": Decimal(0),
                "unit_count": 0,
            },
        )
        entry["gross_gmv"] += month["gross_gmv"]
        entry["net_gmv"] += month["net_gmv"]
        entry["unit_count"] += month["unit_count"]
    return {
        "cooperative": cooperative,
        "totals": [totals[currency] for currency in sorted(totals)],
        "months": months,
        "products": products,
        "sessions": sessions,
    }
