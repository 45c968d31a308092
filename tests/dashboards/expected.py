"""DESIGN.md's definitions applied to the imported orders with plain ORM reads and Python:
the independent side of every check (it never calls the roll-up code)."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from livestreams.models import Session
from orders.models import Order, OrderLine

CENT = Decimal("0.01")


def order_refund(order: Order, lines: list[OrderLine]) -> Decimal:
    """The platform's refund amount (per line, else per order up to its value), else returned
    quantity x unit value."""
    if order.status == Order.Status.CANCELLED:
        return Decimal(0)
    if any(line.refund_amount is not None for line in lines):
        return sum((line.refund_amount or Decimal(0) for line in lines), Decimal(0))
    if order.refund_amount:
        return min(order.refund_amount, sum((line.line_value for line in lines), Decimal(0)))
    return sum(
        (
            line.line_value * line.returned_quantity / line.quantity
            for line in lines
            if line.quantity
        ),
        Decimal(0),
    )


def session_figures(session: Session) -> dict:
    orders = list(Order.objects.filter(session=session))
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order__session=session):
        lines[line.order_id].append(line)
    gross = net = refunded = Decimal(0)
    units = 0
    for order in orders:
        value = sum((line.line_value for line in lines[order.pk]), Decimal(0))
        refund = order_refund(order, lines[order.pk])
        gross += value
        refunded += refund
        net += Decimal(0) if order.status == Order.Status.CANCELLED else value - refund
        units += sum(line.quantity for line in lines[order.pk])
    return {
        "gross_gmv": gross.quantize(CENT, ROUND_HALF_UP),
        "net_gmv": net.quantize(CENT, ROUND_HALF_UP),
        "refunded_amount": refunded.quantize(CENT, ROUND_HALF_UP),
        "orders": len(orders),
        "units": units,
        "cancelled_orders": sum(1 for order in orders if order.status == "cancelled"),
        "buyer_hashes": {order.buyer_hash for order in orders if order.buyer_hash},
        "orders_without_buyer": sum(1 for order in orders if not order.buyer_hash),
    }


def buyers_shown(figures: dict) -> tuple[int | None, bool]:
    """Buyers as a page may honestly show them: unknown (None) when orders were sold and none
    named its buyer; else the distinct named buyers, partial when some orders named none."""
    if figures["orders"] and figures["orders_without_buyer"] == figures["orders"]:
        return None, False
    return len(figures["buyer_hashes"]), figures["orders_without_buyer"] > 0


def local_day(session: Session) -> dt.date:
    start = session.actual_start or session.scheduled_start
    return start.astimezone(zoneinfo.ZoneInfo(session.channel.time_zone)).date()


def period_figures(start: dt.date, end: dt.date) -> dict[str, dict]:
    """Per currency: the sessions of the period (by local start day) and their sums."""
    result: dict[str, dict] = {}
    for session in Session.objects.select_related("channel").exclude(channel=None):
        if not start <= local_day(session) <= end:
            continue
        figures = session_figures(session)
        entry = result.setdefault(
            session.channel.currency,
            {"gross_gmv": Decimal(0), "net_gmv": Decimal(0), "orders": 0, "units": 0,
             "buyer_hashes": set(), "orders_without_buyer": 0, "sessions": 0},
        )  # fmt: skip
        for name in ("gross_gmv", "net_gmv", "orders", "units", "orders_without_buyer"):
            entry[name] += figures[name]
        entry["buyer_hashes"] |= figures["buyer_hashes"]
        if session.status in ("live", "ended") and not session.is_rehearsal:
            entry["sessions"] += 1
    return result
