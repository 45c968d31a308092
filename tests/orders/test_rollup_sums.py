"""A session's roll-up gives the figures of its definition, whichever part PostgreSQL sums.

On PostgreSQL the lines whose refund needs no division are summed in SQL and only orders that
share a refund or value returns by quantity are streamed (#14: the megalive's roll-up was
2.8 s of streaming). The reference below walks every line with ``line_refunds`` and
``pending_return_value``, the definitions of DESIGN.md, as the roll-up did before.
"""

import datetime as dt
from decimal import Decimal
from itertools import cycle

import pytest

from catalog.models import Platform
from livestreams.models import Session
from orders.models import Order, OrderLine
from orders.services.sales import (
    ZERO,
    _money,
    channel_sales_by_day,
    compute_session_figures,
    line_refunds,
    part_of,
    pending_return_value,
)
from tests.catalog.factories import ProductFactory
from tests.livestreams.factories import SessionFactory

from .conftest import GIA_LAI

pytestmark = pytest.mark.django_db

# (status, order refund, [(quantity, returned, pending, line value, line refund, matched)])
KINDS = [
    ("completed", None, [(2, 0, 0, "200000.00", None, True), (1, 0, 0, "99000.50", None, False)]),
    ("cancelled", None, [(1, 0, 0, "150000.00", "150000.00", True)]),
    ("cancelled", "80000.00", [(3, 1, 1, "240000.00", None, True)]),
    (
        "returned",
        None,
        [(2, 1, 0, "300000.00", "150000.00", True), (1, 0, 0, "5000.00", None, True)],
    ),
    # An order refund shared over the lines by returned value, then by value.
    (
        "returned",
        "100000.00",
        [(3, 1, 0, "90000.00", None, True), (1, 1, 0, "33333.33", None, True)],
    ),
    (
        "returned",
        "70000.00",
        [(2, 0, 0, "100000.00", None, True), (1, 0, 0, "50000.01", None, False)],
    ),
    # Returns valued by quantity, no refund amount anywhere.
    ("returned", None, [(3, 1, 0, "100000.00", None, True)]),
    # A pending return, with and without a line refund elsewhere in the order.
    ("delivered", None, [(4, 0, 1, "400000.00", None, True)]),
    ("delivered", None, [(3, 0, 1, "100000.00", "0.00", True), (1, 0, 0, "1.00", None, True)]),
    ("unknown", "0.00", [(0, 0, 0, "0.00", None, True), (5, 0, 0, "12345.67", None, False)]),
]


def reference(session):
    totals = {"units": 0, "gross": ZERO, "net": ZERO, "refunded": ZERO, "pending": ZERO}
    products = {}
    for order in Order.objects.filter(session=session).prefetch_related("lines"):
        lines = [
            {
                "quantity": line.quantity,
                "returned_quantity": line.returned_quantity,
                "pending_return_quantity": line.pending_return_quantity,
                "line_value": line.line_value,
                "refund_amount": line.refund_amount,
                "product_id": line.product_id,
            }
            for line in order.lines.all()
        ]
        cancelled = order.status == Order.Status.CANCELLED
        refunds = line_refunds(
            {"status": order.status, "refund_amount": order.refund_amount}, lines
        )
        for line, refund in zip(lines, refunds, strict=True):
            lost = line["line_value"] if cancelled else refund
            totals["units"] += line["quantity"]
            totals["gross"] += line["line_value"]
            totals["net"] += line["line_value"] - lost
            totals["refunded"] += refund
            if not cancelled:
                totals["pending"] += pending_return_value(line)
            row = products.setdefault(line["product_id"], [0, ZERO, ZERO])
            row[0] += line["quantity"]
            row[1] += line["line_value"]
            row[2] += line["line_value"] - lost
    return totals, {
        product: (units, _money(gross), _money(net))
        for product, (units, gross, net) in products.items()
    }


def test_the_roll_up_equals_the_definition_for_every_kind_of_order(tiktok_channel):
    session = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    products = cycle([ProductFactory(), ProductFactory(), ProductFactory()])
    for number, (status, order_refund, lines) in enumerate(KINDS * 3):
        order = Order.objects.create(
            channel=tiktok_channel, platform=Platform.TIKTOK_SHOP, external_id=f"O-{number}",
            status=status, placed_at=dt.datetime(2025, 5, 20, 19, 30, tzinfo=GIA_LAI),
            currency="VND", session=session, attribution=Order.Attribution.WINDOW,
            refund_amount=None if order_refund is None else Decimal(order_refund),
        )  # fmt: skip
        for position, (quantity, returned, pending, value, refund, matched) in enumerate(lines):
            OrderLine.objects.create(
                order=order, external_line_id=f"L{position}", quantity=quantity,
                returned_quantity=returned, pending_return_quantity=pending,
                line_value=Decimal(value), seller_sku=f"SKU-{number}-{position}",
                refund_amount=None if refund is None else Decimal(refund),
                product=next(products) if matched else None,
            )  # fmt: skip

    totals, product_rows = compute_session_figures(session)
    expected, expected_products = reference(session)

    assert totals["units"] == expected["units"]
    assert totals["gross_gmv"] == _money(expected["gross"])
    assert totals["net_gmv"] == _money(expected["net"])
    assert totals["refunded_amount"] == _money(expected["refunded"])
    assert totals["returns_pending"] == _money(expected["pending"])
    assert totals["unmatched_lines"] == 9
    assert {
        row["product_id"]: (row["units"], row["gross_gmv"], row["net_gmv"]) for row in product_rows
    } == expected_products
    # The unmatched lines' row is named after the first of them.
    (unmatched,) = [row for row in product_rows if row["product_id"] is None]
    assert unmatched["seller_sku"] == "SKU-0-1"
    # Shared refunds and returns by quantity were really in the mix (not all exact sums).
    assert expected["pending"] > 0 and totals["net_gmv"] < totals["gross_gmv"]


def test_channel_days_equal_the_definition_for_every_kind_of_order(tiktok_channel):
    """The channel's day rows (dashboards' channel figures), by day in the channel's zone and
    part (from a session, ambiguous, none), against the same definition."""
    session = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    # 23:30 and 00:30 local: two local days, one UTC day.
    moments = cycle(
        [
            dt.datetime(2025, 5, 20, 19, 30, tzinfo=GIA_LAI),
            dt.datetime(2025, 5, 20, 23, 30, tzinfo=GIA_LAI),
            dt.datetime(2025, 5, 21, 0, 30, tzinfo=GIA_LAI),
        ]
    )
    attributions = cycle(
        [
            (session, Order.Attribution.WINDOW),
            (None, Order.Attribution.AMBIGUOUS),
            (None, Order.Attribution.NONE),
            (None, Order.Attribution.MANUAL),
        ]
    )
    for number, (status, order_refund, lines) in enumerate(KINDS * 4):
        order_session, attribution = next(attributions)
        order = Order.objects.create(
            channel=tiktok_channel, platform=Platform.TIKTOK_SHOP, external_id=f"D-{number}",
            status=status, placed_at=next(moments), currency="VND", session=order_session,
            attribution=attribution,
            refund_amount=None if order_refund is None else Decimal(order_refund),
        )  # fmt: skip
        for position, (quantity, returned, pending, value, refund, _matched) in enumerate(lines):
            OrderLine.objects.create(
                order=order, external_line_id=f"L{position}", quantity=quantity,
                returned_quantity=returned, pending_return_quantity=pending,
                line_value=Decimal(value),
                refund_amount=None if refund is None else Decimal(refund),
            )  # fmt: skip

    start = dt.datetime(2025, 5, 20, tzinfo=GIA_LAI)
    figures = channel_sales_by_day(
        channel=tiktok_channel, start=start, end=start + dt.timedelta(days=2)
    )

    expected = {}
    for order in Order.objects.filter(channel=tiktok_channel).prefetch_related("lines"):
        lines = [
            {
                "quantity": line.quantity,
                "returned_quantity": line.returned_quantity,
                "line_value": line.line_value,
                "refund_amount": line.refund_amount,
            }
            for line in order.lines.all()
        ]
        key = (
            order.placed_at.astimezone(GIA_LAI).date(),
            part_of(session_id=order.session_id, attribution=order.attribution),
        )
        row = expected.setdefault(key, [0, 0, 0, ZERO, ZERO])
        cancelled = order.status == Order.Status.CANCELLED
        row[0] += 1
        row[2] += int(cancelled)
        refunds = line_refunds(
            {"status": order.status, "refund_amount": order.refund_amount}, lines
        )
        for line, refund in zip(lines, refunds, strict=True):
            row[1] += line["quantity"]
            row[3] += line["line_value"]
            row[4] += line["line_value"] - (line["line_value"] if cancelled else refund)
    assert len(expected) == 6  # two local days x three parts
    assert {
        key: (
            row["orders"],
            row["units"],
            row["cancelled_orders"],
            row["gross_gmv"],
            row["net_gmv"],
        )
        for key, row in figures.items()
    } == {
        key: (orders, units, cancelled, _money(gross), _money(net))
        for key, (orders, units, cancelled, gross, net) in expected.items()
    }
