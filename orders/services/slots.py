"""Line-up slots: when each product was on air, which lines sold in that time, and what sold
inside and outside it (DESIGN.md, "sales per minute on air").

A line sold in its slot when its order was created while its product was on air in the
order's session: from "on air from" up to, not including, "on air until" (or the session's
end while the product was never taken off air). Everything else of that product in the
session, the rest of the live and the session's grace after it, is outside the slot. There is
no grace after a slot: a product shown for five minutes is judged on those five minutes,
which is the question the line-up answers ("which of the 16 products sold in its 5 minutes").
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from core.lookups import AnyOf
from livestreams.models import LineupItem, Session

from ..models import Order, OrderLine, SessionProductSales
from .sales import (
    ZERO,
    _lost_value,
    _money,
    _orders_with_shared_refunds,
    lines_by_order,
    recompute_session_sales,
)


class SlotPart(TypedDict):
    """A product's sales in one part of a session: inside its slot, or outside it."""

    orders: int
    units: int
    gross_gmv: Decimal
    net_gmv: Decimal


class SlotSales(TypedDict):
    """A line-up product's sales inside its on-air slot and outside it, in the session."""

    lineup_item_id: int
    product_id: int
    on_air: SlotPart
    outside: SlotPart


def slot_window(
    item: LineupItem, session_ends_at: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """The half-open [from, until) time the item was on air, or None if it never was."""
    if item.on_air_started_at is None:
        return None
    return item.on_air_started_at, item.on_air_ended_at or session_ends_at


def _empty() -> SlotPart:
    return {"orders": 0, "units": 0, "gross_gmv": ZERO, "net_gmv": ZERO}


@transaction.atomic
def reslot_session_lines(*, session_id: int) -> int:
    """Give every line of the session's orders the slot the rule gives it now, set-based (a
    few UPDATEs per line-up product, whatever the number of lines); returns the lines whose
    slot changed. Lines of other sessions holding one of its slots lose it."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    lines = OrderLine.objects.filter(order__session_id=session_id)
    changed = 0
    # A product twice on air: a line goes to the first slot that holds it, as at import.
    claimed: dict[int, Q] = {}
    items = LineupItem.objects.filter(session_id=session_id, on_air_started_at__isnull=False)
    for item in items.order_by("position", "pk"):
        window = slot_window(item, session.ends_at)
        if window is None:  # Never: read with on_air_started_at set.
            continue
        inside = Q(
            product_id=item.product_id,
            order__placed_at__gte=window[0],
            order__placed_at__lt=window[1],
        )
        earlier = claimed.get(item.product_id)
        mine = inside if earlier is None else inside & ~earlier
        claimed[item.product_id] = inside if earlier is None else earlier | inside
        changed += lines.filter(mine).exclude(lineup_item_id=item.pk).update(lineup_item_id=item.pk)
        changed += (
            OrderLine.objects.filter(lineup_item_id=item.pk)
            .exclude(Q(order__session_id=session_id) & mine)
            .update(lineup_item=None)
        )
    # Slots taken off air (their times cleared) hold nothing.
    changed += OrderLine.objects.filter(
        lineup_item__session_id=session_id, lineup_item__on_air_started_at__isnull=True
    ).update(lineup_item=None)
    # Orders that moved here from another session keep no slot of that one.
    changed += (
        lines.filter(lineup_item__isnull=False)
        .exclude(lineup_item__session_id=session_id)
        .update(lineup_item=None)
    )
    return changed


def reslot_session(*, session_id: int) -> int:
    """After an on-air time changed: slot the session's lines again and roll its figures up
    again (a new or changed slot changes the per-slot figures even when no line moves).
    Returns the lines whose slot changed."""
    changed = reslot_session_lines(session_id=session_id)
    recompute_session_sales(session_ids=[session_id])
    return changed


def compute_slot_figures(session: Session) -> list[SlotSales]:
    """For each line-up product of the session: its orders, units, gross and net GMV inside
    its on-air slot and outside it, by the session figures' rules (DESIGN.md: units and gross
    GMV whatever the status; net GMV less cancelled orders and refunds; an order counted in a
    part when one of the product's lines is in it).

    Summed as the session's figures are: by PostgreSQL where no refund is shared out, else
    over a stream of lines grouped by order (every line: a shared refund needs them all).
    Queries: line-up (1), orders per part (1), and the sums (1 on SQLite; 4 to 5 on
    PostgreSQL); with nothing on air, line-up (1) and the products' session rows (1).
    """
    listed = list(
        LineupItem.objects.filter(session=session)
        .order_by("position", "pk")
        .values_list("pk", "product_id", "on_air_started_at")
    )
    if not listed:
        return []
    items = [(pk, product_id) for pk, product_id, _started in listed]
    products = {product_id for _pk, product_id in items}
    if not any(started for _pk, _product_id, started in listed):
        # Nothing went on air: every sale is outside, and the product's session row (rolled
        # up just before) has it, with no pass over the lines.
        return _all_outside(session, items)
    lines = OrderLine.objects.filter(order__session=session, product_id__in=products)
    parts: dict[tuple[int, int | None], SlotPart] = {}
    for counted in (
        lines.order_by()
        .values("product_id", "lineup_item_id")
        .annotate(count=Count("order_id", distinct=True))
    ):
        part = parts.setdefault((counted["product_id"], counted["lineup_item_id"]), _empty())
        part["orders"] = counted["count"]
    streamed = OrderLine.objects.filter(order__session=session)
    if connection.vendor == "postgresql":
        shared = _orders_with_shared_refunds(Order.objects.filter(session=session))
        exact = lines.exclude(AnyOf(F("order_id"), shared)) if shared else lines
        for row in (
            exact.order_by()
            .values("product_id", "lineup_item_id")
            .annotate(
                units=Sum("quantity"),
                gross=Sum("line_value"),
                net=Sum(F("line_value") - _lost_value()),
            )
        ):
            part = parts.setdefault((row["product_id"], row["lineup_item_id"]), _empty())
            part["units"] += row["units"]
            part["gross_gmv"] += row["gross"]
            part["net_gmv"] += row["net"]
        streamed = streamed.filter(AnyOf(F("order_id"), shared))
    for order_lines, cancelled, refunds in lines_by_order(streamed, "product_id", "lineup_item_id"):
        for line, refund in zip(order_lines, refunds, strict=True):
            if line["product_id"] not in products:
                continue
            part = parts.setdefault((line["product_id"], line["lineup_item_id"]), _empty())
            value = line["line_value"]
            part["units"] += line["quantity"]
            part["gross_gmv"] += value
            part["net_gmv"] += value - (value if cancelled else refund)
    return [
        {
            "lineup_item_id": pk,
            "product_id": product_id,
            "on_air": _rounded([parts[(product_id, pk)]] if (product_id, pk) in parts else []),
            "outside": _rounded(
                part
                for (part_product, slot_id), part in parts.items()
                if part_product == product_id and slot_id != pk
            ),
        }
        for pk, product_id in items
    ]


def _all_outside(session: Session, items: list[tuple[int, int]]) -> list[SlotSales]:
    sold: dict[int, SlotPart] = {
        row.product_id: {
            "orders": row.orders,
            "units": row.units,
            "gross_gmv": row.gross_gmv,
            "net_gmv": row.net_gmv,
        }
        for row in SessionProductSales.objects.filter(
            session=session, product_id__in=[product_id for _pk, product_id in items]
        )
        if row.product_id is not None
    }
    return [
        {
            "lineup_item_id": pk,
            "product_id": product_id,
            "on_air": _empty(),
            "outside": sold.get(product_id) or _empty(),
        }
        for pk, product_id in items
    ]


def _rounded(parts: Iterable[SlotPart]) -> SlotPart:
    """The parts added up (orders too: an order's lines of one product share its time, so
    they are in one part only), money rounded to the cent at the end."""
    total = _empty()
    for part in parts:
        total["orders"] += part["orders"]
        total["units"] += part["units"]
        total["gross_gmv"] += part["gross_gmv"]
        total["net_gmv"] += part["net_gmv"]
    total["gross_gmv"] = _money(total["gross_gmv"])
    total["net_gmv"] = _money(total["net_gmv"])
    return total
