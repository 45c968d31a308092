"""The cooperatives' sales: the table of all of them over a period, and one
cooperative's sales through the base."""

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from cooperatives.models import Cooperative

from ..models import (
    ProductSalesFact,
)
from ..money import from_cents
from .common import Period, can_view_all_sales, require_all_sales


def cooperatives_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Cooperative]:
    """Officials and staff see every cooperative's sales; a member only their own."""
    if can_view_all_sales(user):
        return Cooperative.objects.all()
    if not user.is_authenticated:
        return Cooperative.objects.none()
    return Cooperative.objects.filter(memberships__user=user)


COOPERATIVE_SORTS = ("name", "gmv")


def cooperative_table(
    period: Period, sort: str = "name", *, user: AbstractBaseUser | AnonymousUser
) -> list[dict]:
    """Every approved cooperative, and any other that sold in the period, with the period's
    sales: one row per currency it sold in (none: one row of zeros). Queries: 2.

    Sorted by name, or (`gmv`) by currency then gross GMV, best first.
    """
    require_all_sales(user)
    sold: dict[int, list[dict]] = defaultdict(list)
    for row in (
        ProductSalesFact.objects.filter(
            day__range=(period.start, period.end), cooperative__isnull=False
        )
        .values("cooperative_id", "currency")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"),
                  unit_count=Sum("units"), sessions=Count("session", distinct=True),
                  products=Count("product", distinct=True))
        .order_by("currency")
    ):  # fmt: skip
        sold[row["cooperative_id"]].append(row)
    cooperatives = Cooperative.objects.filter(
        Q(status=Cooperative.Status.APPROVED) | Q(pk__in=list(sold))
    ).values("pk", "name", "kind", "district", "province", "status")
    rows = []
    for cooperative in cooperatives.order_by("name", "pk"):
        for row in sold.get(cooperative["pk"]) or [{}]:
            rows.append(
                {
                    "cooperative_id": cooperative["pk"],
                    "name": cooperative["name"],
                    "kind": cooperative["kind"],
                    "district": cooperative["district"],
                    "province": cooperative["province"],
                    "status": cooperative["status"],
                    "currency": row.get("currency", ""),
                    "gross_gmv": from_cents(row.get("gross")),
                    "net_gmv": from_cents(row.get("net")),
                    "unit_count": row.get("unit_count") or 0,
                    "sessions": row.get("sessions") or 0,
                    "products": row.get("products") or 0,
                }
            )
    if sort == "gmv":
        # Cooperatives with sales first, each currency on its own, best first.
        rows.sort(key=lambda row: (not row["currency"], row["currency"], -row["gross_gmv"]))
    return rows


def cooperative_sales(cooperative_id: int, *, user: AbstractBaseUser | AnonymousUser) -> dict:
    """What a cooperative sold through the base: per month, per product and per session, each
    amount with its currency, with the cooperative itself. Cooperative.DoesNotExist unless the
    user may see it (officials and staff every one, a member their own). Queries: 4."""
    cooperative = cooperatives_visible_to(user).get(pk=cooperative_id)
    facts = ProductSalesFact.objects.filter(cooperative=cooperative)
    sums = {
        "gross": Sum("gross_gmv_cents"),
        "net": Sum("net_gmv_cents"),
        "unit_count": Sum("units"),
        "order_count": Sum("orders"),
    }

    def money(rows) -> list[dict]:
        result = []
        for row in rows:
            row["gross_gmv"] = from_cents(row.pop("gross"))
            row["net_gmv"] = from_cents(row.pop("net"))
            result.append(row)
        return result

    months = money(
        facts.annotate(month=TruncMonth("day"))
        .values("month", "currency")
        .annotate(**sums)
        .order_by("-month", "currency")
    )
    products = money(
        facts.values("product_id", "product__name", "currency")
        .annotate(**sums)
        .order_by("currency", "-gross", "product__name")
    )
    sessions = money(
        facts.values("session_id", "session__title", "day", "currency", "platform")
        .annotate(**sums)
        .order_by("-day", "session_id")
    )
    totals: dict[str, dict] = {}
    for row in months:
        entry = totals.setdefault(
            row["currency"],
            {"currency": row["currency"], "gross_gmv": Decimal(0), "net_gmv": Decimal(0),
             "unit_count": 0},
        )  # fmt: skip
        entry["gross_gmv"] += row["gross_gmv"]
        entry["net_gmv"] += row["net_gmv"]
        entry["unit_count"] += row["unit_count"]
    return {
        "cooperative": cooperative,
        "totals": [totals[currency] for currency in sorted(totals)],
        "months": months,
        "products": products,
        "sessions": sessions,
    }
