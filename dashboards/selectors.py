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
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import BUREAU_STAFF, OFFICIAL, has_role
from livestreams.models import Session, SessionHost

from .models import (
    ChannelDaySales,
    DeliveryFact,
    ProductSalesFact,
    SessionOrderBin,
    SessionSalesFact,
)
from .money import from_cents

# Sessions that sell: trainings and meetings are held but sell nothing on a channel.
SELLING_KINDS = (Session.Kind.REGULAR, Session.Kind.MEGALIVE)
HELD_STATUSES = (Session.Status.LIVE, Session.Status.ENDED)
MAX_PERIOD_DAYS = 366
# Periods are asked for in query strings: dates outside these years are taken as wrong, so
# that the arithmetic around a period (the previous one, a day either side, UTC bounds) never
# leaves the calendar (date.max + 1 day is an OverflowError, a server error).
FIRST_YEAR, LAST_YEAR = 1900, 9000
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
    if not (_within_years(start) and _within_years(end)):
        return Period.month_of(today)
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        return Period.month_of(today)
    return Period(start, end)


def month_from_param(value: str | None, *, today: dt.date | None = None) -> dt.date:
    """The first day of the month named `YYYY-MM`; the last whole month when absent or wrong."""
    try:
        month = dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        month = None
    if month is None or not _within_years(month):
        return ((today or local_today()).replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return month


def _within_years(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


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


def buyers_figure(orders: int, without_buyer: int, named: int) -> tuple[int | None, bool]:
    """Buyers as far as the exports tell, and whether that is only a lower bound.

    Buyers are distinct buyer hashes (DESIGN.md); an order whose export row named no buyer
    (Douyin, Lazada) may be a new buyer or a returning one. None of the orders named: unknown
    (None), never 0. Some named: the distinct named buyers, marked partial (at least that).
    """
    if orders and without_buyer >= orders:
        return None, False
    return named, bool(without_buyer)


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
        "conversion": _ratio(totals.get("orders_with_views") or 0, totals.get("views")),
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
        changes = {name: _change(now[name], before[name]) for name in KPI_NAMES}
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
                "live_share": _ratio(entry[ChannelDaySales.Part.SESSION]["gross"], total["gross"]),
            }
        )
    result.sort(key=lambda row: (row["currency"], -row["all"]["gross_gmv"], row["channel"]))
    return result


def overview(period: Period) -> dict:
    """Everything the overview page shows. Queries: 4 KPIs + 1 trend + 4 rankings + 2
    upcoming + 1 channel sales = 12, whatever the amount of data."""
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


# --- Sessions table and session page ------------------------------------------------------

SESSION_SORTS = {
    "date": ("starts",),
    "-date": ("-starts",),
    "gmv": ("currency", "gross_cents"),
    "-gmv": ("currency", "-gross_cents"),
    "orders": ("order_count",),
    "-orders": ("-order_count",),
    "units": ("unit_count",),
    "-units": ("-unit_count",),
    "views": ("view_count",),
    "-views": ("-view_count",),
    "conversion": ("conversion_rate",),
    "-conversion": ("-conversion_rate",),
}
SESSION_FILTERS = ("platform", "channel", "room", "host", "kind", "cooperative", "category")


def can_view_session(user, session_id: int) -> bool:
    """Officials and staff see every session; a host the sessions they appear in.

    Decided from the id, before the session is looked up, so that a refusal says nothing of
    whether the session exists."""
    if can_view_all_sales(user):
        return True
    return SessionHost.objects.filter(session_id=session_id, host__user=user).exists()


def _utc_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime.combine(period.start, dt.time(), tzinfo=zone),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def sessions_table(period: Period, filters: dict, sort: str = "-date"):
    """Selling sessions of the period with their roll-up, filtered and sorted; a queryset
    the view pages. A session with no sales yet is dated by its start in the base's zone.

    Queries when evaluated: the page (1) and its hosts (1); a paginator adds a count.
    """
    from django.db.models import Case, ExpressionWrapper, FloatField, When
    from django.db.models.functions import Coalesce

    low, high = _utc_bounds(period)
    sessions = (
        Session.objects.filter(kind__in=SELLING_KINDS, is_rehearsal=False, channel__isnull=False)
        .exclude(status=Session.Status.CANCELLED)
        .filter(
            Q(sales_fact__day__range=(period.start, period.end))
            | Q(sales_fact__isnull=True, scheduled_start__gte=low, scheduled_start__lt=high)
        )
        .select_related("room", "channel", "sales_fact", "metrics")
        .prefetch_related("hosts")
        .annotate(
            starts=Coalesce("actual_start", "scheduled_start"),
            currency=F("channel__currency"),
            gross_cents=Coalesce("sales_fact__gross_gmv_cents", 0),
            order_count=Coalesce("sales_fact__orders", 0),
            unit_count=Coalesce("sales_fact__units", 0),
            view_count=Coalesce("metrics__views", 0),
            conversion_rate=Case(
                When(
                    metrics__views__gt=0,
                    then=ExpressionWrapper(
                        F("sales_fact__orders") * 1.0 / F("metrics__views"),
                        output_field=FloatField(),
                    ),
                ),
                default=None,
                output_field=FloatField(),
            ),
        )
    )
    if filters.get("platform"):
        sessions = sessions.filter(channel__platform=filters["platform"])
    if filters.get("channel"):
        sessions = sessions.filter(channel_id=filters["channel"])
    if filters.get("room"):
        sessions = sessions.filter(room_id=filters["room"])
    if filters.get("kind"):
        sessions = sessions.filter(kind=filters["kind"])
    if filters.get("host"):
        sessions = sessions.filter(
            pk__in=SessionHost.objects.filter(host_id=filters["host"]).values("session_id")
        )
    for name in ("cooperative", "category"):
        if filters.get(name):
            sessions = sessions.filter(
                pk__in=ProductSalesFact.objects.filter(**{f"{name}_id": filters[name]}).values(
                    "session_id"
                )
            )
    return sessions.order_by(*SESSION_SORTS.get(sort, SESSION_SORTS["-date"]), "pk")


def final_since(session: Session, fact, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the session's figures became final, or None while they are provisional.

    DESIGN.md: provisional until the session has ended and its last import (the last one
    that wrote one of its orders, not the last recompute) is older than the channel's
    settlement delay; then final. Once recorded as final (`final_at`) they stay final: a later
    change is recorded as a change after final. A session no import ever touched stays
    provisional: no export has spoken for it yet.
    """
    if fact is None or session.status != Session.Status.ENDED:
        return None
    if fact.final_at is not None:
        return fact.final_at
    if fact.last_import_at is None:
        return None
    final_at = fact.last_import_at + dt.timedelta(days=session.channel.settlement_delay_days)
    return final_at if final_at <= (now or timezone.now()) else None


def is_final(session: Session, now: dt.datetime | None = None) -> bool:
    return final_since(session, getattr(session, "sales_fact", None), now) is not None


def session_row(session: Session) -> dict:
    """A table row's figures; money with its currency."""
    fact = getattr(session, "sales_fact", None)
    metrics = getattr(session, "metrics", None)
    views = metrics.views if metrics else None
    gross = from_cents(fact.gross_gmv_cents if fact else 0)
    orders = fact.orders if fact else 0
    buyers, buyers_partial = (
        buyers_figure(orders, fact.orders_without_buyer, fact.buyers or 0) if fact else (0, False)
    )
    return {
        "session": session,
        "day": fact.day if fact else None,
        "currency": session.channel.currency,
        "gross_gmv": gross,
        "net_gmv": from_cents(fact.net_gmv_cents if fact else 0),
        "orders": orders,
        "units": fact.units if fact else 0,
        "buyers": buyers,
        "buyers_partial": buyers_partial,
        "orders_without_buyer": fact.orders_without_buyer if fact else 0,
        "views": views,
        "conversion": _ratio(orders, views),
        "gpm": (gross * 1000 / views).quantize(Decimal("0.01")) if views else None,
        "is_final": is_final(session),
        "final_at": final_since(session, fact),
        "changed_after_final_at": fact.changed_after_final_at if fact else None,
    }


def table_filter_choices() -> dict:
    """Choices for the table's filters. Queries: 5 (channels, rooms, hosts, cooperatives,
    categories), whatever the number of sessions."""
    from catalog.models import Category, Channel
    from cooperatives.models import Cooperative
    from livestreams.models import Host, Room

    return {
        "channels": list(Channel.objects.values_list("pk", "name")),
        "rooms": list(Room.objects.values_list("pk", "name")),
        "hosts": list(Host.objects.values_list("pk", "display_name")),
        "cooperatives": list(
            Cooperative.objects.filter(status="approved").values_list("pk", "name")
        ),
        "categories": list(Category.objects.values_list("pk", "name")),
    }


def session_detail(session_id: int) -> Session:
    """The session with everything its page reads in one query."""
    return (
        Session.objects.select_related(
            "room", "channel", "sales_fact", "sales", "metrics", "reported_totals"
        )
        .prefetch_related("hosts")
        .get(pk=session_id)
    )


def _difference(imported, reported) -> dict | None:
    if reported is None:
        return None
    difference = Decimal(imported) - Decimal(reported)
    share = difference * 100 / Decimal(reported) if reported else None
    return {
        "imported": imported,
        "reported": reported,
        "difference": difference,
        "percent": share,
        # More than 5 % apart (or any difference from a reported zero) is highlighted.
        "over_threshold": abs(share) > 5 if share is not None else difference != 0,
    }


def session_page(session: Session) -> dict:
    """The figures of one session's page. Queries: bins (1), line-up (1), products (1),
    cooperatives (1), ambiguous orders (1), changes after final (1)."""
    from orders.models import Order

    from .services import BIN_MINUTES, bin_start

    zone = zoneinfo.ZoneInfo(session.channel.time_zone)
    row = session_row(session)
    fact = getattr(session, "sales_fact", None)
    sales = getattr(session, "sales", None)
    window_end = session.ends_at + dt.timedelta(minutes=session.channel.grace_minutes)

    bins = {
        item.bin_start: item
        for item in SessionOrderBin.objects.filter(session=session).order_by("bin_start")
    }
    first = min([bin_start(session.starts_at), *bins])
    last = max([bin_start(window_end - dt.timedelta(microseconds=1)), *bins])
    lineup = list(session.lineup.select_related("product").order_by("position"))
    slots = []
    for item in lineup:
        if item.on_air_started_at and item.on_air_ended_at:
            first = min(first, bin_start(item.on_air_started_at))
            last = max(last, bin_start(item.on_air_ended_at))
    points = []
    moment = first
    while moment <= last:
        entry = bins.get(moment)
        points.append(
            {
                "start": moment,
                "label": moment.astimezone(zone).strftime("%H:%M"),
                "orders": entry.orders if entry else 0,
                "gross_gmv": from_cents(entry.gross_gmv_cents if entry else 0),
            }
        )
        moment += dt.timedelta(minutes=BIN_MINUTES)

    products = {
        fact_row["product_id"]: fact_row
        for fact_row in ProductSalesFact.objects.filter(session=session)
        .values("product_id", "product__name", "cooperative__name", "orders", "units",
                "gross_gmv_cents", "net_gmv_cents")
        .order_by("-gross_gmv_cents")
    }  # fmt: skip
    lineup_rows = []
    for item in lineup:
        sold = products.get(item.product_id, {})
        actual = None
        if item.on_air_started_at and item.on_air_ended_at:
            actual = Decimal((item.on_air_ended_at - item.on_air_started_at).total_seconds()) / 60
            slots.append(
                {
                    "label": item.product.name,
                    "start": bin_start(item.on_air_started_at),
                    "end": bin_start(item.on_air_ended_at),
                }
            )
        units = sold.get("units", 0)
        lineup_rows.append(
            {
                "item": item,
                "planned_minutes": item.planned_minutes,
                "actual_minutes": actual.quantize(Decimal("0.1")) if actual is not None else None,
                "over_plan": actual is not None and actual > item.planned_minutes,
                "units": units,
                "orders": sold.get("orders", 0),
                "gross_gmv": from_cents(sold.get("gross_gmv_cents", 0)),
                "units_per_minute": (Decimal(units) / actual).quantize(Decimal("0.01"))
                if actual
                else None,
            }
        )
    cooperatives = list(
        ProductSalesFact.objects.filter(session=session, cooperative__isnull=False)
        .values("cooperative_id", "cooperative__name")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by("-gross", "cooperative__name")
    )
    for entry in cooperatives:
        entry["gross_gmv"] = from_cents(entry.pop("gross"))
        entry["net_gmv"] = from_cents(entry.pop("net"))
    ambiguous = Order.objects.filter(
        channel=session.channel,
        attribution=Order.Attribution.AMBIGUOUS,
        placed_at__gte=session.starts_at,
        placed_at__lt=window_end,
    ).count()
    reported = getattr(session, "reported_totals", None)
    comparison = []
    if reported is not None:
        for label, imported, platform in (
            ("orders", row["orders"], reported.orders),
            ("units", row["units"], reported.units),
            ("gross_gmv", row["gross_gmv"], reported.gross_gmv),
        ):
            difference = _difference(imported, platform)
            if difference:
                comparison.append({"name": label, **difference})
    return {
        **row,
        "fact": fact,
        "metrics": getattr(session, "metrics", None),
        "time_zone": session.channel.time_zone,
        "bins": points,
        "slots": slots,
        "lineup": lineup_rows,
        "products": list(products.values()),
        "cooperatives": cooperatives,
        "ambiguous_orders": ambiguous,
        "unmatched_lines": fact.unmatched_lines if fact else 0,
        # From the orders' own roll-up, read with the session (no query of its own).
        "returns_pending": sales.returns_pending if sales else None,
        "unknown_status_orders": sales.unknown_status_orders if sales else 0,
        "comparison": comparison,
        "changes_after_final": _changes_after_final(session),
    }


def _changes_after_final(session: Session) -> list[dict]:
    """The session's figure changes after final, latest first. Queries: 1."""
    from .models import FinalFigureChange

    changes = []
    for change in FinalFigureChange.objects.filter(session=session).order_by("-recorded_at"):
        changes.append(
            {
                "recorded_at": change.recorded_at,
                "final_at": change.final_at,
                "last_import_at": change.last_import_at,
                "currency": change.currency,
                "figures": [
                    {"name": name, "before": before, "after": after}
                    for name, before, after in (
                        ("gross_gmv", from_cents(change.previous_gross_gmv_cents),
                         from_cents(change.gross_gmv_cents)),
                        ("net_gmv", from_cents(change.previous_net_gmv_cents),
                         from_cents(change.net_gmv_cents)),
                        ("refunded_amount", from_cents(change.previous_refunded_cents),
                         from_cents(change.refunded_cents)),
                        ("orders", change.previous_orders, change.orders),
                        ("units", change.previous_units, change.units),
                        ("cancelled_orders", change.previous_cancelled_orders,
                         change.cancelled_orders),
                        ("buyers", change.previous_buyers, change.buyers),
                    )
                    if before != after
                ],
            }
        )  # fmt: skip
    return changes


# --- Cooperatives --------------------------------------------------------------------------


def cooperatives_visible_to(user):
    """Officials and staff see every cooperative's sales; a member only their own."""
    from cooperatives.models import Cooperative

    if can_view_all_sales(user):
        return Cooperative.objects.all()
    if not user.is_authenticated:
        return Cooperative.objects.none()
    return Cooperative.objects.filter(memberships__user=user)


COOPERATIVE_SORTS = ("name", "gmv")


def cooperative_table(period: Period, sort: str = "name") -> list[dict]:
    """Every approved cooperative, and any other that sold in the period, with the period's
    sales: one row per currency it sold in (none: one row of zeros). Queries: 2.

    Sorted by name, or (`gmv`) by currency then gross GMV, best first.
    """
    from cooperatives.models import Cooperative

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


def cooperative_sales(cooperative_id: int) -> dict:
    """What a cooperative sold through the base: per month, per product and per session, each
    amount with its currency. Queries: 3."""
    from django.db.models.functions import TruncMonth

    facts = ProductSalesFact.objects.filter(cooperative_id=cooperative_id)
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
        "totals": [totals[currency] for currency in sorted(totals)],
        "months": months,
        "products": products,
        "sessions": sessions,
    }


# --- Hosts ---------------------------------------------------------------------------------


def host_comparison(period: Period) -> list[dict]:
    """Per host and currency over the period's selling sessions: sessions, GMV, GMV per
    session and per hour on air, conversion (orders / views) and interactions (likes, comments,
    shares). A session's figures count in full for each of its hosts. Queries: 1."""
    low, high = _utc_bounds(period)
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
                "conversion": _ratio(entry["orders_with_views"], entry["views"]),
            }
        )
    return sorted(result, key=lambda entry: (entry["currency"], -entry["gross_gmv"]))


# --- Deliveries ----------------------------------------------------------------------------

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
            entry[f"{outcome}_rate"] = _ratio(count, total)
        entry["in_progress"] = total - sum(entry[outcome] for outcome in DELIVERY_OUTCOMES)
        result.append(entry)
    return sorted(result, key=lambda entry: -entry["orders"])


def delivery_rates(period: Period) -> dict:
    """Delivered, returned and cancelled shares of the period's attributed orders, per
    shipping provider (whole orders) and per product (orders holding it). Queries: 2."""
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


# --- Programme roll-ups --------------------------------------------------------------------

PROGRAMME_DIMENSIONS = ("district", "commune", "category", "platform", "stars")
# Capacity is a product's: it has no platform.
CAPACITY_DIMENSIONS = ("all", "district", "commune", "category", "stars")


def _ocop_stars(day: dt.date) -> dict[int, int]:
    """Each product's best OCOP rating still valid on that day. Queries: 1."""
    from django.db.models import Max

    from catalog.models import Certification

    return dict(
        Certification.objects.filter(kind=Certification.Kind.OCOP, product__isnull=False)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .values("product_id")
        .annotate(best=Max("stars"))
        .values_list("product_id", "best")
    )


def _group_keys(row: dict, stars: dict[int, int]) -> dict[str, tuple]:
    """The (key, label) of each programme group a roll-up row belongs to."""
    from catalog.models import Platform

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
    from catalog.models import Product

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
            entry["share"] = _ratio(entry["units_sold"], entry["capacity"])
            listed.append(entry)
        result[dimension] = sorted(listed, key=lambda item: -(item["share"] or 0))
    return result


def _plan_and_actual(period: Period, stars: dict[int, int]) -> list[dict]:
    """The targets of the months the period touches, each against what its whole month sold
    in its currency. Queries: targets (1) and, when there are any, the months' sales (1).

    The whole base and a platform count every line (unmatched ones too: they were sold);
    a district, category or OCOP rating only lines matched to a product.
    """
    from django.db.models.functions import TruncMonth

    from .models import ProgrammeTarget

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
                "gmv_achieved": _ratio(gross, target.target_gmv),
                "target_units": target.target_units,
                "actual_units": units,
                "units_achieved": _ratio(units, target.target_units),
            }
        )
    return result


def programme_rollup(period: Period) -> dict:
    """The period's sales by district and commune of origin, category, platform and OCOP
    stars (a product's best rating valid at the period's start), each per currency; the
    share of the declared monthly capacity the base sold; each month's targets against the
    month's sales. Queries: roll-ups (1), OCOP ratings (1), capacities (1), targets (1) and,
    with targets, their months' sales (1)."""
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


def programme_targets():
    """Every programme target, latest month first. Queries: 1 (with categories)."""
    from .models import ProgrammeTarget

    return ProgrammeTarget.objects.select_related("category").order_by(
        "-month", "dimension", "value", "category__name", "currency"
    )
