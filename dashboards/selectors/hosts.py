"""The hosts' comparison over a period."""

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.db.models import Q

from core.types import AnyUser
from livestreams.models import Session, SessionHost

from ..money import from_cents
from .common import SELLING_KINDS, Period, ratio, require_all_sales, utc_bounds


class _HostSums(TypedDict):
    host_id: int
    name: str
    kind: str
    currency: str
    sessions: int
    gross_cents: int
    orders: int
    seconds: float
    views: int
    orders_with_views: int
    interactions: int


class HostComparisonRow(TypedDict):
    """A host's figures in one currency over the period."""

    host_id: int
    name: str
    kind: str
    currency: str
    sessions: int
    orders: int
    views: int
    orders_with_views: int
    interactions: int
    hours_on_air: Decimal
    gross_gmv: Decimal
    gmv_per_session: Decimal
    gmv_per_hour: Decimal | None
    conversion: Decimal | None


def host_comparison(period: Period, *, user: AnyUser) -> list[HostComparisonRow]:
    """Per host and currency over the period's selling sessions: sessions, GMV, GMV per
    session and per hour on air, conversion (orders / views) and interactions (likes, comments,
    shares). A session's figures count in full for each of its hosts. Of the period's base's
    channels when it has one. Queries: 1."""
    require_all_sales(user)
    low, high = utc_bounds(period)
    rows = (
        SessionHost.objects.filter(
            session__kind__in=SELLING_KINDS,
            session__is_rehearsal=False,
            session__channel__isnull=False,
        )
        .filter(period.of_base("session__channel__base_id"))
        .exclude(session__status=Session.Status.CANCELLED)
        .filter(
            Q(session__sales_fact__day__range=(period.start, period.end))
            | Q(
                session__sales_fact__isnull=True,
                session__scheduled_start__gte=low,
                session__scheduled_start__lt=high,
            )
        )
        .values(
            "host_id",
            "host__display_name",
            "host__kind",
            "session_id",
            "session__scheduled_start",
            "session__scheduled_end",
            "session__actual_start",
            "session__actual_end",
            "session__channel__currency",
            "session__sales_fact__gross_gmv_cents",
            "session__sales_fact__orders",
            "session__metrics__views",
            "session__metrics__likes",
            "session__metrics__comments",
            "session__metrics__shares",
        )
        .order_by("host__display_name", "session_id")
    )
    hosts: dict[tuple[int, str], _HostSums] = {}
    for row in rows:
        key = (row["host_id"], row["session__channel__currency"])
        entry = hosts.setdefault(
            key,
            {
                "host_id": row["host_id"],
                "name": row["host__display_name"],
                "kind": row["host__kind"],
                "currency": key[1],
                "sessions": 0,
                "gross_cents": 0,
                "orders": 0,
                "seconds": 0,
                "views": 0,
                "orders_with_views": 0,
                "interactions": 0,
            },
        )
        # The sales fact and metrics are outer joins: their columns may be NULL.
        orders: int | None = row["session__sales_fact__orders"]
        views: int | None = row["session__metrics__views"]
        start: dt.datetime = row["session__actual_start"] or row["session__scheduled_start"]
        end: dt.datetime = row["session__actual_end"] or row["session__scheduled_end"]
        entry["sessions"] += 1
        entry["gross_cents"] += row["session__sales_fact__gross_gmv_cents"] or 0
        entry["orders"] += orders or 0
        entry["seconds"] += max(0, (end - start).total_seconds())
        if views:
            entry["views"] += views
            entry["orders_with_views"] += orders or 0
        entry["interactions"] += sum(
            count or 0
            for count in (
                row["session__metrics__likes"],
                row["session__metrics__comments"],
                row["session__metrics__shares"],
            )
        )
    result: list[HostComparisonRow] = []
    for entry in hosts.values():
        gross = from_cents(entry["gross_cents"])
        hours = Decimal(entry["seconds"]) / 3600
        result.append(
            {
                "host_id": entry["host_id"],
                "name": entry["name"],
                "kind": entry["kind"],
                "currency": entry["currency"],
                "sessions": entry["sessions"],
                "orders": entry["orders"],
                "views": entry["views"],
                "orders_with_views": entry["orders_with_views"],
                "interactions": entry["interactions"],
                "hours_on_air": hours.quantize(Decimal("0.01")),
                "gross_gmv": gross,
                "gmv_per_session": (gross / entry["sessions"]).quantize(Decimal("0.01")),
                "gmv_per_hour": (gross / hours).quantize(Decimal("0.01")) if hours else None,
                "conversion": ratio(entry["orders_with_views"], entry["views"]),
            }
        )
    return sorted(result, key=lambda entry: (entry["currency"], -entry["gross_gmv"]))
