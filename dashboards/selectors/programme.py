"""The programme's roll-ups: sales by district, commune, category, platform and OCOP stars;
the share of declared capacity sold; monthly targets against sales."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TypeAlias, TypedDict

from django.db.models import F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from catalog.models import Certification, Platform, Product
from core.types import AnyUser

from ..models import (
    ProductSalesFact,
    ProgrammeTarget,
)
from ..money import from_cents
from .common import Period, ratio, require_all_sales

PROGRAMME_DIMENSIONS = ("district", "commune", "category", "platform", "stars")


# Capacity is a product's: it has no platform.
CAPACITY_DIMENSIONS = ("all", "district", "commune", "category", "stars")

# What tells a programme group from the others of its dimension: a district's or commune's
# name, a category's id, a platform's code, a number of OCOP stars ("" or None: not stated).
GroupKey: TypeAlias = str | int | None


class ProgrammeGroupSales(TypedDict):
    """A programme group's sales over the period in one currency."""

    value: GroupKey
    label: str
    currency: str
    gross_gmv: Decimal
    net_gmv: Decimal
    unit_count: int
    products: int


class _GroupSums(TypedDict):
    value: GroupKey
    label: str
    currency: str
    gross: int
    net: int
    unit_count: int
    products: set[int]


class CapacityShare(TypedDict):
    """The units a group sold of products with a monthly capacity, against that capacity."""

    value: GroupKey
    label: str
    units_sold: int
    capacity: Decimal
    products: int
    share: Decimal | None


class PlanRow(TypedDict):
    """A month's target against what that whole month sold."""

    id: int
    month: dt.date
    dimension: str
    dimension_label: str
    value: str
    label: str
    currency: str
    target_gmv: Decimal | None
    actual_gmv: Decimal
    gmv_achieved: Decimal | None
    target_units: int | None
    actual_units: int
    units_achieved: Decimal | None


class ProgrammeRollup(TypedDict):
    district: list[ProgrammeGroupSales]
    commune: list[ProgrammeGroupSales]
    category: list[ProgrammeGroupSales]
    platform: list[ProgrammeGroupSales]
    stars: list[ProgrammeGroupSales]
    capacity: dict[str, list[CapacityShare]]
    plan: list[PlanRow]


def _ocop_stars(day: dt.date) -> dict[int, int]:
    """Each product's best OCOP rating still valid on that day. Queries: 1."""
    return dict(
        Certification.objects.filter(kind=Certification.Kind.OCOP, product__isnull=False)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .values("product_id")
        .annotate(best=Max("stars"))
        .values_list("product_id", "best")
    )


def _group_keys(
    stars: dict[int, int],
    *,
    product_id: int | None,
    district: str | None,
    commune: str | None = None,
    category_id: int | None,
    category_name: str | None = None,
    platform: str | None = None,
) -> dict[str, tuple[GroupKey, str]]:
    """The (key, label) of each programme group a roll-up row belongs to."""
    not_stated = str(_("Not stated"))
    district = district or ""
    commune = ", ".join(part for part in (commune, district) if part)
    rating = stars.get(product_id) if product_id is not None else None
    keys: dict[str, tuple[GroupKey, str]] = {
        "all": ("", str(_("Whole base"))),
        "district": (district, district or not_stated),
        "commune": (commune, commune or not_stated),
        "category": (category_id, category_name or not_stated),
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


def _capacity_shares(
    units_sold: dict[int, int], stars: dict[int, int], period: Period
) -> dict[str, list[CapacityShare]]:
    """Per group: the units the base sold of products with a monthly capacity, against that
    capacity over the period, for the approved products that declare one (sold or not).
    Queries: 1."""
    products = list(
        Product.objects.filter(status=Product.Status.APPROVED, monthly_capacity__isnull=False)
        .values(
            "pk",
            "monthly_capacity",
            "category_id",
            district=F("origin_district"),
            commune=F("origin_commune"),
            category_name=F("category__name"),
        )
        .order_by()
    )
    months = month_share(period)
    groups: dict[str, dict[GroupKey, CapacityShare]] = {name: {} for name in CAPACITY_DIMENSIONS}
    for product in products:
        keys = _group_keys(
            stars,
            product_id=product["pk"],
            district=product["district"],
            commune=product["commune"],
            category_id=product["category_id"],
            category_name=product["category_name"],
        )
        for dimension in CAPACITY_DIMENSIONS:
            key, label = keys[dimension]
            entry = groups[dimension].setdefault(
                key,
                {
                    "value": key,
                    "label": label,
                    "units_sold": 0,
                    "capacity": Decimal(0),
                    "products": 0,
                    "share": None,
                },
            )
            entry["units_sold"] += units_sold.get(product["pk"], 0)
            # Never 0 for want of one: only products that declare a capacity are read.
            entry["capacity"] += (product["monthly_capacity"] or 0) * months
            entry["products"] += 1
    result: dict[str, list[CapacityShare]] = {}
    for dimension, entries in groups.items():
        listed = []
        for entry in entries.values():
            entry["capacity"] = entry["capacity"].quantize(Decimal(1))
            entry["share"] = ratio(entry["units_sold"], entry["capacity"])
            listed.append(entry)
        result[dimension] = sorted(listed, key=lambda item: -(item["share"] or 0))
    return result


def _plan_and_actual(period: Period, stars: dict[int, int]) -> list[PlanRow]:
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
    # (month, currency, dimension, group): [gross in hundredths, units].
    actual: dict[tuple[dt.date, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        ProductSalesFact.objects.filter(day__range=(first, last))
        .annotate(month=TruncMonth("day"))
        .values(
            "month",
            "currency",
            "platform",
            "product_id",
            "category_id",
            district=F("product__origin_district"),
        )
        .annotate(gross=Sum("gross_gmv_cents"), unit_count=Sum("units"))
        .order_by()
    )
    for row in rows:
        month: dt.date = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        keys = _group_keys(
            stars,
            product_id=row["product_id"],
            district=row["district"],
            category_id=row["category_id"],
            platform=row["platform"],
        )
        matched = row["product_id"] is not None
        for dimension in ("all", "platform", "district", "category", "stars"):
            if not matched and dimension not in ("all", "platform"):
                continue
            group = keys[dimension][0]
            key = "" if group is None else str(group)
            entry = actual[(month, row["currency"], dimension, key)]
            entry[0] += row["gross"] or 0
            entry[1] += row["unit_count"] or 0
    result: list[PlanRow] = []
    for target in targets:
        key = str(target.category_id) if target.category_id else target.value
        gross_cents, units = actual.get(
            (target.month, target.currency, target.dimension, key), (0, 0)
        )
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


def programme_rollup(period: Period, *, user: AnyUser) -> ProgrammeRollup:
    """The period's sales by district and commune of origin, category, platform and OCOP
    stars (a product's best rating valid at the period's start), each per currency; the
    share of the declared monthly capacity the base sold; each month's targets against the
    month's sales. The roll-ups and the units sold against capacity are of the period's
    base's channels when it has one; the targets are the whole programme's, so their actual
    figures count every base. Queries: roll-ups (1), OCOP ratings (1), capacities (1),
    targets (1) and, with targets, their months' sales (1)."""
    require_all_sales(user)
    rows = list(
        ProductSalesFact.objects.filter(
            day__range=(period.start, period.end), product__isnull=False
        )
        .filter(period.of_base("channel__base_id"))
        .values(
            "currency",
            "platform",
            "product_id",
            "category_id",
            district=F("product__origin_district"),
            commune=F("product__origin_commune"),
            category_name=F("category__name"),
        )
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by()
    )
    stars = _ocop_stars(period.start)
    groups: dict[str, dict[tuple[GroupKey, str], _GroupSums]] = {
        name: {} for name in PROGRAMME_DIMENSIONS
    }
    for row in rows:
        keys = _group_keys(
            stars,
            product_id=row["product_id"],
            district=row["district"],
            commune=row["commune"],
            category_id=row["category_id"],
            category_name=row["category_name"],
            platform=row["platform"],
        )
        for dimension in PROGRAMME_DIMENSIONS:
            key, label = keys[dimension]
            entry = groups[dimension].setdefault(
                (key, row["currency"]),
                {
                    "value": key,
                    "label": label,
                    "currency": row["currency"],
                    "gross": 0,
                    "net": 0,
                    "unit_count": 0,
                    "products": set(),
                },
            )
            entry["gross"] += row["gross"] or 0
            entry["net"] += row["net"] or 0
            entry["unit_count"] += row["unit_count"] or 0
            entry["products"].add(row["product_id"])
    by_dimension: dict[str, list[ProgrammeGroupSales]] = {}
    for dimension, entries in groups.items():
        listed: list[ProgrammeGroupSales] = []
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
        by_dimension[dimension] = sorted(
            listed, key=lambda item: (item["currency"], -item["gross_gmv"])
        )
    units_sold: dict[int, int] = defaultdict(int)
    for row in rows:
        units_sold[row["product_id"]] += row["unit_count"] or 0
    return {
        "district": by_dimension["district"],
        "commune": by_dimension["commune"],
        "category": by_dimension["category"],
        "platform": by_dimension["platform"],
        "stars": by_dimension["stars"],
        "capacity": _capacity_shares(units_sold, stars, period),
        "plan": _plan_and_actual(period, stars),
    }


def programme_targets(*, user: AnyUser) -> QuerySet[ProgrammeTarget]:
    """Every programme target, latest month first. Queries: 1 (with categories)."""
    require_all_sales(user)
    return ProgrammeTarget.objects.select_related("category").order_by(
        "-month", "dimension", "value", "category__name", "currency"
    )
