"""The overview page (and the monthly report, which shows its KPIs and rankings): KPIs
against the previous period, the daily trend, the rankings, upcoming sessions and what each
channel sold."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from livestreams.models import Session, SessionHost

from ..models import (
    ChannelDaySales,
    ProductSalesFact,
    SessionSalesFact,
)
from ..money import from_cents
from .common import (
    HELD_STATUSES,
    SELLING_KINDS,
    TOP,
    Period,
    buyers_figure,
    change,
    ratio,
    require_all_sales,
)


def _period_totals(period: Period) -> dict[str, dict]:
    # One query: the sessions' roll-ups of the period, summed per currency, with the views
    # the staff entered (conversion = orders / views, over the sessions that have views).
    rows = (
        SessionSalesFact.objects.filter(day__range=(period.start, period.end))
        .values("currency")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            refunded=Sum("refunded_cents"),
            order_count=Sum("orders"),
            cancelled=Sum("cancelled_orders"),
            unit_count=Sum("units"),
            without_buyer=Sum("orders_without_buyer"),
            views=Sum("session__metrics__views"),
            orders_with_views=Sum("orders", filter=Q(session__metrics__views__gt=0)),
        )
        .order_by("currency")
    )
    return {row["currency"]: row for row in rows}


def _period_buyers(period: Period, previous: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Distinct buyers per currency in the period and in the one before (adjacent to it).

    One query. Written in SQL because DISTINCT in a subquery, then COUNT, lets PostgreSQL hash
    the buyers once, where COUNT(DISTINCT ...) sorts them: three times faster on a month of a
    busy base (bench/RESULTS.md).
    """
    sql = (
        "SELECT is_current, currency, COUNT(*) FROM ("
        " SELECT DISTINCT CASE WHEN day >= %s THEN 1 ELSE 0 END AS is_current,"
        " currency, buyer_hash FROM dashboards_sessionbuyer WHERE day >= %s AND day <= %s"
        ") AS buyers GROUP BY is_current, currency"
    )
    current: dict[str, int] = {}
    before: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.start, previous.start, period.end])
        for is_current, currency, count in cursor.fetchall():
            (current if is_current else before)[currency] = count
    return current, before


def sessions_held(periods: list[Period]) -> list[dict[str, int]]:
    """Per period, per channel currency: selling sessions held (live or ended), counted on
    the day they started in their channel's time zone; rehearsals left out."""
    first = min(period.start for period in periods) - dt.timedelta(days=1)
    last = max(period.end for period in periods) + dt.timedelta(days=2)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    low = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    high = dt.datetime.combine(last, dt.time(), tzinfo=zone)
    # One query over a margin of a day each side (time zones differ by less than that);
    # the exact local day is decided below.
    rows = (
        Session.objects.filter(
            kind__in=SELLING_KINDS,
            status__in=HELD_STATUSES,
            is_rehearsal=False,
            channel__isnull=False,
        )
        .filter(
            Q(actual_start__range=(low, high))
            | Q(actual_start__isnull=True, scheduled_start__range=(low, high))
        )
        .values_list("scheduled_start", "actual_start", "channel__time_zone", "channel__currency")
    )
    counts: list[dict[str, int]] = [defaultdict(int) for _ in periods]
    for scheduled_start, actual_start, time_zone, currency in rows:
        day = (actual_start or scheduled_start).astimezone(zoneinfo.ZoneInfo(time_zone)).date()
        for index, period in enumerate(periods):
            if period.start <= day <= period.end:
                counts[index][currency] += 1
    return [dict(count) for count in counts]


def _kpis(totals: dict, buyers: int, sessions: int) -> dict:
    gross = from_cents(totals.get("gross"))
    orders = totals.get("order_count") or 0
    buyer_count, buyers_partial = buyers_figure(orders, totals.get("without_buyer") or 0, buyers)
    return {
        "gross_gmv": gross,
        "net_gmv": from_cents(totals.get("net")),
        "refunded_amount": from_cents(totals.get("refunded")),
        "orders": orders,
        "cancelled_orders": totals.get("cancelled") or 0,
        "units": totals.get("unit_count") or 0,
        "buyers": buyer_count,
        "buyers_partial": buyers_partial,
        "orders_without_buyer": totals.get("without_buyer") or 0,
        "sessions": sessions,
        "gmv_per_session": (gross / sessions).quantize(Decimal("0.01")) if sessions else None,
        "views": totals.get("views") or 0,
        "conversion": ratio(totals.get("orders_with_views") or 0, totals.get("views")),
    }


KPI_NAMES = (
    "gross_gmv", "net_gmv", "orders", "units", "buyers", "sessions", "gmv_per_session",
    "conversion",
)  # fmt: skip


def period_kpis(period: Period) -> list[dict]:
    """KPIs of the period and of the one before, one entry per currency, never mixed.

    Queries: totals now and before (2), buyers now and before (1), sessions held (1).
    """
    previous = period.previous()
    totals, previous_totals = _period_totals(period), _period_totals(previous)
    buyers, previous_buyers = _period_buyers(period, previous)
    held, previous_held = sessions_held([period, previous])
    currencies = sorted({*totals, *previous_totals, *held, *previous_held} - {""})
    result = []
    for currency in currencies:
        now = _kpis(totals.get(currency, {}), buyers.get(currency, 0), held.get(currency, 0))
        before = _kpis(
            previous_totals.get(currency, {}),
            previous_buyers.get(currency, 0),
            previous_held.get(currency, 0),
        )
        changes = {name: change(now[name], before[name]) for name in KPI_NAMES}
        if now["buyers_partial"] or before["buyers_partial"]:
            # A lower bound compared with another tells nothing about the change.
            changes["buyers"] = None
        result.append({"currency": currency, "current": now, "previous": before, "change": changes})
    return result


def daily_trend(period: Period) -> list[dict]:
    """Per currency, the gross and net GMV and orders of each day of the period (zeros kept).

    Queries: 1.
    """
    rows = (
        SessionSalesFact.objects.filter(day__range=(period.start, period.end))
        .values("currency", "day")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), order_count=Sum("orders"))
        .order_by("currency", "day")
    )
    by_currency: dict[str, dict[dt.date, dict]] = defaultdict(dict)
    for row in rows:
        by_currency[row["currency"]][row["day"]] = row
    series = []
    for currency, days in sorted(by_currency.items()):
        points = []
        for day in period.days:
            row = days.get(day, {})
            points.append(
                {
                    "day": day,
                    "gross_gmv": from_cents(row.get("gross")),
                    "net_gmv": from_cents(row.get("net")),
                    "orders": row.get("order_count") or 0,
                }
            )
        series.append({"currency": currency, "points": points})
    return series


def _top_per_currency(rows, limit: int = TOP) -> dict[str, list[dict]]:
    ranked: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        entries = ranked[row["currency"]]
        if len(entries) < limit:
            row["gross_gmv"] = from_cents(row.pop("gross"))
            row["net_gmv"] = from_cents(row.pop("net", 0))
            entries.append(row)
    return dict(sorted(ranked.items()))


def top_products(period: Period, *, limit: int = TOP) -> dict[str, list[dict]]:
    rows = (
        ProductSalesFact.objects.filter(
            day__range=(period.start, period.end), product__isnull=False
        )
        .values("currency", "product_id", "product__name", "cooperative__name")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by("currency", "-gross", "product__name")
    )
    return _top_per_currency(rows, limit)


def top_cooperatives(period: Period, *, limit: int = TOP) -> dict[str, list[dict]]:
    rows = (
        ProductSalesFact.objects.filter(
            day__range=(period.start, period.end), cooperative__isnull=False
        )
        .values("currency", "cooperative_id", "cooperative__name")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by("currency", "-gross", "cooperative__name")
    )
    return _top_per_currency(rows, limit)


def top_channels(period: Period, *, limit: int = TOP) -> dict[str, list[dict]]:
    rows = (
        SessionSalesFact.objects.filter(day__range=(period.start, period.end))
        .values("currency", "channel_id", "channel__name", "platform")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            order_count=Sum("orders"),
            sessions=Count("pk"),
        )
        .order_by("currency", "-gross", "channel__name")
    )
    return _top_per_currency(rows, limit)


def top_hosts(period: Period, *, limit: int = TOP) -> dict[str, list[dict]]:
    """A host's figure is the GMV of the sessions they appeared in (shared, not split)."""
    rows = (
        SessionHost.objects.filter(
            session__sales_fact__day__range=(period.start, period.end),
        )
        .values("host_id", "host__display_name", currency=F("session__sales_fact__currency"))
        .annotate(
            gross=Sum("session__sales_fact__gross_gmv_cents"),
            net=Sum("session__sales_fact__net_gmv_cents"),
            sessions=Count("session", distinct=True),
        )
        .order_by("currency", "-gross", "host__display_name")
    )
    return _top_per_currency(rows, limit)


def upcoming_sessions(*, days: int = 7, limit: int = 20) -> list[Session]:
    """Sessions scheduled from now over the next `days` days. Queries: 2 (with hosts)."""
    now = timezone.now()
    return list(
        Session.objects.filter(
            scheduled_start__gte=now,
            scheduled_start__lt=now + dt.timedelta(days=days),
            status__in=(Session.Status.SCHEDULED, Session.Status.LIVE),
            is_rehearsal=False,
        )
        .select_related("room", "channel")
        .prefetch_related("hosts")
        .order_by("scheduled_start")[:limit]
    )


def channel_sales(period: Period) -> list[dict]:
    """What each channel sold in the period, all its orders, and the parts from sessions,
    ambiguous (counted in no session until staff choose) and not from a session, by the same
    rules as the session figures. One query over the daily channel roll-up; each channel in
    its own currency, never summed across currencies."""
    rows = (
        ChannelDaySales.objects.filter(day__range=(period.start, period.end))
        .values("channel_id", "channel__name", "currency", "part")
        .annotate(order_count=Sum("orders"), gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"))
        .order_by()
    )
    # Keyed by channel and currency: should a channel's currency ever change, its days in the
    # old currency stay a row of their own rather than be added to the new one.
    channels: dict[tuple[int, str], dict] = {}
    for row in rows:
        entry = channels.setdefault(
            (row["channel_id"], row["currency"]),
            {
                "channel": row["channel__name"],
                "currency": row["currency"],
                **{part: {"orders": 0, "gross": 0, "net": 0} for part in ChannelDaySales.Part},
            },
        )
        entry[row["part"]] = {
            "orders": row["order_count"],
            "gross": row["gross"],
            "net": row["net"],
        }
    result = []
    for entry in channels.values():
        parts = [entry[part] for part in ChannelDaySales.Part]
        total = {key: sum(part[key] for part in parts) for key in ("orders", "gross", "net")}
        result.append(
            {
                "channel": entry["channel"],
                "currency": entry["currency"],
                **{
                    name: {
                        "orders": figures["orders"],
                        "gross_gmv": from_cents(figures["gross"]),
                        "net_gmv": from_cents(figures["net"]),
                    }
                    for name, figures in (
                        ("all", total),
                        ("sessions", entry[ChannelDaySales.Part.SESSION]),
                        ("ambiguous", entry[ChannelDaySales.Part.AMBIGUOUS]),
                        ("unattributed", entry[ChannelDaySales.Part.NONE]),
                    )
                },
                "live_share": ratio(entry[ChannelDaySales.Part.SESSION]["gross"], total["gross"]),
            }
        )
    result.sort(key=lambda row: (row["currency"], -row["all"]["gross_gmv"], row["channel"]))
    return result


def overview(period: Period, *, user: AbstractBaseUser | AnonymousUser) -> dict:
    """Everything the overview page shows. Queries: 4 KPIs + 1 trend + 4 rankings + 2
    upcoming + 1 channel sales = 12, whatever the amount of data."""
    require_all_sales(user)
    return {
        "channel_sales": channel_sales(period),
        "period": period,
        "previous_period": period.previous(),
        "kpis": period_kpis(period),
        "trend": daily_trend(period),
        "top_products": top_products(period),
        "top_cooperatives": top_cooperatives(period),
        "top_hosts": top_hosts(period),
        "top_channels": top_channels(period),
        "upcoming": upcoming_sessions(),
    }


def monthly_report(month: dt.date, *, user: AbstractBaseUser | AnonymousUser) -> dict:
    """The monthly report: the month's KPIs against the month before, and its rankings (ten
    products and cooperatives). Queries: KPIs (4) and rankings (4)."""
    require_all_sales(user)
    period = Period.month_of(month)
    return {
        "kpis": period_kpis(period),
        "top_products": top_products(period, limit=10),
        "top_cooperatives": top_cooperatives(period, limit=10),
        "top_hosts": top_hosts(period),
        "top_channels": top_channels(period),
    }
