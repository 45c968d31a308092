"""Import truth: every order kept, every live link made, newer exports never undone.

Each test pins one defect found on real exports; the expected figures are computed from the
fixture files with the csv module or openpyxl alone, never from the code under test.
"""

import csv
import datetime as dt
import io
import unicodedata
from collections import defaultdict
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest

from catalog.models import Currency, Platform
from livestreams.models import Session
from orders import services
from orders.importers import OrderLine as ExportLine
from orders.importers import open_export, statuses
from orders.models import ImportBatch, Order, OrderLine, SessionSales, StatusMapping
from tests.catalog.factories import ChannelFactory
from tests.livestreams.factories import SessionFactory

from .conftest import GIA_LAI, LIVE_ID, export_path, read_rows, upload

pytestmark = pytest.mark.django_db

ORDERS = "tiktok_orders_gialai.csv"
EARLY = "tiktok_orders_gialai_early.csv"
AFFILIATE = "tiktok_affiliate_gialai.csv"
SHOPEE = "Order.all.20250520_20250521.xlsx"
LIVE_CONTENT = {"Phát trực tiếp", "Livestream", "LIVE"}


def money(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def expected_session_figures(order_ids: set[str]) -> dict:
    """Session figures over the orders file's rows of ``order_ids``, by DESIGN.md's rules."""
    lines = [row for row in read_rows(ORDERS) if row["Order ID"] in order_ids]
    by_order = defaultdict(list)
    for row in lines:
        by_order[row["Order ID"]].append(row)
    cancelled = {oid for oid, rows in by_order.items() if rows[0]["Order Status"] == "Canceled"}
    gross = sum(money(row["SKU Subtotal After Discount"]) for row in lines)
    lost = sum(
        money(row["SKU Subtotal After Discount"])
        if row["Order ID"] in cancelled
        else money(row["Order Refund Amount"])
        for row in lines
    )
    return {
        "orders": len(by_order),
        "units": sum(int(row["Quantity"]) for row in lines),
        "gross_gmv": gross,
        "net_gmv": gross - lost,
        "cancelled_orders": len(cancelled),
    }


def live_order_ids() -> set[str]:
    """Orders of the orders file that the affiliate file says were sold in the LIVE."""
    in_orders = {row["Order ID"] for row in read_rows(ORDERS)}
    with export_path(AFFILIATE).open(encoding="utf-8", newline="") as handle:
        linked = {
            row["ID đơn hàng"].strip()
            for row in csv.DictReader(handle)
            if row["Loại nội dung"] in LIVE_CONTENT and row["Id nội dung"].strip() == LIVE_ID
        }
    return linked & in_orders


def figures(session: Session) -> dict:
    sales = SessionSales.objects.get(session=session)
    return {
        "orders": sales.orders,
        "units": sales.units,
        "gross_gmv": sales.gross_gmv,
        "net_gmv": sales.net_gmv,
        "cancelled_orders": sales.cancelled_orders,
    }


@pytest.fixture
def live_a_day_later(tiktok_channel):
    """The live of the samples, scheduled a day after the orders: only the live id links them."""
    return SessionFactory(
        channel=tiktok_channel,
        platform_live_id=LIVE_ID,
        scheduled_start=dt.datetime(2025, 5, 21, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 21, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )


# --- 1. The affiliate export, in either order ------------------------------------------------


def test_orders_then_affiliate_gives_the_live_its_orders(
    importer, tiktok_channel, live_a_day_later
):
    importer(tiktok_channel, ORDERS)
    affiliate = importer(tiktok_channel, AFFILIATE)

    assert affiliate.status == ImportBatch.Status.SUCCEEDED, affiliate.message
    linked = live_order_ids()
    assert linked
    assert figures(live_a_day_later) == expected_session_figures(linked)
    assert (
        set(Order.objects.filter(session=live_a_day_later).values_list("external_id", flat=True))
        == linked
    )
    # The counters say where the file's orders stand, not only those the batch changed.
    assert affiliate.orders_attributed == len(linked)


def test_affiliate_then_orders_gives_the_same_figures(importer, tiktok_channel, live_a_day_later):
    importer(tiktok_channel, AFFILIATE)
    importer(tiktok_channel, ORDERS)

    assert figures(live_a_day_later) == expected_session_figures(live_order_ids())


def test_the_affiliate_file_imported_again_after_a_failed_run_attributes_its_orders(
    importer, tiktok_channel, live_a_day_later
):
    importer(tiktok_channel, ORDERS)
    with (
        mock.patch(
            "orders.services.imports.attribute_orders", side_effect=RuntimeError("worker lost")
        ),
        pytest.raises(RuntimeError),
    ):
        importer(tiktok_channel, AFFILIATE)
    failed = ImportBatch.objects.get(format="tiktok_affiliate")
    assert failed.status == ImportBatch.Status.FAILED
    # The links were stored, and the orders carry the live id, but nothing was attributed.
    assert not Order.objects.filter(session=live_a_day_later).exists()

    again = importer(tiktok_channel, AFFILIATE, force=True)

    assert again.status == ImportBatch.Status.SUCCEEDED, again.message
    assert figures(live_a_day_later) == expected_session_figures(live_order_ids())


def test_an_order_enriched_by_its_affiliate_link_is_unchanged_by_a_forced_reimport(
    importer, tiktok_channel, live_a_day_later
):
    importer(tiktok_channel, ORDERS)
    importer(tiktok_channel, AFFILIATE)
    again = importer(tiktok_channel, ORDERS, force=True)

    assert again.orders_updated == 0
    assert again.orders_unchanged == Order.objects.count()


# --- 2. Unknown statuses are kept, counted and mapped by staff --------------------------------


def tiktok_with_status(order_id: str, raw_status: str) -> bytes:
    """The orders file with one order's status replaced, written as TikTok writes it."""
    text = export_path(ORDERS).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for row in rows[1:]:
        if row[0].strip() == order_id:
            row[header.index("Order Status")] = raw_status
            row[header.index("Order Substatus")] = raw_status
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def test_an_order_with_an_unknown_status_is_kept_counted_and_mapped_once(
    importer, tiktok_channel, megalive, bureau_staff, django_capture_on_commit_callbacks
):
    rows = read_rows(ORDERS)
    odd = next(r["Order ID"] for r in rows if r["Order Status"] == "Completed")
    content = tiktok_with_status(odd, "Đang kiểm tra")

    batch = importer(tiktok_channel, ORDERS, content=content)

    assert batch.error_count == 0
    assert batch.orders_unknown_status == 1
    order = Order.objects.get(external_id=odd)
    assert (order.status, order.raw_status) == (Order.Status.UNKNOWN, "Đang kiểm tra")
    sales = SessionSales.objects.get(session=megalive)
    assert sales.unknown_status_orders == 1
    # Counted like any order that is not cancelled: the figures lose nothing.
    all_orders = {r["Order ID"] for r in rows}
    assert figures(megalive) == expected_session_figures(all_orders)
    assert services.unknown_statuses() == [
        {"platform": Platform.TIKTOK_SHOP, "raw_status": "Đang kiểm tra", "orders": 1}
    ]

    with django_capture_on_commit_callbacks(execute=True):
        changed = services.map_raw_status(
            platform=Platform.TIKTOK_SHOP,
            raw_status="đang kiểm tra",
            status=Order.Status.COMPLETED,
            mapped_by=bureau_staff,
        )

    assert changed == 1
    assert Order.objects.get(external_id=odd).status == Order.Status.COMPLETED
    assert SessionSales.objects.get(session=megalive).unknown_status_orders == 0
    assert StatusMapping.objects.get().created_by == bureau_staff
    # Later imports read the raw status through the mapping.
    again = importer(tiktok_channel, ORDERS, content=content, force=True)
    assert again.orders_unknown_status == 0
    assert Order.objects.get(external_id=odd).status == Order.Status.COMPLETED


def test_a_status_cannot_be_mapped_to_unknown(db):
    with pytest.raises(ValueError):
        services.map_raw_status(
            platform=Platform.SHOPEE, raw_status="Lạ", status=Order.Status.UNKNOWN
        )


def shopee_workbook(change) -> bytes:
    """The Shopee sample with ``change(header_index, rows)`` applied to its cells."""
    book = openpyxl.load_workbook(export_path(SHOPEE))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    index = {unicodedata.normalize("NFC", str(cell.value)): i for i, cell in enumerate(rows[0])}
    change(index, rows[1:])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_shopee_received_status_is_delivered_not_dropped():
    def received(index, rows):
        rows[0][index["Trạng Thái Đơn Hàng"]].value = "Đã nhận được hàng"

    with open_export(shopee_workbook(received), time_zone="Asia/Ho_Chi_Minh") as reader:
        lines = [item for item in reader.iter_items() if isinstance(item, ExportLine)]
    assert lines[0].raw_status == "Đã nhận được hàng"
    assert lines[0].status == "delivered"


@pytest.mark.parametrize(
    ("table", "raw"),
    [
        # Every status the formats document (../shared/formats/README.md), per platform.
        *[
            (statuses.TIKTOK_STATUSES, raw)
            for raw in (
                "Unpaid", "To ship", "Shipped", "Completed", "Canceled", "Awaiting shipment",
                "Awaiting collection", "In transit", "Delivered", "Đã vận chuyển", "Đã hủy",
                "Đã giao",
            )
        ],
        *[
            (statuses.DOUYIN_STATUSES, raw)
            for raw in ("待支付", "待发货", "已发货", "已完成", "已关闭")
        ],
        *[
            (statuses.SHOPEE_STATUSES, raw)
            for raw in (
                "Chờ xác nhận", "Chờ giao hàng", "Đang giao", "Đã giao", "Hoàn thành", "Đã hủy",
                "Đã nhận được hàng",
            )
        ],
        *[
            (statuses.LAZADA_STATUSES, raw)
            for raw in (
                "pending", "confirmed", "packed", "ready_to_ship", "shipped", "delivered",
                "canceled", "returned", "failed",
            )
        ],
    ],
)  # fmt: skip
def test_every_documented_status_is_known(table, raw):
    assert statuses.lookup(table, raw) is not None


# --- 3. Pending return requests are not refunds ----------------------------------------------


@pytest.fixture
def shopee_channel(db):
    return ChannelFactory(
        platform=Platform.SHOPEE,
        slug="gialai-shopee",
        currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
        grace_minutes=30,
    )


def test_a_pending_shopee_return_is_shown_apart_and_not_taken_off_net_gmv(importer, shopee_channel):
    session = SessionFactory(
        channel=shopee_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    values = {}

    def one_pending(index, rows):
        returned = [row for row in rows if row[index["Trạng thái Trả hàng/Hoàn tiền"]].value]
        row = returned[0]
        row[index["Trạng thái Trả hàng/Hoàn tiền"]].value = "Yêu cầu chờ xử lý"
        values["pending"] = (
            Decimal(row[index["Tổng giá bán (sản phẩm)"]].value)
            * Decimal(row[index["Số lượng sản phẩm được hoàn trả"]].value)
            / Decimal(row[index["Số lượng"]].value)
        )
        values["granted"] = sum(
            Decimal(r[index["Tổng giá bán (sản phẩm)"]].value)
            * Decimal(r[index["Số lượng sản phẩm được hoàn trả"]].value)
            / Decimal(r[index["Số lượng"]].value)
            for r in returned[1:]
        )
        values["gross"] = sum(Decimal(r[index["Tổng giá bán (sản phẩm)"]].value) for r in rows)
        values["cancelled"] = sum(
            Decimal(r[index["Tổng giá bán (sản phẩm)"]].value)
            for r in rows
            if r[index["Trạng Thái Đơn Hàng"]].value == "Đã hủy"
        )

    content = shopee_workbook(one_pending)
    batch = importer(shopee_channel, SHOPEE, content=content)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    sales = SessionSales.objects.get(session=session)
    assert values["pending"] > 0
    assert sales.returns_pending == values["pending"].quantize(Decimal("0.01"))
    assert sales.refunded_amount == values["granted"].quantize(Decimal("0.01"))
    assert sales.gross_gmv == values["gross"]
    assert sales.net_gmv == values["gross"] - values["cancelled"] - values["granted"]
    pending_line = OrderLine.objects.get(pending_return_quantity__gt=0)
    assert pending_line.returned_quantity == 0
    assert pending_line.order.status != Order.Status.RETURNED


# --- 4. Deleting a session keeps staff decisions ---------------------------------------------


def test_deleting_a_session_keeps_every_staff_choice_but_those_of_it(
    importer, tiktok_channel, megalive, bureau_staff, django_capture_on_commit_callbacks
):
    other = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    importer(tiktok_channel, ORDERS)
    ambiguous = list(Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS)[:2])
    alone = Order.objects.filter(session=megalive).first()
    assert len(ambiguous) == 2 and alone is not None
    none_of_them, chose_megalive = ambiguous
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_session_for_order(order=none_of_them, session=None, chosen_by=bureau_staff)
        services.choose_session_for_order(
            order=chose_megalive, session=megalive, chosen_by=bureau_staff
        )

    with django_capture_on_commit_callbacks(execute=True):
        megalive.delete()

    none_of_them.refresh_from_db()
    assert (none_of_them.attribution, none_of_them.session_id) == (Order.Attribution.MANUAL, None)
    assert none_of_them.attributed_by == bureau_staff
    # The staff choice of the deleted session, and the rules' choices of it, are decided again:
    # the other session's window now holds the ambiguous order alone.
    chose_megalive.refresh_from_db()
    assert (chose_megalive.attribution, chose_megalive.session_id) == (
        Order.Attribution.WINDOW,
        other.pk,
    )
    alone.refresh_from_db()
    assert alone.attribution in {Order.Attribution.WINDOW, Order.Attribution.NONE}
    assert alone.session_id in {other.pk, None}


# --- 5. An older export never rolls a newer one back ----------------------------------------


def session_snapshot(session) -> dict:
    return figures(session)


def order_snapshot() -> dict:
    return {
        order.external_id: (order.status, order.refund_amount, order.cancelled_at)
        for order in Order.objects.all()
    }


def newest_time_in(name: str) -> dt.datetime:
    columns = ("Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time",
               "Cancelled Time")  # fmt: skip
    # RTS is not read by the importer: the newest of the times it reads is the export's time.
    read = [c for c in columns if c != "RTS Time"]
    moments = [
        dt.datetime.strptime(row[c], "%d/%m/%Y %H:%M:%S").replace(tzinfo=GIA_LAI)
        for row in read_rows(name)
        for c in read
        if row[c]
    ]
    return max(moments)


def test_a_forced_import_of_an_older_export_keeps_the_newer_values(
    importer, tiktok_channel, megalive
):
    importer(tiktok_channel, ORDERS)
    newer_orders, newer_figures = order_snapshot(), session_snapshot(megalive)
    assert Order.objects.filter(status=Order.Status.CANCELLED).exists()
    assert set(Order.objects.values_list("exported_at", flat=True)) == {newest_time_in(ORDERS)}

    older = importer(tiktok_channel, EARLY, force=True)

    assert older.status == ImportBatch.Status.SUCCEEDED, older.message
    assert order_snapshot() == newer_orders
    assert session_snapshot(megalive) == newer_figures
    early = {r["Order ID"]: r for r in read_rows(EARLY)}
    later = {r["Order ID"]: r for r in read_rows(ORDERS)}
    differing = {
        oid
        for oid in early
        if (early[oid]["Order Status"], early[oid]["Order Refund Amount"])
        != (later[oid]["Order Status"], later[oid]["Order Refund Amount"])
    }
    assert differing
    assert older.orders_older >= len(differing)


def test_the_newer_export_after_the_older_one_updates_everything(
    importer, tiktok_channel, megalive
):
    importer(tiktok_channel, EARLY)
    newer = importer(tiktok_channel, ORDERS)

    assert newer.orders_older == 0
    assert figures(megalive) == expected_session_figures({r["Order ID"] for r in read_rows(ORDERS)})


def test_staff_can_choose_to_replace_newer_values_with_an_older_export(
    importer, tiktok_channel, megalive
):
    importer(tiktok_channel, EARLY)
    early_orders, early_figures = order_snapshot(), session_snapshot(megalive)
    importer(tiktok_channel, ORDERS)
    assert order_snapshot() != early_orders

    batch = services.create_import_batch(
        channel=tiktok_channel,
        upload=upload(EARLY),
        replace_newer=True,
    )
    assert batch.status == ImportBatch.Status.QUEUED  # not taken for the earlier duplicate
    services.run_import_batch(batch_id=batch.pk)
    services.recompute_session_sales(session_ids=[megalive.pk])

    assert order_snapshot() == early_orders
    assert session_snapshot(megalive) == early_figures


# --- 9. Counters describe the file -------------------------------------------------------------


def test_a_reimport_says_how_many_of_the_files_orders_are_attributed_and_ambiguous(
    importer, tiktok_channel, megalive
):
    SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 30, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    first = importer(tiktok_channel, ORDERS)
    again = importer(tiktok_channel, ORDERS, force=True)

    attributed = Order.objects.filter(session__isnull=False).count()
    ambiguous = Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).count()
    assert attributed and ambiguous
    assert again.orders_unchanged == Order.objects.count()
    assert (first.orders_attributed, first.orders_ambiguous) == (attributed, ambiguous)
    assert (again.orders_attributed, again.orders_ambiguous) == (attributed, ambiguous)
