"""RELIABILITY.md R8: re-importing adds nothing; a later export of the same orders adds exactly
its new lines and updates exactly its changed ones.

The base export comes from ``devtools.exportgen``; the later one is derived from it the way a
re-download two days on looks: 25 orders cancelled, 25 delivered lines returned and refunded,
and 1,000 lines of new orders placed the next evening. Every other row is byte for byte the
same. The batch counters are checked against these edits, and so are the database rows.
"""

import csv
import datetime as dt
import io
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from catalog.models import Currency, Platform
from devtools.exportgen import TIKTOK_HEADER, ExportConfig, default_skus, write_export
from livestreams.models import Session
from orders.models import ImportBatch, Order, OrderLine, SessionSales
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.livestreams.factories import SessionFactory

pytestmark = pytest.mark.django_db

SEED = 21
BASE_ROWS = 5000
NEW_LINES = 1000
CANCELLED = 25
RETURNED = 25
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMN = {name: position for position, name in enumerate(TIKTOK_HEADER)}


def export_rows(config: ExportConfig) -> list[list[str]]:
    """The data rows of a generated TikTok CSV, cells exactly as written (ids end with a tab)."""
    buffer = io.BytesIO()
    write_export(buffer, config)
    rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"), newline="")))
    assert rows[0] == TIKTOK_HEADER
    return rows[1:]


def to_csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(TIKTOK_HEADER)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def order_id(row: list[str]) -> str:
    return row[COLUMN["Order ID"]].strip()


def single_line_orders(rows: list[list[str]], status: str, substatus: str) -> list[int]:
    """Positions of rows that are the only line of an order in this status."""
    lines = {}
    for row in rows:
        lines[order_id(row)] = lines.get(order_id(row), 0) + 1
    return [
        position
        for position, row in enumerate(rows)
        if lines[order_id(row)] == 1
        and row[COLUMN["Order Status"]] == status
        and row[COLUMN["Order Substatus"]] == substatus
        and not row[COLUMN["Order Refund Amount"]]
    ]


def cancel(row: list[str]) -> None:
    """The buyer refused the parcel: TikTok shows the order cancelled, the line refunded."""
    created = dt.datetime.strptime(row[COLUMN["Created Time"]].strip(), "%d/%m/%Y %H:%M:%S")
    row[COLUMN["Order Status"]] = "Canceled"
    row[COLUMN["Order Substatus"]] = "Canceled"
    row[COLUMN["Cancelation/Return Type"]] = "Cancel"
    row[COLUMN["Cancelled Time"]] = f"{created + dt.timedelta(days=2):%d/%m/%Y %H:%M:%S}\t"
    row[COLUMN["Cancel By"]] = "User"
    row[COLUMN["Cancel Reason"]] = "No longer needed"
    row[COLUMN["Order Refund Amount"]] = row[COLUMN["SKU Subtotal After Discount"]]


def return_one_unit(row: list[str]) -> Decimal:
    """One unit of a delivered line comes back and is refunded; returns the refund."""
    quantity = int(row[COLUMN["Quantity"]])
    refund = Decimal(row[COLUMN["SKU Subtotal After Discount"]]) / quantity
    row[COLUMN["Sku Quantity of return"]] = "1"
    row[COLUMN["Cancelation/Return Type"]] = "Return/Refund"
    row[COLUMN["Order Refund Amount"]] = f"{refund:.0f}"
    return Decimal(f"{refund:.0f}")


def new_lines() -> list[list[str]]:
    """1,000 lines of orders placed the next evening, on the same catalogue."""
    rows = export_rows(
        ExportConfig(
            platform="tiktok",
            rows=NEW_LINES,
            seed=SEED + 1,
            skus=tuple(default_skus("tiktok", SEED)),
            start=dt.datetime(2025, 5, 21, 19, 0),
            end=dt.datetime(2025, 5, 21, 21, 0),
            as_of=dt.datetime(2025, 5, 23, 12, 0),
        )
    )
    # The generator may overshoot by the lines of its last order; the last order kept may then
    # have fewer lines than generated, which changes nothing here.
    return rows[:NEW_LINES]


@pytest.fixture
def channel():
    channel = ChannelFactory(
        platform=Platform.TIKTOK_SHOP,
        currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
        grace_minutes=30,
    )
    for sku in default_skus("tiktok", SEED):
        PlatformListingFactory(
            platform=Platform.TIKTOK_SHOP,
            sku_id=sku.sku_id,
            seller_sku=sku.seller_sku,
            product=ProductFactory(name=f"Product {sku.seller_sku}"),
        )
    # Every base order falls in this live's window; none of the next evening's does.
    SessionFactory(
        title="megalive",
        channel=channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=LOCAL),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=LOCAL),
        status=Session.Status.ENDED,
    )
    return channel


def database_rows(channel) -> tuple[dict, dict]:
    orders = {
        row[0]: row[1:]
        for row in Order.objects.filter(channel=channel).values_list(
            "external_id", "status", "raw_status", "placed_at", "cancelled_at", "refund_amount",
            "session_id", "attribution", "fingerprint",
        )
    }  # fmt: skip
    lines = {
        (row[0], row[1]): row[2:]
        for row in OrderLine.objects.filter(order__channel=channel).values_list(
            "order__external_id", "external_line_id", "pk", "quantity", "returned_quantity",
            "unit_price", "line_value", "refund_amount", "product_id", "fingerprint",
        )
    }  # fmt: skip
    return orders, lines


def test_a_reimport_adds_nothing_and_a_later_export_adds_1000_lines_and_updates_50(
    importer, channel
):
    base = export_rows(
        ExportConfig(
            platform="tiktok", rows=BASE_ROWS, seed=SEED, as_of=dt.datetime(2025, 5, 23, 12, 0)
        )
    )
    base_content = to_csv(base)
    base_orders = {order_id(row) for row in base}

    first = importer(channel, "base.csv", content=base_content)
    assert first.status == ImportBatch.Status.SUCCEEDED, first.message
    assert (first.rows_read, first.lines_written) == (len(base), len(base))
    assert first.orders_created == len(base_orders)
    before_orders, before_lines = database_rows(channel)
    assert len(before_lines) == len(base)
    megalive = Session.objects.get(channel=channel, title="megalive")
    sales_before = SessionSales.objects.get(session=megalive)
    assert sales_before.orders == len(base_orders)

    # The same file again is recognised and not imported; forced, it changes nothing.
    again = importer(channel, "base.csv", content=base_content)
    assert again.status == ImportBatch.Status.DUPLICATE
    forced = importer(channel, "base.csv", content=base_content, force=True)
    assert forced.status == ImportBatch.Status.SUCCEEDED, forced.message
    assert (forced.orders_created, forced.orders_updated, forced.lines_written) == (0, 0, 0)
    assert forced.orders_unchanged == len(base_orders)
    assert database_rows(channel) == (before_orders, before_lines)

    # The later export: 50 lines changed (25 cancellations, 25 returns), 1,000 new lines.
    later = [list(row) for row in base]
    chooser = random.Random(SEED)
    cancelled = chooser.sample(single_line_orders(later, "Shipped", "In transit"), CANCELLED)
    returned = chooser.sample(single_line_orders(later, "Completed", "Delivered"), RETURNED)
    refunds = Decimal(0)
    for position in cancelled:
        cancel(later[position])
    for position in returned:
        refunds += return_one_unit(later[position])
    changed_orders = {order_id(later[position]) for position in cancelled + returned}
    assert len(changed_orders) == CANCELLED + RETURNED
    added = new_lines()
    added_orders = {order_id(row) for row in added}
    assert len(added) == NEW_LINES
    assert not added_orders & base_orders

    batch = importer(channel, "later.csv", content=to_csv(later + added))
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.rows_read == len(base) + NEW_LINES
    assert batch.error_count == 0
    assert batch.orders_created == len(added_orders)
    assert batch.orders_updated == CANCELLED + RETURNED
    assert batch.orders_unchanged == len(base_orders) - CANCELLED - RETURNED
    assert batch.lines_written == NEW_LINES + CANCELLED + RETURNED

    after_orders, after_lines = database_rows(channel)
    assert len(after_lines) == len(base) + NEW_LINES
    assert set(after_orders) == base_orders | added_orders
    assert {key[0] for key in set(after_lines) - set(before_lines)} == added_orders
    assert len(set(after_lines) - set(before_lines)) == NEW_LINES
    # Exactly the 50 edited lines (and their orders) differ; a line keeps its row (same pk).
    changed_lines = {key for key in before_lines if after_lines[key] != before_lines[key]}
    assert {key[0] for key in changed_lines} == changed_orders
    assert len(changed_lines) == CANCELLED + RETURNED
    assert all(after_lines[key][0] == before_lines[key][0] for key in before_lines)
    assert {key for key in before_orders if after_orders[key] != before_orders[key]} == (
        changed_orders
    )
    statuses = Order.objects.filter(channel=channel, external_id__in=changed_orders)
    assert sorted(statuses.values_list("status", flat=True)) == sorted(
        ["cancelled"] * CANCELLED + ["returned"] * RETURNED
    )

    # The figures follow: the new orders are outside the live; the cancelled lines' value and
    # the refunds leave its net GMV.
    sales = SessionSales.objects.get(session=megalive)
    cancelled_value = sum(
        Decimal(later[position][COLUMN["SKU Subtotal After Discount"]]) for position in cancelled
    )
    assert sales.orders == sales_before.orders
    assert sales.gross_gmv == sales_before.gross_gmv
    assert sales.cancelled_orders == sales_before.cancelled_orders + CANCELLED
    assert sales.refunded_amount == sales_before.refunded_amount + refunds
    assert sales.net_gmv == sales_before.net_gmv - cancelled_value - refunds

    # The later export again, forced: nothing added, nothing updated.
    reimport = importer(channel, "later.csv", content=to_csv(later + added), force=True)
    assert (reimport.orders_created, reimport.orders_updated, reimport.lines_written) == (0, 0, 0)
    assert database_rows(channel) == (after_orders, after_lines)
