"""One session's page: its figures, order chart by five-minute bin, line-up, products,
cooperatives, the platform's reported totals and the changes after final."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from core.types import AnyUser
from livestreams.models import LineupItem, Session, SessionMetrics
from orders.models import Order, SessionSales

from ..figures import BIN_MINUTES, bin_start
from ..models import (
    FinalFigureChange,
    LineupSlotFact,
    ProductSalesFact,
    SessionOrderBin,
    SessionSalesFact,
)
from ..money import from_cents
from .sessions import SessionRow, can_view_session, session_row

PER_MINUTE = Decimal("0.01")


class BinPoint(TypedDict):
    """Orders placed in one five-minute bin."""

    start: dt.datetime
    label: str
    orders: int
    gross_gmv: Decimal


class OnAirSlot(TypedDict):
    """When a line-up product was on air: its bins (start, end) and its exact times."""

    position: int
    label: str
    start: dt.datetime
    end: dt.datetime
    on_air_from: dt.datetime
    on_air_until: dt.datetime


class SlotFigures(TypedDict):
    """A line-up product's sales in one part of the session: in its slot or outside it."""

    orders: int
    units: int
    gross_gmv: Decimal
    net_gmv: Decimal


class LineupRow(TypedDict):
    item: LineupItem
    planned_minutes: int
    actual_minutes: Decimal | None
    over_plan: bool
    # The product's sales in the whole session (its slot and the rest).
    units: int
    orders: int
    gross_gmv: Decimal
    # None until the session's figures are rolled up with its line-up.
    on_air: SlotFigures | None
    outside: SlotFigures | None
    # Of the product's units in the session, the share sold while it was on air.
    share_on_air: Decimal | None
    # Sold in its slot, per minute on air (DESIGN.md: sales per minute on air).
    units_per_minute: Decimal | None
    gmv_per_minute: Decimal | None


class ProductRow(TypedDict):
    """A product's sales in the session (no product: lines not matched yet)."""

    product_id: int | None
    product__name: str | None
    cooperative__name: str | None
    orders: int
    units: int
    gross_gmv_cents: int
    net_gmv_cents: int


class CooperativeRow(TypedDict):
    cooperative_id: int
    cooperative__name: str
    unit_count: int
    gross_gmv: Decimal
    net_gmv: Decimal


class Difference(TypedDict):
    """An imported figure against the one the platform reports."""

    imported: Decimal | int
    reported: Decimal | int
    difference: Decimal
    percent: Decimal | None
    over_threshold: bool


class Comparison(Difference):
    name: str


class FigureChange(TypedDict):
    name: str
    before: Decimal | int | None
    after: Decimal | int | None


class ChangeAfterFinal(TypedDict):
    recorded_at: dt.datetime
    final_at: dt.datetime
    last_import_at: dt.datetime | None
    currency: str
    figures: list[FigureChange]


class SessionPage(SessionRow):
    """Everything one session's page shows: its table row's figures and more."""

    fact: SessionSalesFact | None
    metrics: SessionMetrics | None
    time_zone: str
    bins: list[BinPoint]
    slots: list[OnAirSlot]
    lineup: list[LineupRow]
    # Of the line-up's products that went on air, how many sold during their slot.
    sold_on_air: int
    products: list[ProductRow]
    cooperatives: list[CooperativeRow]
    ambiguous_orders: int
    unmatched_lines: int
    returns_pending: Decimal | None
    unknown_status_orders: int
    comparison: list[Comparison]
    changes_after_final: list[ChangeAfterFinal]


def session_detail(session_id: int, *, user: AnyUser) -> Session:
    """The session with everything its page reads in one query; PermissionDenied for someone
    who may not see it (decided before the lookup, so a refusal says nothing of whether it
    exists), Session.DoesNotExist when there is none."""
    if not can_view_session(user, session_id):
        raise PermissionDenied
    return (
        Session.objects.select_related(
            "room", "channel", "sales_fact", "sales", "metrics", "reported_totals"
        )
        .prefetch_related("hosts")
        .get(pk=session_id)
    )


def _difference(imported: Decimal | int, reported: Decimal | int | None) -> Difference | None:
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


def session_page(session: Session) -> SessionPage:
    """The figures of one session's page. Queries: bins (1), line-up (1), products (1),
    cooperatives (1), ambiguous orders (1), changes after final (1).

    Only for a session on a channel (ValueError otherwise): what else sells nothing."""
    channel = session.channel
    if channel is None:
        raise ValueError("A session without a channel has no sales page.")
    zone = zoneinfo.ZoneInfo(channel.time_zone)
    row = session_row(session)
    fact: SessionSalesFact | None = getattr(session, "sales_fact", None)
    sales: SessionSales | None = getattr(session, "sales", None)
    # Session.starts_at and ends_at are untyped properties of the model.
    starts_at: dt.datetime = session.starts_at
    ends_at: dt.datetime = session.ends_at
    window_end = ends_at + dt.timedelta(minutes=channel.grace_minutes)

    bins = {
        item.bin_start: item
        for item in SessionOrderBin.objects.filter(session=session).order_by("bin_start")
    }
    first = min([bin_start(starts_at), *bins])
    last = max([bin_start(window_end - dt.timedelta(microseconds=1)), *bins])
    # Each item's slot figures come with it (a reverse one-to-one): no query of their own.
    lineup = list(session.lineup.select_related("product", "slot_fact").order_by("position"))
    slots: list[OnAirSlot] = []
    for item in lineup:
        if item.on_air_started_at and item.on_air_ended_at:
            first = min(first, bin_start(item.on_air_started_at))
            last = max(last, bin_start(item.on_air_ended_at))
    points: list[BinPoint] = []
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

    products: dict[int | None, ProductRow] = {
        fact_row["product_id"]: {
            "product_id": fact_row["product_id"],
            "product__name": fact_row["product__name"],
            "cooperative__name": fact_row["cooperative__name"],
            "orders": fact_row["orders"],
            "units": fact_row["units"],
            "gross_gmv_cents": fact_row["gross_gmv_cents"],
            "net_gmv_cents": fact_row["net_gmv_cents"],
        }
        for fact_row in ProductSalesFact.objects.filter(session=session)
        .values(
            "product_id",
            "product__name",
            "cooperative__name",
            "orders",
            "units",
            "gross_gmv_cents",
            "net_gmv_cents",
        )
        .order_by("-gross_gmv_cents")
    }
    lineup_rows: list[LineupRow] = []
    for item in lineup:
        sold = products.get(item.product_id)
        actual = None
        if item.on_air_started_at and item.on_air_ended_at:
            actual = Decimal((item.on_air_ended_at - item.on_air_started_at).total_seconds()) / 60
            slots.append(
                {
                    "position": item.position,
                    "label": item.product.name,
                    "start": bin_start(item.on_air_started_at),
                    "end": bin_start(item.on_air_ended_at),
                    "on_air_from": item.on_air_started_at,
                    "on_air_until": item.on_air_ended_at,
                }
            )
        lineup_rows.append(
            {
                "item": item,
                "planned_minutes": item.planned_minutes,
                "actual_minutes": actual.quantize(Decimal("0.1")) if actual is not None else None,
                "over_plan": actual is not None and actual > item.planned_minutes,
                "units": sold["units"] if sold else 0,
                "orders": sold["orders"] if sold else 0,
                "gross_gmv": from_cents(sold["gross_gmv_cents"] if sold else 0),
                **_slot_figures(item, actual),
            }
        )
    cooperatives: list[CooperativeRow] = [
        {
            "cooperative_id": entry["cooperative_id"],
            "cooperative__name": entry["cooperative__name"],
            "unit_count": entry["unit_count"],
            "gross_gmv": from_cents(entry["gross"]),
            "net_gmv": from_cents(entry["net"]),
        }
        for entry in ProductSalesFact.objects.filter(session=session, cooperative__isnull=False)
        .values("cooperative_id", "cooperative__name")
        .annotate(gross=Sum("gross_gmv_cents"), net=Sum("net_gmv_cents"), unit_count=Sum("units"))
        .order_by("-gross", "cooperative__name")
    ]
    ambiguous = Order.objects.filter(
        channel=channel,
        attribution=Order.Attribution.AMBIGUOUS,
        placed_at__gte=starts_at,
        placed_at__lt=window_end,
    ).count()
    reported = getattr(session, "reported_totals", None)
    comparison: list[Comparison] = []
    if reported is not None:
        figures: tuple[tuple[str, Decimal | int, Decimal | int | None], ...] = (
            ("orders", row["orders"], reported.orders),
            ("units", row["units"], reported.units),
            ("gross_gmv", row["gross_gmv"], reported.gross_gmv),
        )
        for label, imported, platform in figures:
            difference = _difference(imported, platform)
            if difference:
                comparison.append({"name": label, **difference})
    return {
        **row,
        "fact": fact,
        "metrics": getattr(session, "metrics", None),
        "time_zone": channel.time_zone,
        "bins": points,
        "slots": slots,
        "lineup": lineup_rows,
        "sold_on_air": sum(
            1
            for lineup_row in lineup_rows
            if lineup_row["actual_minutes"] is not None
            and lineup_row["on_air"]
            and lineup_row["on_air"]["units"]
        ),
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


class _SlotColumns(TypedDict):
    on_air: SlotFigures | None
    outside: SlotFigures | None
    share_on_air: Decimal | None
    units_per_minute: Decimal | None
    gmv_per_minute: Decimal | None


def _slot_figures(item: LineupItem, minutes_on_air: Decimal | None) -> _SlotColumns:
    """The item's sales in its slot and outside it, from its roll-up row (read with it)."""
    fact: LineupSlotFact | None = getattr(item, "slot_fact", None)
    if fact is None:
        return {
            "on_air": None,
            "outside": None,
            "share_on_air": None,
            "units_per_minute": None,
            "gmv_per_minute": None,
        }
    on_air: SlotFigures = {
        "orders": fact.on_air_orders,
        "units": fact.on_air_units,
        "gross_gmv": from_cents(fact.on_air_gross_gmv_cents),
        "net_gmv": from_cents(fact.on_air_net_gmv_cents),
    }
    outside: SlotFigures = {
        "orders": fact.outside_orders,
        "units": fact.outside_units,
        "gross_gmv": from_cents(fact.outside_gross_gmv_cents),
        "net_gmv": from_cents(fact.outside_net_gmv_cents),
    }
    units = on_air["units"] + outside["units"]
    return {
        "on_air": on_air,
        "outside": outside,
        "share_on_air": Decimal(on_air["units"]) / units if units else None,
        "units_per_minute": (Decimal(on_air["units"]) / minutes_on_air).quantize(PER_MINUTE)
        if minutes_on_air
        else None,
        "gmv_per_minute": (on_air["gross_gmv"] / minutes_on_air).quantize(PER_MINUTE)
        if minutes_on_air
        else None,
    }


def _changes_after_final(session: Session) -> list[ChangeAfterFinal]:
    """The session's figure changes after final, latest first. Queries: 1."""
    changes: list[ChangeAfterFinal] = []
    for change in FinalFigureChange.objects.filter(session=session).order_by("-recorded_at"):
        figures: tuple[tuple[str, Decimal | int | None, Decimal | int | None], ...] = (
            (
                "gross_gmv",
                from_cents(change.previous_gross_gmv_cents),
                from_cents(change.gross_gmv_cents),
            ),
            (
                "net_gmv",
                from_cents(change.previous_net_gmv_cents),
                from_cents(change.net_gmv_cents),
            ),
            (
                "refunded_amount",
                from_cents(change.previous_refunded_cents),
                from_cents(change.refunded_cents),
            ),
            ("orders", change.previous_orders, change.orders),
            ("units", change.previous_units, change.units),
            ("cancelled_orders", change.previous_cancelled_orders, change.cancelled_orders),
            ("buyers", change.previous_buyers, change.buyers),
        )
        changes.append(
            {
                "recorded_at": change.recorded_at,
                "final_at": change.final_at,
                "last_import_at": change.last_import_at,
                "currency": change.currency,
                "figures": [
                    {"name": name, "before": before, "after": after}
                    for name, before, after in figures
                    if before != after
                ],
            }
        )
    return changes
