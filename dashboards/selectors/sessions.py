"""The sessions table: selling sessions of a period with their roll-up, filtered and
sorted, and who may see one session's figures."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TypedDict

from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, QuerySet, When
from django.db.models.functions import Coalesce

from catalog.models import Category, Channel
from cooperatives.models import Cooperative
from core.selectors import signed_in_user
from core.types import AnyUser
from livestreams.models import Host, Room, Session, SessionHost, SessionMetrics

from ..figures import final_since, is_final
from ..models import ProductSalesFact, SessionSalesFact
from ..money import from_cents
from .common import (
    SELLING_KINDS,
    Period,
    buyers_figure,
    can_view_all_sales,
    ratio,
    require_all_sales,
    utc_bounds,
)

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


class SessionRow(TypedDict):
    """A session's figures in the sessions table; money with its currency."""

    session: Session
    day: dt.date | None
    currency: str
    gross_gmv: Decimal
    net_gmv: Decimal
    orders: int
    units: int
    buyers: int | None
    buyers_partial: bool
    orders_without_buyer: int
    views: int | None
    conversion: Decimal | None
    gpm: Decimal | None
    is_final: bool
    final_at: dt.datetime | None
    changed_after_final_at: dt.datetime | None


class FilterChoices(TypedDict):
    """(pk, name) of what the table can be filtered by."""

    channels: list[tuple[int, str]]
    rooms: list[tuple[int, str]]
    hosts: list[tuple[int, str]]
    cooperatives: list[tuple[int, str]]
    categories: list[tuple[int, str]]


def can_view_session(user: AnyUser, session_id: int) -> bool:
    """Officials and staff see every session; a host the sessions they appear in.

    Decided from the id, before the session is looked up, so that a refusal says nothing of
    whether the session exists."""
    if can_view_all_sales(user):
        return True
    signed_in = signed_in_user(user)
    if signed_in is None:
        return False
    return SessionHost.objects.filter(session_id=session_id, host__user=signed_in).exists()


def sessions_table(
    period: Period,
    filters: Mapping[str, int | str],
    sort: str = "-date",
    *,
    user: AnyUser,
) -> QuerySet[Session]:
    """Selling sessions of the period with their roll-up, filtered and sorted; a queryset
    the view pages. A session with no sales yet is dated by its start in the base's zone.

    Queries when evaluated: the page (1) and its hosts (1); a paginator adds a count.
    """
    require_all_sales(user)
    low, high = utc_bounds(period)
    sessions = (
        Session.objects.filter(kind__in=SELLING_KINDS, is_rehearsal=False, channel__isnull=False)
        .filter(period.of_base("channel__base_id"))
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


def session_row(session: Session) -> SessionRow:
    """A table row's figures; money with its currency."""
    fact: SessionSalesFact | None = getattr(session, "sales_fact", None)
    metrics: SessionMetrics | None = getattr(session, "metrics", None)
    # The table lists sessions on a channel only.
    currency = session.channel.currency if session.channel else ""
    views = metrics.views if metrics else None
    gross = from_cents(fact.gross_gmv_cents if fact else 0)
    orders = fact.orders if fact else 0
    buyers, buyers_partial = (
        buyers_figure(orders, fact.orders_without_buyer, fact.buyers or 0) if fact else (0, False)
    )
    return {
        "session": session,
        "day": fact.day if fact else None,
        "currency": currency,
        "gross_gmv": gross,
        "net_gmv": from_cents(fact.net_gmv_cents if fact else 0),
        "orders": orders,
        "units": fact.units if fact else 0,
        "buyers": buyers,
        "buyers_partial": buyers_partial,
        "orders_without_buyer": fact.orders_without_buyer if fact else 0,
        "views": views,
        "conversion": ratio(orders, views),
        "gpm": (gross * 1000 / views).quantize(Decimal("0.01")) if views else None,
        "is_final": is_final(session),
        "final_at": final_since(session, fact),
        "changed_after_final_at": fact.changed_after_final_at if fact else None,
    }


def table_filter_choices() -> FilterChoices:
    """Choices for the table's filters. Queries: 5 (channels, rooms, hosts, cooperatives,
    categories), whatever the number of sessions."""
    return {
        "channels": list(Channel.objects.values_list("pk", "name")),
        "rooms": list(Room.objects.values_list("pk", "name")),
        "hosts": list(Host.objects.values_list("pk", "display_name")),
        "cooperatives": list(
            Cooperative.objects.filter(status="approved").values_list("pk", "name")
        ),
        "categories": list(Category.objects.values_list("pk", "name")),
    }
