"""Reads for the dashboards: sums over the roll-up tables, never over raw order lines.

Who may read what: officials and bureau staff read every figure; the pages and endpoints
check that with `can_view_all_sales` before calling these selectors.
"""

import calendar
import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from core.roles import BUREAU_STAFF, OFFICIAL, has_role
from livestreams.models import Session, SessionHost

from .models import ProductSalesFact, SessionBuyer, SessionSalesFact
from .money import from_cents

# Sessions that sell: trainings and meetings are held but sell nothing on a channel.
SELLING_KINDS = (Session.Kind.REGULAR, Session.Kind.MEGALIVE)
HELD_STATUSES = (Session.Status.LIVE, Session.Status.ENDED)
MAX_PERIOD_DAYS = 366
TOP = 5


def can_view_all_sales(user) -> bool:
    return has_role(user, BUREAU_STAFF, OFFICIAL)


def local_today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included, as dated in each channel's time zone."""

    start: dt.date
    end: dt.date

    @classmethod
    def month_of(cls, day: dt.date) -> "Period":
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last))

    @property
    def is_whole_month(self) -> bool:
        return self == Period.month_of(self.start)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=offset) for offset in range(count)]

    def previous(self) -> "Period":
        """The period just before, of the same length (the previous month for a month)."""
        if self.is_whole_month:
            return Period.month_of(self.start - dt.timedelta(days=1))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end)


def period_from_params(params, *, today: dt.date | None = None) -> Period:
    """The period asked for by `start` and `end` (ISO dates); this month when absent or wrong."""
    today = today or local_today()
    try:
        start = dt.date.fromisoformat(params.get("start", ""))
        end = dt.date.fromisoformat(params.get("end", ""))
    except ValueError:
        return Period.month_of(today)
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        return Period.month_of(today)
    return Period(start, end)


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def _change(current, previous) -> Decimal | None:
    """Change from the previous figure, in per cent; none when there is nothing to compare."""
    if current is None or not previous:
        return None
    return (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)


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
            views=Sum("session__metrics__views"),
            orders_with_views=Sum("orders", filter=Q(session__metrics__views__gt=0)),
        )
        .order_by("currency")
    )
    return {row["currency"]: row for row in rows}


def _period_buyers(period: Period) -> dict[str, int]:
    rows = (
        SessionBuyer.objects.filter(day__range=(period.start, period.end))
        .values("currency")
        .annotate(buyers=Count("buyer_hash", distinct=True))
        .order_by("currency")
    )
    return {row["currency"]: row["buyers"] for row in rows}


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
    return {
        "gross_gmv": gross,
        "net_gmv": from_cents(totals.get("net")),
        "refunded_amount": from_cents(totals.get("refunded")),
        "orders": totals.get("order_count") or 0,
        "cancelled_orders": totals.get("cancelled") or 0,
        "units": totals.get("unit_count") or 0,
        "buyers": buyers,
        "sessions": sessions,
        "gmv_per_session": (gross / sessions).quantize(Decimal("0.01")) if sessions else None,
        "views": totals.get("views") or 0,
        "conversion": _ratio(totals.get("orders_with_views") or 0, totals.get("views")),
    }


KPI_NAMES = (
    "gross_gmv", "net_gmv", "orders", "units", "buyers", "sessions", "gmv_per_session",
    "conversion",
)  # fmt: skip


def period_kpis(period: Period) -> list[dict]:
    """KPIs of the period and of the one before, one entry per currency, never mixed.

    Queries: totals now and before (2), buyers now and before (2), sessions held (1).
    """
    previous = period.previous()
    totals, previous_totals = _period_totals(period), _period_totals(previous)
    buyers, previous_buyers = _period_buyers(period), _period_buyers(previous)
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
        changes = {name: _change(now[name], before[name]) for name in KPI_NAMES}
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


def overview(period: Period) -> dict:
    """Everything the overview page shows. Queries: 5 KPIs + 1 trend + 4 rankings + 2
    upcoming = 12, whatever the amount of data."""
    return {
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
