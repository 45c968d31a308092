"""Per-session sales roll-ups, computed exactly by the definitions in DESIGN.md.

The figures are exact on every database: on PostgreSQL (exact numeric sums) the lines whose
refund needs no division are summed in SQL and the rest streamed and summed in Python with
Decimal; on SQLite (floating-point sums) every line is streamed.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.dispatch import Signal

from catalog.models import Channel, Product
from core.lookups import AnyOf
from livestreams.models import Session

from ..models import Order, OrderLine, SessionProductSales, SessionSales

CENT = Decimal("0.01")
ZERO = Decimal(0)

# Sent inside the transaction that rewrites a session's roll-up, with `session` and `sales`
# (its SessionSales row), so that apps above orders (dashboards) keep their own roll-ups in
# step without orders knowing them.
session_sales_recomputed = Signal()
# Sent after the commit of any change to orders' values, statuses or attribution, with
# `channel_id` and `first`/`last` (aware datetimes: the placement times the changed orders
# span), so that channel roll-ups above orders are recomputed for those days.
orders_changed = Signal()

# What part of a channel's sales an order is in (DESIGN.md, attribution of an order).
PART_SESSION, PART_AMBIGUOUS, PART_NONE = "session", "ambiguous", "none"


# The rows below are plain dicts (TypedDicts): the lines come from .values() and are summed
# as they stream, with no object made per line.
class OrderRefund(TypedDict):
    """What ``line_refunds`` reads of an order."""

    status: str
    refund_amount: Decimal | None


class RefundedLine(TypedDict):
    """What ``line_refunds`` reads of each of its lines (a ``.values()`` row has more keys)."""

    quantity: int
    returned_quantity: int
    line_value: Decimal
    refund_amount: Decimal | None


class PendingReturnLine(TypedDict):
    """What ``pending_return_value`` reads of a line."""

    quantity: int
    pending_return_quantity: int
    line_value: Decimal


class OrdersSpan(TypedDict):
    """What ``orders_changed`` is sent with, besides its sender."""

    channel_id: int
    first: dt.datetime
    last: dt.datetime


class DayFigures(TypedDict):
    """A channel's sales of one day and part (``channel_sales_by_day``)."""

    orders: int
    units: int
    cancelled_orders: int
    gross_gmv: Decimal
    net_gmv: Decimal


class SessionTotals(TypedDict):
    """A session's totals: the values of its SessionSales row but the currency."""

    orders: int
    units: int
    buyers: int | None
    orders_without_buyer: int
    gross_gmv: Decimal
    net_gmv: Decimal
    cancelled_orders: int
    refunded_amount: Decimal
    returns_pending: Decimal
    unknown_status_orders: int
    unmatched_lines: int
    last_import_at: dt.datetime | None


class _ProductSums(TypedDict):
    units: int
    gross_gmv: Decimal
    net_gmv: Decimal


class ProductFigures(TypedDict):
    """A session's sales of one product (or of one unmatched SKU): a SessionProductSales row."""

    product_id: int | None
    seller_sku: str
    orders: int
    units: int
    gross_gmv: Decimal
    net_gmv: Decimal


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_refunds(order: OrderRefund, lines: Sequence[RefundedLine]) -> list[Decimal]:
    """The refunded amount of each line of a non-cancelled order.

    The platform's refund amount when it gives one per line; else the order's refund amount,
    shared over the returned lines by value; else returned quantity x unit value.
    """
    if order["status"] == Order.Status.CANCELLED:
        return [ZERO for _ in lines]
    if any(line["refund_amount"] is not None for line in lines):
        return [line["refund_amount"] or ZERO for line in lines]

    def returned_value(line: RefundedLine) -> Decimal:
        if not line["quantity"]:
            return ZERO
        return line["line_value"] * line["returned_quantity"] / line["quantity"]

    order_refund = order["refund_amount"]
    if order_refund:
        basis = [returned_value(line) for line in lines]
        if not any(basis):
            basis = [line["line_value"] for line in lines]
        total = sum(basis, ZERO)
        if not total:
            return [ZERO for _ in lines]
        capped = min(order_refund, sum((line["line_value"] for line in lines), ZERO))
        return [capped * share / total for share in basis]
    return [returned_value(line) for line in lines]


def pending_return_value(line: PendingReturnLine) -> Decimal:
    """The value of a line's return requests not granted yet: shown apart, never taken off
    net GMV (DESIGN.md counts only completed returns and refunds)."""
    if not line["quantity"] or not line["pending_return_quantity"]:
        return ZERO
    return line["line_value"] * line["pending_return_quantity"] / line["quantity"]


def announce_orders_changed(orders: QuerySet[Order]) -> None:
    """Send ``orders_changed`` after the commit for the channels and times ``orders`` (a
    queryset, evaluated now: one grouped query) span."""
    spans = list(
        orders.order_by()
        .values("channel_id")
        .annotate(first=Min("placed_at"), last=Max("placed_at"))
    )
    announce_spans(spans)


def announce_spans(spans: Sequence[OrdersSpan]) -> None:
    """Send ``orders_changed`` after the commit, once per {channel_id, first, last}."""
    if not spans:
        return

    def send() -> None:
        for span in spans:
            orders_changed.send(sender=Order, **span)

    transaction.on_commit(send, robust=True)


def part_of(*, session_id: int | None, attribution: str) -> str:
    if session_id:
        return PART_SESSION
    if attribution == Order.Attribution.AMBIGUOUS:
        return PART_AMBIGUOUS
    # No session: none, or staff chose "none of them".
    return PART_NONE


def channel_sales_by_day(
    *, channel: Channel, start: dt.datetime, end: dt.datetime
) -> dict[tuple[dt.date, str], DayFigures]:
    """All the channel's orders placed in [start, end), summed per day (in the channel's time
    zone) and part (from sessions, ambiguous, unattributed), by the session figures' rules:
    gross and net GMV, orders, units and cancelled orders. Streams the lines: memory stays
    bounded whatever the day's size."""
    zone = ZoneInfo(channel.time_zone)
    orders = Order.objects.filter(channel=channel, placed_at__gte=start, placed_at__lt=end)
    lines = OrderLine.objects.filter(
        order__channel=channel, order__placed_at__gte=start, order__placed_at__lt=end
    )
    figures: dict[tuple[dt.date, str], DayFigures] = {}
    if connection.vendor == "postgresql":
        # As for a session's figures: PostgreSQL sums exactly what needs no shared refund,
        # the rest is streamed below (a 200,000-line day took 1.5 s all streamed).
        shared = _orders_with_shared_refunds(orders)
        exact = lines.exclude(AnyOf(F("order_id"), shared)) if shared else lines
        part = Case(
            When(order__session_id__isnull=False, then=Value(PART_SESSION)),
            When(order__attribution=Order.Attribution.AMBIGUOUS, then=Value(PART_AMBIGUOUS)),
            default=Value(PART_NONE),
        )
        rows = (
            exact.order_by()
            .annotate(day=TruncDate("order__placed_at", tzinfo=zone), part=part)
            .values("day", "part")
            .annotate(
                count=Count("order_id", distinct=True),
                cancelled=Count(
                    "order_id", distinct=True, filter=Q(order__status=Order.Status.CANCELLED)
                ),
                units=Sum("quantity"),
                gross=Sum("line_value"),
                net=Sum(F("line_value") - _lost_value()),
            )
        )
        for summed in rows:
            figures[(summed["day"], summed["part"])] = {
                "orders": summed["count"],
                "units": summed["units"],
                "cancelled_orders": summed["cancelled"],
                "gross_gmv": summed["gross"],
                "net_gmv": summed["net"],
            }
        lines = lines.filter(AnyOf(F("order_id"), shared))
    for order_lines, cancelled, refunds in lines_by_order(
        lines, "order__placed_at", "order__session_id", "order__attribution"
    ):
        first = order_lines[0]
        key = (
            first["order__placed_at"].astimezone(zone).date(),
            part_of(session_id=first["order__session_id"], attribution=first["order__attribution"]),
        )
        row = figures.setdefault(
            key,
            {"orders": 0, "units": 0, "cancelled_orders": 0, "gross_gmv": ZERO, "net_gmv": ZERO},
        )
        row["orders"] += 1
        row["cancelled_orders"] += int(cancelled)
        for line, refund in zip(order_lines, refunds, strict=True):
            row["units"] += line["quantity"]
            row["gross_gmv"] += line["line_value"]
            row["net_gmv"] += line["line_value"] - (line["line_value"] if cancelled else refund)
    for row in figures.values():
        row["gross_gmv"], row["net_gmv"] = _money(row["gross_gmv"]), _money(row["net_gmv"])
    return figures


def lines_by_order(
    lines: QuerySet[OrderLine], *fields: str
) -> Iterator[tuple[list[Any], bool, list[Decimal]]]:
    """``lines`` grouped by order and streamed (5,000 rows a fetch): each order's lines (the
    fields ``line_refunds`` reads, the order's, and ``fields``), whether the order is
    cancelled, and each line's refund. The one pass every roll-up makes over the lines whose
    refunds SQL cannot sum exactly."""
    stream = (
        lines.order_by("order_id")
        .values(
            "order_id",
            "order__status",
            "order__refund_amount",
            "quantity",
            "returned_quantity",
            "line_value",
            "refund_amount",
            *fields,
        )
        .iterator(chunk_size=5000)
    )
    for _order_id, group in groupby(stream, key=itemgetter("order_id")):
        order_lines = list(group)
        order: OrderRefund = {
            "status": order_lines[0]["order__status"],
            "refund_amount": order_lines[0]["order__refund_amount"],
        }
        cancelled = order["status"] == Order.Status.CANCELLED
        yield order_lines, cancelled, line_refunds(order, order_lines)


def _orders_with_shared_refunds(orders: QuerySet[Order]) -> list[int]:
    """The ids of those of ``orders`` whose line refunds or pending returns ``line_refunds`` and
    ``pending_return_value`` compute by division (an order refund shared over its lines,
    returns valued by quantity). Every other line's refund is 0 (a cancelled order, no
    return) or its own ``refund_amount``: sums of those are exact in SQL.

    Found in two cheap passes (orders with a refund of their own, lines with a return), then
    decided on the few candidates' lines: one correlated condition per order cost 0.6 s on a
    134,000-order megalive.
    """
    open_orders = orders.exclude(status=Order.Status.CANCELLED)
    candidates = set(
        open_orders.filter(refund_amount__isnull=False)
        .exclude(refund_amount=0)
        .values_list("pk", flat=True)
    )
    candidates |= set(
        OrderLine.objects.filter(order__in=open_orders)
        .filter(Q(returned_quantity__gt=0) | Q(pending_return_quantity__gt=0))
        .values_list("order_id", flat=True)
    )
    if not candidates:
        return []
    flags: dict[int, list[bool]] = {}
    order_refunds = dict(
        Order.objects.filter(AnyOf(F("pk"), list(candidates))).values_list("pk", "refund_amount")
    )
    for order_id, refund, returned, pending in OrderLine.objects.filter(
        AnyOf(F("order_id"), list(candidates))
    ).values_list("order_id", "refund_amount", "returned_quantity", "pending_return_quantity"):
        has = flags.setdefault(order_id, [False, False, False])
        has[0] |= refund is not None
        has[1] |= returned > 0
        has[2] |= pending > 0
    return sorted(
        order_id
        for order_id, (has_line_refund, has_returns, has_pending) in flags.items()
        if has_pending
        or (not has_line_refund and (bool(order_refunds.get(order_id)) or has_returns))
    )


def _lost_value() -> Case:
    """What a line's net GMV loses, in SQL, where no refund is shared: all of it when its order
    is cancelled, else its own refund (none: 0)."""
    return Case(
        When(order__status=Order.Status.CANCELLED, then=F("line_value")),
        default=Coalesce("refund_amount", ZERO),
    )


def _add_exact_sums(
    lines: QuerySet[OrderLine], totals: "SessionTotals", products: dict[int | None, _ProductSums]
) -> None:
    """Add to ``totals`` and ``products`` the sums of lines whose refund is 0 or their own
    (see ``_orders_with_shared_refunds``), summed by the database per product."""
    cancelled = Q(order__status=Order.Status.CANCELLED)
    refund = Case(When(cancelled, then=Value(ZERO)), default=Coalesce("refund_amount", ZERO))
    lost = _lost_value()
    rows = (
        lines.order_by()
        .values("product_id")
        .annotate(
            units=Sum("quantity"),
            gross=Sum("line_value"),
            net=Sum(F("line_value") - lost),
            refunded=Sum(refund),
        )
    )
    for row in rows:
        totals["units"] += row["units"]
        totals["gross_gmv"] += row["gross"]
        totals["net_gmv"] += row["net"]
        totals["refunded_amount"] += row["refunded"]
        products[row["product_id"]] = {
            "units": row["units"],
            "gross_gmv": row["gross"],
            "net_gmv": row["net"],
        }


def compute_session_figures(session: Session) -> tuple[SessionTotals, list[ProductFigures]]:
    """The session's totals and per-product rows, from its attributed orders' lines.

    Memory stays bounded whatever the session's size (a megalive can have 100,000 lines):
    counts are SQL aggregates, and the money is summed by PostgreSQL where no refund is shared
    out, else over a stream of lines grouped by order (the 200,000-line megalive of the import
    benchmark: 2.8 s all streamed, a fraction of that now).
    """
    orders = Order.objects.filter(session=session)
    counted = orders.aggregate(
        orders=Count("pk"),
        cancelled=Count("pk", filter=Q(status=Order.Status.CANCELLED)),
        unknown_status=Count("pk", filter=Q(status=Order.Status.UNKNOWN)),
        without_buyer=Count("pk", filter=Q(buyer_hash="")),
        # The import that last wrote one of the orders; a batch still running counts from
        # its start.
        last_import_at=Max(
            Coalesce("last_batch__finished_at", "last_batch__started_at", "last_batch__created_at")
        ),
    )
    # Buyers are distinct buyer hashes (DESIGN.md). Orders whose export named no buyer
    # (Douyin, Lazada) cannot be counted: with none named the figure is unknown (None), not
    # 0; with some named it is the named ones, a lower bound flagged by orders_without_buyer.
    buyers: int | None = None
    if not counted["orders"] or counted["without_buyer"] < counted["orders"]:
        buyers = orders.exclude(buyer_hash="").values("buyer_hash").distinct().count()
    lines = OrderLine.objects.filter(order__session=session)
    # (A nullable foreign key: the stubs type its .values() as int, unmatched lines give None.)
    orders_per_product: dict[int | None, int] = {
        row["product_id"]: row["orders"]
        for row in lines.values("product_id").annotate(orders=Count("order_id", distinct=True))
    }
    totals: SessionTotals = {
        "orders": counted["orders"],
        "units": 0,
        "buyers": buyers,
        "orders_without_buyer": counted["without_buyer"],
        "gross_gmv": ZERO,
        "net_gmv": ZERO,
        "cancelled_orders": counted["cancelled"],
        "refunded_amount": ZERO,
        "returns_pending": ZERO,
        "unknown_status_orders": counted["unknown_status"],
        "unmatched_lines": 0,
        "last_import_at": counted["last_import_at"],
    }
    products: dict[int | None, _ProductSums] = {}
    totals["unmatched_lines"] = lines.filter(product__isnull=True).count()
    streamed = lines
    if connection.vendor == "postgresql":
        # PostgreSQL sums numeric exactly: the lines whose refunds need no division are summed
        # there; only the orders that share a refund or value returns by quantity (a few in a
        # hundred) are streamed and shared out below. SQLite sums in floating point, so there
        # every line is streamed.
        # Their ids first (a few in a hundred, often none): excluding a short list of ids
        # costs the sums nothing, a correlated condition per line did.
        shared = _orders_with_shared_refunds(Order.objects.filter(session=session))
        _add_exact_sums(
            lines.exclude(AnyOf(F("order_id"), shared)) if shared else lines, totals, products
        )
        streamed = lines.filter(AnyOf(F("order_id"), shared))
    for order_lines, cancelled, refunds in lines_by_order(
        streamed, "product_id", "seller_sku", "pending_return_quantity"
    ):
        for line, refund in zip(order_lines, refunds, strict=True):
            value = line["line_value"]
            lost = value if cancelled else refund
            totals["units"] += line["quantity"]
            totals["gross_gmv"] += value
            totals["net_gmv"] += value - lost
            totals["refunded_amount"] += refund
            if not cancelled:
                totals["returns_pending"] += pending_return_value(line)
            row = products.setdefault(
                line["product_id"], {"units": 0, "gross_gmv": ZERO, "net_gmv": ZERO}
            )
            row["units"] += line["quantity"]
            row["gross_gmv"] += value
            row["net_gmv"] += value - lost
    # The unmatched lines' row is named by the seller SKU of the first of them.
    unmatched_sku = (
        lines.filter(product__isnull=True)
        .order_by("order_id", "pk")
        .values_list("seller_sku", flat=True)
        .first()
    )
    totals["gross_gmv"] = _money(totals["gross_gmv"])
    totals["net_gmv"] = _money(totals["net_gmv"])
    totals["refunded_amount"] = _money(totals["refunded_amount"])
    totals["returns_pending"] = _money(totals["returns_pending"])
    product_rows: list[ProductFigures] = [
        {
            "product_id": product_id,
            "seller_sku": (unmatched_sku or "") if product_id is None else "",
            "orders": orders_per_product.get(product_id, 0),
            "units": row["units"],
            "gross_gmv": _money(row["gross_gmv"]),
            "net_gmv": _money(row["net_gmv"]),
        }
        for product_id, row in products.items()
    ]
    return totals, product_rows


def _without_jit() -> None:
    """Turn PostgreSQL's JIT compiler off for the rest of the transaction. The roll-up's
    aggregates over a megalive's lines are estimated costly enough to be JIT-compiled, and
    compiling took 0.8 s of a 1.4 s query that runs in 0.2 s without it (EXPLAIN ANALYZE,
    200,000 lines); these queries are never long enough to win it back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def recompute_session_sales(*, session_ids: Iterable[int]) -> int:
    """Rewrite the roll-ups of these sessions from their orders. Idempotent."""
    done = 0
    for session in Session.objects.filter(pk__in=list(session_ids)).select_related("channel"):
        with transaction.atomic():
            _without_jit()
            totals, product_rows = compute_session_figures(session)
            cooperatives: dict[int | None, int | None] = dict(
                Product.objects.filter(
                    pk__in=[row["product_id"] for row in product_rows if row["product_id"]]
                ).values_list("pk", "cooperative_id")
            )
            sales, _created = SessionSales.objects.update_or_create(
                session=session,
                defaults={
                    "currency": session.channel.currency if session.channel else "",
                    **totals,
                },
            )
            SessionProductSales.objects.filter(session=session).delete()
            SessionProductSales.objects.bulk_create(
                SessionProductSales(
                    session=session, cooperative_id=cooperatives.get(row["product_id"]), **row
                )
                for row in product_rows
            )
            session_sales_recomputed.send(sender=SessionSales, session=session, sales=sales)
        done += 1
    return done
