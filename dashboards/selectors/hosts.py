"""The hosts' comparison over a period."""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from livestreams.models import Session, SessionHost

from ..money import from_cents
from .common import SELLING_KINDS, Period, ratio, require_all_sales, utc_bounds


def host_comparison(period: Period, *, user: AbstractBaseUser | AnonymousUser) -> list[dict]:
    """Per host and currency over the period's selling sessions: sessions, GMV, GMV per
    session and per hour on air, conversion (orders / views) and interactions (likes, comments,
    shares). A session's figures count in full for each of its hosts. Queries: 1."""
    require_all_sales(user)
    low, high = utc_bounds(period)
    rows = (
        SessionHost.objects.filter(
            session__kind__in=SELLING_KINDS,
            session__is_rehearsal=False,
            session__channel__isnull=False,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .filter(
            Q(session__sales_fact__day__range=(period.start, period.end))
            | Q(session__sales_fact__isnull=True, session__scheduled_start__gte=low,
                session__scheduled_start__lt=high)
        )
        .values(
            "host_id", "host__display_name", "host__kind", "session_id",
            "session__scheduled_start", "session__scheduled_end", "session__actual_start",
            "session__actual_end", "session__channel__currency",
            "session__sales_fact__gross_gmv_cents", "session__sales_fact__orders",
            "session__metrics__views", "session__metrics__likes",
            "session__metrics__comments", "session__metrics__shares",
        )
        .order_by("host__display_name", "session_id")
    )  # fmt: skip
    hosts: dict[tuple, dict] = {}
    for row in rows:
        key = (row["host_id"], row["session__channel__currency"])
        entry = hosts.setdefault(
            key,
            {"host_id": row["host_id"], "name": row["host__display_name"],
             "kind": row["host__kind"], "currency": key[1], "sessions": 0, "gross_cents": 0,
             "orders": 0, "seconds": 0, "views": 0, "orders_with_views": 0, "interactions": 0},
        )  # fmt: skip
        start = row["session__actual_start"] or row["session__scheduled_start"]
        end = row["session__actual_end"] or row["session__scheduled_end"]
        entry["sessions"] += 1
        entry["gross_cents"] += row["session__sales_fact__gross_gmv_cents"] or 0
        entry["orders"] += row["session__sales_fact__orders"] or 0
        entry["seconds"] += max(0, (end - start).total_seconds())
        if row["session__metrics__views"]:
            entry["views"] += row["session__metrics__views"]
            entry["orders_with_views"] += row["session__sales_fact__orders"] or 0
        entry["interactions"] += sum(
            row[f"session__metrics__{name}"] or 0 for name in ("likes", "comments", "shares")
        )
    result = []
    for entry in hosts.values():
        gross = from_cents(entry.pop("gross_cents"))
        hours = Decimal(entry.pop("seconds")) / 3600
        result.append(
            {
                **entry,
                "hours_on_air": hours.quantize(Decimal("0.01")),
                "gross_gmv": gross,
                "gmv_per_session": (gross / entry["sessions"]).quantize(Decimal("0.01")),
                "gmv_per_hour": (gross / hours).quantize(Decimal("0.01")) if hours else None,
                "conversion": ratio(entry["orders_with_views"], entry["views"]),
            }
        )
    return sorted(result, key=lambda entry: (entry["currency"], -entry["gross_gmv"]))
