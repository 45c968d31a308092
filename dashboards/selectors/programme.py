"""The programme's roll-ups: sales by district, commune, category, platform and OCOP stars;
the share of declared capacity sold; monthly targets against sales."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from catalog.models import Certification, Platform, Product

from ..models import (
    ProductSalesFact,
    ProgrammeTarget,
)
from ..money import from_cents
from .common import Period, ratio, require_all_sales

PROGRAMME_DIMENSIONS = ("district", "commune", "category", "platform", "stars")


# Capacity is a product's: it has no platform.
CAPACITY_DIMENSIONS = ("all", "district", "commune", "category", "stars")


def _ocop_stars(day: dt.date) -> dict[int, int]:
    """Each product's best OCOP rating still valid on that day. Queries: 1."""
    return dict(
        Certification.objects.filter(kind=Certification.Kind.OCOP, product__isnull=False)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .values("product_id")
        .annotate(best=Max("stars"))
        .values_list("product_id", "best")
    )


def _group_keys(row: dict, stars: dict[int, int]) -> dict[str, tuple]:
    """The (key, label) of each programme group a roll-up row belongs to."""
    not_stated = str(_("Not stated"))
    district = row.get("district") or ""
    commune = ", ".join(part for part in (row.get("commune"), district) if part)
    platform = row.get("platform")
    rating = stars.get(row["product_id"])
    keys = {
        "all": ("", str(_("Whole base"))),
        "district": (district, district or not_stated),
        "commune": (commune, commune or not_stated),
        "category": (row.get("category_id"), row.get("category_name") or not_stated),
        "stars": (rating, f"OCOP {rating}★" if rating else str(_("No OCOP rating"))),
    }
    if platform is not None:
        keys["platform"] = (platform, str(Platform(platform).label))
    return keys


def month_share(period: Period) -> Decimal:
    """How many months the period covers, a month counting in proportion to its days covered
    (a monthly capacity times this is the period's capacity)."""
    share = Decimal(0)
    month = period.start.replace(day=1)
    while month <= period.end:
        whole = Period.month_of(month)
        first, last = max(whole.start, period.start), min(whole.end, period.end)
        share += Decimal((last - first).days + 1) / Decimal(whole.end.day)
        month = whole.end + dt.timedelta(days=1)
    return share


def _capacity_shares(rows: list[dict], stars: dict[int, int], period: Period) -> dict:
    """Per group: the units the base sold of products with a monthly capacity, against that
    capacity over the period, for the approved products that declare one (sold or not).
    Queries: 1."""
    products = list(
        Product.objects.filter(status=Product.Status.APPROVED, monthly_capacity__isnull=False)
        .values("pk", "monthly_capacity", "category_id", district=F("origin_district"),
                commune=F("origin_commune"), category_name=F("category__name"))
        .order_by()
    )  # fmt: skip
    sold: dict[int, int] = defaultdict(int)
    for row in rows:
        sold[row["product_id"]] += row["unit_count"] or 0
    months = month_share(period)
    groups: dict[str, dict] = {name: {} for name in CAPACITY_DIMENSIONS}
    for product in products:
        keys = _group_keys({**product, "product_id": product["pk"]}, stars)
        for dimension in CAPACITY_DIMENSIONS:
            key, label = keys[dimension]
            entry = groups[dimension].setdefault(
                key, {"value": key, "label": label, "units_sold": 0, "capacity": Decimal(0),
                      "products": 0},
            )  # fmt: skip
            entry["units_sold"] += sold.get(product["pk"], 0)
            entry["capacity"] += product["monthly_capacity"] * months
            entry["products"] += 1
    result = {}
    for dimension, entries in groups.items():
        listed = []
        for entry in entries.values():
            entry["capacity"] = entry["capacity"].quantize(Decimal(1))
            entry["share"] = ratio(entry["units_sold"], entry["capacity"])
            listed.append(entry)
        result[dimension] = sorted(listed, key=lambda item: -(item["share"] or 0))
    return result


def _plan_and_actual(period: Period, stars: dict[int, int]) -> list[dict]:
    """The targets of the months the period touches, each against what its whole month sold
    in its currency. Queries: targets (1) and, when there are any, the months' sales (1).

    The whole base and a platform count every line (unmatched ones too: they were sold);
    a district, category or OCOP rating only lines matched to a product.
    """
    first = period.start.replace(day=1)
    targets = list(
        ProgrammeTarget.objects.filter(month__range=(first, period.end))
        .select_related("category")
        .order_by("month", "dimension", "value", "category__name", "currency")
    )
    if not targets:
        return []
    last = Period.month_of(period.end).end
    actual: dict[tuple, list] = defaultdict(lambda: [0, 0])
    rows = (
        ProductSalesFact.objects.filter(day__range=(first, last))
        .annotate(month=TruncMonth("day"))
        .values("month", "currency", "platform", "product_id", "category_id",
                district=F("product__origin_district"))
        .annotate(gross=Sum("gross_gmv_cents"), unit_count=Sum("units"))
        .order_by()
    )  # fmt: skip
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        keys = _group_keys(row, stars)
        matched = row["product_id"] is not None
        for dimension in ("all", "platform", "district", "category", "stars"):
            if not matched and dimension not in ("all", "platform"):
                continue
            key = keys[dimension][0]
            key = "" if key is None else str(key)
            entry = actual[(month, row["currency"], dimension, key)]
            entry[0] += row["gross"] or 0
            entry[1] += row["unit_count"] or 0
    result = []
    for target in targets:
        key = str(target.category_id) if target.category_id else target.value
        gross_cents, units = actual.get((target.month, target.currency, target.dimension, key),
                                        (0, 0))  # fmt: skip
        gross = from_cents(gross_cents)
        result.append(
            {
                "id": target.pk,
                "month": target.month,
                "dimension": target.dimension,
                "dimension_label": target.get_dimension_display(),
                "value": key,
                "label": target.group_label,
                "currency": target.currency,
                "target_gmv": target.target_gmv,
                "actual_gmv": gross,
                "gmv_achieved": ratio(gross, target.target_gmv),
                "target_units": target.target_units,
                "actual_units": units,
                "units_achieved": ratio(units, target.target_units),
            }
        )
    return result


def programme_rollup(period: Period, *, user: AbstractBaseUser | AnonymousUser) -> dict:
    """The period's sales by district and commune of origin, category, platform and OCOP
    stars (a product's best rating valid at the period's start), each per currency; the
    share of the declared monthly capacity the base sold; each month's targets against the
    month's sales. Queries: roll-ups (1), OCOP ratings (1), capacities (1), targets (1) and,
    with targets, their months' sales (1)."""
    require_all_sales(user)
    rows = list(
        ProductSalesFact.objects.filter(
            day__range=(period.start, period.end), product__isnull=False
        )
        .values("currency", "platform", "product_id", "category_id",
                district=F("product__origin_district"), commune=F("product__origin_commune"),
                category_name=F("category__name"))
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by()
    )  # fmt: skip
    stars = _ocop_stars(period.start)
    groups: dict[str, dict[tuple, dict]] = {name: {} for name in PROGRAMME_DIMENSIONS}
    for row in rows:
        keys = _group_keys(row, stars)
        for dimension in PROGRAMME_DIMENSIONS:
            key, label = keys[dimension]
            entry = groups[dimension].setdefault(
                (key, row["currency"]),
                {"value": key, "label": label, "currency": row["currency"], "gross": 0,
                 "net": 0, "unit_count": 0, "products": set()},
            )  # fmt: skip
            entry["gross"] += row["gross"] or 0
            entry["net"] += row["net"] or 0
            entry["unit_count"] += row["unit_count"] or 0
            entry["products"].add(row["product_id"])
    result: dict = {}
    for dimension, entries in groups.items():
        listed = []
        for entry in entries.values():
            listed.append(
                {
                    "value": entry["value"],
                    "label": entry["label"],
                    "currency": entry["currency"],
                    "gross_gmv": from_cents(entry["gross"]),
                    "net_gmv": from_cents(entry["net"]),
                    "unit_count": entry["unit_count"],
                    "products": len(entry["products"]),
                }
            )
        result[dimension] = sorted(listed, key=lambda item: (item["currency"], -item["gross_gmv"]))
    result["capacity"] = _capacity_shares(rows, stars, period)
    result["plan"] = _plan_and_actual(period, stars)
    return result


def programme_targets(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[ProgrammeTarget]:
    """Every programme target, latest month first. Queries: 1 (with categories)."""
    require_all_sales(user)
    return ProgrammeTarget.objects.select_related("category").order_by(
        "-month", "dimension", "value", "category__name", "currency"
    )
