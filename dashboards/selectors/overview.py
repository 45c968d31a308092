"""The overview page (and the monthly report, which shows its KPIs and rankings): KPIs
against the previous period, the daily trend, the rankings, upcoming sessions and what each
channel sold."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Literal, TypedDict, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from core.types import AnyUser
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
from .meetings import MeetingsAndTraining, meetings_and_training


class PeriodTotals(TypedDict):
    """A period's sums over the sessions' roll-ups, in one currency (money in hundredths)."""

    currency: str
    gross: int | None
    net: int | None
    refunded: int | None
    order_count: int | None
    cancelled: int | None
    unit_count: int | None
    without_buyer: int | None
    views: int | None
    orders_with_views: int | None


class Kpis(TypedDict):
    """A period's KPIs in one currency."""

    gross_gmv: Decimal
    net_gmv: Decimal
    refunded_amount: Decimal
    orders: int
    cancelled_orders: int
    units: int
    buyers: int | None
    buyers_partial: bool
    orders_without_buyer: int
    sessions: int
    gmv_per_session: Decimal | None
    views: int
    conversion: Decimal | None


KpiName = Literal[
    "gross_gmv", "net_gmv", "orders", "units", "buyers", "sessions", "gmv_per_session", "conversion"
]


class KpiEntry(TypedDict):
    """One currency's KPIs now and in the period before, and the change of each, in per cent."""

    currency: str
    current: Kpis
    previous: Kpis
    change: dict[KpiName, Decimal | None]


class TrendPoint(TypedDict):
    day: dt.date
    gross_gmv: Decimal
    net_gmv: Decimal
    orders: int


class TrendSeries(TypedDict):
    """One currency's daily figures over the period."""

    currency: str
    points: list[TrendPoint]


class _DaySums(TypedDict):
    currency: str
    day: dt.date
    gross: int | None
    net: int | None
    order_count: int | None


class Ranked(TypedDict):
    """What every ranking entry has: its currency and its GMV."""

    currency: str
    gross_gmv: Decimal
    net_gmv: Decimal


class ProductRanking(Ranked):
    product_id: int
    product__name: str
    cooperative__name: str | None
    unit_count: int


class CooperativeRanking(Ranked):
    cooperative_id: int
    cooperative__name: str
    unit_count: int


class ChannelRanking(Ranked):
    channel_id: int
    channel__name: str
    platform: str
    order_count: int
    sessions: int


class HostRanking(Ranked):
    host_id: int
    host__display_name: str
    sessions: int


_Entry = TypeVar("_Entry", bound=Ranked)


class ChannelFigures(TypedDict):
    orders: int
    gross_gmv: Decimal
    net_gmv: Decimal


class ChannelSales(TypedDict):
    """What a channel sold in the period: all its orders, and the parts from sessions,
    ambiguous and not from a session."""

    channel: str
    base: str
    currency: str
    all: ChannelFigures
    sessions: ChannelFigures
    ambiguous: ChannelFigures
    unattributed: ChannelFigures
    live_share: Decimal | None


class BaseSales(TypedDict):
    """What a base's channels sold in the period, in one currency (the overview compares the
    bases side by side)."""

    base: str
    currency: str
    channels: int
    all: ChannelFigures
    sessions: ChannelFigures
    live_share: Decimal | None


class _PartSums(TypedDict):
    orders: int
    gross: int
    net: int


class _ChannelParts(TypedDict):
    channel: str
    base: str
    currency: str
    parts: dict[str, _PartSums]


class Overview(TypedDict):
    channel_sales: list[ChannelSales]
    base_sales: list[BaseSales]
    period: Period
    previous_period: Period
    kpis: list[KpiEntry]
    trend: list[TrendSeries]
    top_products: dict[str, list[ProductRanking]]
    top_cooperatives: dict[str, list[CooperativeRanking]]
    top_hosts: dict[str, list[HostRanking]]
    top_channels: dict[str, list[ChannelRanking]]
    upcoming: list[Session]
    meetings_training: MeetingsAndTraining


class MonthlyReport(TypedDict):
    kpis: list[KpiEntry]
    top_products: dict[str, list[ProductRanking]]
    top_cooperatives: dict[str, list[CooperativeRanking]]
    top_hosts: dict[str, list[HostRanking]]
    top_channels: dict[str, list[ChannelRanking]]
    meetings_training: MeetingsAndTraining


def _period_totals(period: Period) -> dict[str, PeriodTotals]:
    # One query: the sessions' roll-ups of the period, summed per currency, with the views
    # the staff entered (conversion = orders / views, over the sessions that have views).
    rows = (
        SessionSalesFact.objects.filter(
            period.of_base("channel__base_id"), day__range=(period.start, period.end)
        )
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
        "{base}) AS buyers GROUP BY is_current, currency"
    )
    params: list[dt.date | int] = [period.start, previous.start, period.end]
    base = ""
    if period.base_id is not None:
        # The sessions of the base's channels.
        base = (
            " AND session_id IN (SELECT s.id FROM livestreams_session s"
            " JOIN catalog_channel c ON c.id = s.channel_id WHERE c.base_id = %s)"
        )
        params.append(period.base_id)
    current: dict[str, int] = {}
    before: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(base=base), params)
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
            periods[0].of_base("channel__base_id"),
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


def _no_totals(currency: str) -> PeriodTotals:
    """The totals of a currency nothing was sold in."""
    return PeriodTotals(
        currency=currency,
        gross=None,
        net=None,
        refunded=None,
        order_count=None,
        cancelled=None,
        unit_count=None,
        without_buyer=None,
        views=None,
        orders_with_views=None,
    )


def _kpis(totals: PeriodTotals, buyers: int, sessions: int) -> Kpis:
    gross = from_cents(totals["gross"])
    orders = totals["order_count"] or 0
    buyer_count, buyers_partial = buyers_figure(orders, totals["without_buyer"] or 0, buyers)
    return {
        "gross_gmv": gross,
        "net_gmv": from_cents(totals["net"]),
        "refunded_amount": from_cents(totals["refunded"]),
        "orders": orders,
        "cancelled_orders": totals["cancelled"] or 0,
        "units": totals["unit_count"] or 0,
        "buyers": buyer_count,
        "buyers_partial": buyers_partial,
        "orders_without_buyer": totals["without_buyer"] or 0,
        "sessions": sessions,
        "gmv_per_session": (gross / sessions).quantize(Decimal("0.01")) if sessions else None,
        "views": totals["views"] or 0,
        "conversion": ratio(totals["orders_with_views"] or 0, totals["views"]),
    }


KPI_NAMES: tuple[KpiName, ...] = (
    "gross_gmv",
    "net_gmv",
    "orders",
    "units",
    "buyers",
    "sessions",
    "gmv_per_session",
    "conversion",
)


def period_kpis(period: Period) -> list[KpiEntry]:
    """KPIs of the period and of the one before, one entry per currency, never mixed.

    Queries: totals now and before (2), buyers now and before (1), sessions held (1).
    """
    previous = period.previous()
    totals, previous_totals = _period_totals(period), _period_totals(previous)
    buyers, previous_buyers = _period_buyers(period, previous)
    held, previous_held = sessions_held([period, previous])
    currencies = sorted({*totals, *previous_totals, *held, *previous_held} - {""})
    result: list[KpiEntry] = []
    for currency in currencies:
        now = _kpis(
            totals.get(currency) or _no_totals(currency),
            buyers.get(currency, 0),
            held.get(currency, 0),
        )
        before = _kpis(
            previous_totals.get(currency) or _no_totals(currency),
            previous_buyers.get(currency, 0),
            previous_held.get(currency, 0),
        )
        changes: dict[KpiName, Decimal | None] = {
            name: change(now[name], before[name]) for name in KPI_NAMES
        }
        if now["buyers_partial"] or before["buyers_partial"]:
            # A lower bound compared with another tells nothing about the change.
            changes["buyers"] = None
        result.append({"currency": currency, "current": now, "previous": before, "change": changes})
    return result


def daily_trend(period: Period) -> list[TrendSeries]:
    """Per currency, the gross and net GMV and orders of each day of the period (zeros kept).

    Queries: 1.
    """
    rows = (
        SessionSalesFact.objects.filter(
            period.of_base("channel__base_id"), day__range=(period.start, period.end)
        )
        .values("currency", "day")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), order_count=Sum("orders"))
        .order_by("currency", "day")
    )
    by_currency: dict[str, dict[dt.date, _DaySums]] = defaultdict(dict)
    for row in rows:
        by_currency[row["currency"]][row["day"]] = row
    series: list[TrendSeries] = []
    for currency, days in sorted(by_currency.items()):
        points: list[TrendPoint] = []
        for day in period.days:
            sums = days.get(day)
            points.append(
                {
                    "day": day,
                    "gross_gmv": from_cents(sums["gross"] if sums else None),
                    "net_gmv": from_cents(sums["net"] if sums else None),
                    "orders": (sums["order_count"] if sums else None) or 0,
                }
            )
        series.append({"currency": currency, "points": points})
    return series


def _top_per_currency(entries: Iterable[_Entry], limit: int = TOP) -> dict[str, list[_Entry]]:
    """The first `limit` entries of each currency, the currencies in order."""
    ranked: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        listed = ranked[entry["currency"]]
        if len(listed) < limit:
            listed.append(entry)
    return dict(sorted(ranked.items()))


def top_products(period: Period, *, limit: int = TOP) -> dict[str, list[ProductRanking]]:
    rows = (
        ProductSalesFact.objects.filter(
            period.of_base("channel__base_id"),
            day__range=(period.start, period.end),
            product__isnull=False,
        )
        .values("currency", "product_id", "product__name", "cooperative__name")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by("currency", "-gross", "product__name")
    )
    return _top_per_currency(
        (
            ProductRanking(
                currency=row["currency"],
                product_id=row["product_id"],
                product__name=row["product__name"],
                cooperative__name=row["cooperative__name"],
                unit_count=row["unit_count"],
                gross_gmv=from_cents(row["gross"]),
                net_gmv=from_cents(row["net"]),
            )
            for row in rows
        ),
        limit,
    )


def top_cooperatives(period: Period, *, limit: int = TOP) -> dict[str, list[CooperativeRanking]]:
    rows = (
        ProductSalesFact.objects.filter(
            period.of_base("channel__base_id"),
            day__range=(period.start, period.end),
            cooperative__isnull=False,
        )
        .values("currency", "cooperative_id", "cooperative__name")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by("currency", "-gross", "cooperative__name")
    )
    return _top_per_currency(
        (
            CooperativeRanking(
                currency=row["currency"],
                cooperative_id=row["cooperative_id"],
                cooperative__name=row["cooperative__name"],
                unit_count=row["unit_count"],
                gross_gmv=from_cents(row["gross"]),
                net_gmv=from_cents(row["net"]),
            )
            for row in rows
        ),
        limit,
    )


def top_channels(period: Period, *, limit: int = TOP) -> dict[str, list[ChannelRanking]]:
    rows = (
        SessionSalesFact.objects.filter(
            period.of_base("channel__base_id"), day__range=(period.start, period.end)
        )
        .values("currency", "channel_id", "channel__name", "platform")
        .annotate(
            gross=Sum("gross_gmv_cents"),
            net=Sum("net_gmv_cents"),
            order_count=Sum("orders"),
            sessions=Count("pk"),
        )
        .order_by("currency", "-gross", "channel__name")
    )
    return _top_per_currency(
        (
            ChannelRanking(
                currency=row["currency"],
                channel_id=row["channel_id"],
                channel__name=row["channel__name"],
                platform=row["platform"],
                order_count=row["order_count"],
                sessions=row["sessions"],
                gross_gmv=from_cents(row["gross"]),
                net_gmv=from_cents(row["net"]),
            )
            for row in rows
        ),
        limit,
    )


def top_hosts(period: Period, *, limit: int = TOP) -> dict[str, list[HostRanking]]:
    """A host's figure is the GMV of the sessions they appeared in (shared, not split)."""
    rows = (
        SessionHost.objects.filter(
            period.of_base("session__channel__base_id"),
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
    return _top_per_currency(
        (
            HostRanking(
                host_id=row["host_id"],
                host__display_name=row["host__display_name"],
                currency=row["currency"],
                sessions=row["sessions"],
                gross_gmv=from_cents(row["gross"]),
                net_gmv=from_cents(row["net"]),
            )
            for row in rows
        ),
        limit,
    )


def upcoming_sessions(
    *, days: int = 7, limit: int = 20, base_id: int | None = None
) -> list[Session]:
    """Sessions scheduled from now over the next `days` days (of one base: on its channels or
    in its rooms). Queries: 2 (with hosts)."""
    now = timezone.now()
    of_base = (
        Q(channel__base_id=base_id) | Q(room__zone__base_id=base_id) if base_id is not None else Q()
    )
    return list(
        Session.objects.filter(
            of_base,
            scheduled_start__gte=now,
            scheduled_start__lt=now + dt.timedelta(days=days),
            status__in=(Session.Status.SCHEDULED, Session.Status.LIVE),
            is_rehearsal=False,
        )
        .select_related("room", "channel")
        .prefetch_related("hosts")
        .order_by("scheduled_start")[:limit]
    )


def channel_sales(period: Period) -> list[ChannelSales]:
    """What each channel sold in the period, all its orders, and the parts from sessions,
    ambiguous (counted in no session until staff choose) and not from a session, by the same
    rules as the session figures. One query over the daily channel roll-up; each channel in
    its own currency, never summed across currencies."""
    rows = (
        ChannelDaySales.objects.filter(
            period.of_base("channel__base_id"), day__range=(period.start, period.end)
        )
        .values("channel_id", "channel__name", "channel__base__name", "currency", "part")
        .annotate(order_count=Sum("orders"), gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"))
        .order_by()
    )
    # Keyed by channel and currency: should a channel's currency ever change, its days in the
    # old currency stay a row of their own rather than be added to the new one.
    channels: dict[tuple[int, str], _ChannelParts] = {}
    for row in rows:
        entry = channels.setdefault(
            (row["channel_id"], row["currency"]),
            {
                "channel": row["channel__name"],
                "base": row["channel__base__name"],
                "currency": row["currency"],
                "parts": {
                    part: {"orders": 0, "gross": 0, "net": 0} for part in ChannelDaySales.Part
                },
            },
        )
        entry["parts"][row["part"]] = {
            "orders": row["order_count"],
            "gross": row["gross"],
            "net": row["net"],
        }
    result: list[ChannelSales] = []
    for entry in channels.values():
        parts = entry["parts"]
        known = [parts[part] for part in ChannelDaySales.Part]
        total: _PartSums = {
            "orders": sum(part["orders"] for part in known),
            "gross": sum(part["gross"] for part in known),
            "net": sum(part["net"] for part in known),
        }
        result.append(
            {
                "channel": entry["channel"],
                "base": entry["base"],
                "currency": entry["currency"],
                "all": _channel_figures(total),
                "sessions": _channel_figures(parts[ChannelDaySales.Part.SESSION]),
                "ambiguous": _channel_figures(parts[ChannelDaySales.Part.AMBIGUOUS]),
                "unattributed": _channel_figures(parts[ChannelDaySales.Part.NONE]),
                "live_share": ratio(parts[ChannelDaySales.Part.SESSION]["gross"], total["gross"]),
            }
        )
    result.sort(key=lambda row: (row["currency"], -row["all"]["gross_gmv"], row["channel"]))
    return result


def base_sales(channels: list[ChannelSales]) -> list[BaseSales]:
    """The channels' figures added up per base and currency (no query of its own: the
    channels' rows carry their base), the bases with the most gross GMV first; empty when
    the period's sales are one base's (nothing to compare)."""
    if len({row["base"] for row in channels}) < 2:
        return []
    bases: dict[tuple[str, str], BaseSales] = {}
    for row in channels:
        entry = bases.setdefault(
            (row["base"], row["currency"]),
            {
                "base": row["base"],
                "currency": row["currency"],
                "channels": 0,
                "all": {"orders": 0, "gross_gmv": Decimal(0), "net_gmv": Decimal(0)},
                "sessions": {"orders": 0, "gross_gmv": Decimal(0), "net_gmv": Decimal(0)},
                "live_share": None,
            },
        )
        entry["channels"] += 1
        for part in ("all", "sessions"):
            for figure in ("orders", "gross_gmv", "net_gmv"):
                entry[part][figure] += row[part][figure]
    for entry in bases.values():
        entry["live_share"] = ratio(entry["sessions"]["gross_gmv"], entry["all"]["gross_gmv"])
    return sorted(
        bases.values(), key=lambda row: (row["currency"], -row["all"]["gross_gmv"], row["base"])
    )


def _channel_figures(sums: _PartSums) -> ChannelFigures:
    return {
        "orders": sums["orders"],
        "gross_gmv": from_cents(sums["gross"]),
        "net_gmv": from_cents(sums["net"]),
    }


def overview(period: Period, *, user: AnyUser) -> Overview:
    """Everything the overview page shows. Queries: 4 KPIs + 1 trend + 4 rankings + 2
    upcoming + 1 channel sales + 3 meetings and training = 15, whatever the amount of data."""
    require_all_sales(user)
    channels = channel_sales(period)
    return {
        "channel_sales": channels,
        "base_sales": base_sales(channels),
        "period": period,
        "previous_period": period.previous(),
        "kpis": period_kpis(period),
        "trend": daily_trend(period),
        "top_products": top_products(period),
        "top_cooperatives": top_cooperatives(period),
        "top_hosts": top_hosts(period),
        "top_channels": top_channels(period),
        "upcoming": upcoming_sessions(base_id=period.base_id),
        "meetings_training": meetings_and_training(period),
    }


def monthly_report(month: dt.date, *, user: AnyUser, base_id: int | None = None) -> MonthlyReport:
    """The monthly report (of one base, or of all): the month's KPIs against the month
    before, its rankings (ten products and cooperatives), its meetings and people trained.
    Queries: KPIs (4), rankings (4), meetings and training (3)."""
    require_all_sales(user)
    period = replace(Period.month_of(month), base_id=base_id)
    return {
        "kpis": period_kpis(period),
        "top_products": top_products(period, limit=10),
        "top_cooperatives": top_cooperatives(period, limit=10),
        "top_hosts": top_hosts(period),
        "top_channels": top_channels(period),
        "meetings_training": meetings_and_training(period),
    }
