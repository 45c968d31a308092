"""Every sample export parsed, checked against values read by hand from the files."""

import csv
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from orders.importers import AffiliateLink, OrderLine, RowError, open_export
from tests.orders.conftest import GIA_LAI_LINES, GIA_LAI_ORDERS

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
VIETNAM = "Asia/Ho_Chi_Minh"
CHINA = "Asia/Shanghai"
UTC = dt.UTC
LIVE_ROOM_ID = "7561422738198907666"


def read_items(name: str, time_zone: str = VIETNAM, **options) -> tuple[object, list]:
    with open_export(EXPORTS / name, time_zone=time_zone, **options) as export:
        return export, list(export.iter_items())


def lines_by_key(items: list) -> dict[tuple[str, str], OrderLine]:
    return {(item.order_id, item.line_id): item for item in items}


def assert_no_errors(items: list) -> None:
    assert [item for item in items if isinstance(item, RowError)] == []


# --- TikTok Shop CSV, exported a month after the live ----------------------------------------


def test_tiktok_csv_is_recognised_with_its_platform_and_size():
    export, items = read_items("tiktok_orders_gialai.csv", default_currency="VND")
    assert (export.format, export.platform) == ("tiktok_orders", "tiktok_shop")
    assert export.estimated_rows == GIA_LAI_LINES
    assert export.encoding == "utf-8-sig"
    assert_no_errors(items)
    assert len(items) == GIA_LAI_LINES
    assert len({item.order_id for item in items}) == GIA_LAI_ORDERS
    assert all(isinstance(item, OrderLine) for item in items)
    assert [item.row_number for item in items] == list(range(2, 123))


def test_tiktok_csv_first_line_in_full():
    _export, items = read_items("tiktok_orders_gialai.csv", default_currency="VND")
    line = items[0]
    assert line.platform == "tiktok_shop"
    assert line.row_number == 2
    assert line.order_id == "576011000000000250"
    assert line.line_id == line.sku_id == "1729000000000016411"
    assert line.seller_sku == "GL-PEP-200"
    assert line.product_name == "Hồ tiêu đen Chư Pưh"
    assert line.variation == "200g"
    assert (line.quantity, line.returned_quantity) == (1, 0)
    assert line.unit_price == Decimal("95000")
    assert line.subtotal_before_discount == Decimal("95000")
    assert (line.platform_discount, line.seller_discount) == (Decimal("2850"), Decimal("9500"))
    assert line.line_value == Decimal("82650")
    assert line.refund_amount is None
    assert (line.raw_status, line.status) == ("Completed", "delivered")
    assert line.created_at == dt.datetime(2025, 5, 20, 12, 1, 4, tzinfo=UTC)
    assert line.paid_at == dt.datetime(2025, 5, 20, 12, 9, 4, tzinfo=UTC)
    assert line.delivered_at == dt.datetime(2025, 5, 24, 16, 14, 4, tzinfo=UTC)
    assert line.cancelled_at is None
    assert line.currency == "VND"
    assert line.buyer_ref == "b*****1"
    assert (line.province, line.city) == ("Gia Lai", "Pleiku")
    assert line.shipping_provider == "J&T Express"
    assert line.order_amount == Decimal("102350")
    assert line.shipping_fee == Decimal("19700")
    assert line.payment_method == "MoMo"


def test_tiktok_csv_cancelled_order_keeps_its_values_and_refunds_each_line():
    _export, items = read_items("tiktok_orders_gialai.csv")
    cancelled = [item for item in items if item.order_id == "576011000000009452"]
    assert [line.row_number for line in cancelled] == [21, 22, 23]
    assert {line.status for line in cancelled} == {"cancelled"}
    assert [line.line_value for line in cancelled] == [
        Decimal("230000"),
        Decimal("120000"),
        Decimal("90000"),
    ]
    assert [line.refund_amount for line in cancelled] == [line.line_value for line in cancelled]
    first = cancelled[0]
    assert first.sku_id == "1729000000000063872"
    assert first.created_at == dt.datetime(2025, 5, 20, 12, 7, 7, tzinfo=UTC)
    assert first.cancelled_at == dt.datetime(2025, 5, 20, 13, 29, 7, tzinfo=UTC)
    assert first.order_amount == Decimal("459700")
    assert first.cancel_reason


def test_tiktok_csv_return_marks_only_the_returned_line():
    _export, items = read_items("tiktok_orders_gialai.csv")
    order = {line.sku_id: line for line in items if line.order_id == "576011000000008685"}
    returned = order["1729000000000008805"]
    assert (returned.status, returned.quantity, returned.returned_quantity) == ("returned", 1, 1)
    assert returned.line_value == returned.refund_amount == Decimal("144000")
    assert order["1729000000000095217"].status == "completed"
    assert order["1729000000000095217"].refund_amount is None
    assert {line.order_amount for line in order.values()} == {Decimal("4877000")}
    statuses = [line.status for line in items]
    assert statuses.count("returned") == 2
    assert len({line.order_id for line in items if line.status == "cancelled"}) == 6


def test_tiktok_cash_on_delivery_order_has_no_paid_time_until_collected():
    _export, early = read_items("tiktok_orders_gialai_early.csv")
    _export, later = read_items("tiktok_orders_gialai.csv")
    before = lines_by_key(early)[("576011000000001285", "1729000000000103770")]
    after = lines_by_key(later)[("576011000000001285", "1729000000000103770")]
    assert before.payment_method == after.payment_method == "Cash on delivery"
    assert (before.status, before.paid_at) == ("paid", None)
    assert before.created_at == after.created_at == dt.datetime(2025, 5, 20, 12, 1, 10, tzinfo=UTC)
    assert after.status == "delivered"
    assert after.paid_at == dt.datetime(2025, 5, 24, 23, 46, 10, tzinfo=UTC)


def test_tiktok_later_export_moves_the_same_lines_on():
    _export, early = read_items("tiktok_orders_gialai_early.csv")
    _export, later = read_items("tiktok_orders_gialai.csv")
    early_lines, later_lines = lines_by_key(early), lines_by_key(later)
    assert early_lines.keys() == later_lines.keys()
    moves = {
        (early_lines[key].status, later_lines[key].status)
        for key in early_lines
        if early_lines[key].status != later_lines[key].status
    }
    assert moves
    assert all(before in ("pending", "paid", "shipped") for before, _after in moves)
    # The return happened after the morning export: it shows only in the later one.
    key = ("576011000000008685", "1729000000000008805")
    assert (early_lines[key].status, early_lines[key].refund_amount) == ("paid", None)
    assert (later_lines[key].status, later_lines[key].refund_amount) == (
        "returned",
        Decimal("144000"),
    )
    assert all(early_lines[k].line_value == later_lines[k].line_value for k in early_lines)


def test_tiktok_order_amount_equals_line_values_plus_shipping():
    _export, items = read_items("tiktok_orders_gialai.csv")
    orders: dict[str, list[OrderLine]] = {}
    for line in items:
        orders.setdefault(line.order_id, []).append(line)
    for lines in orders.values():
        assert lines[0].order_amount == sum(line.line_value for line in lines) + (
            lines[0].shipping_fee
        )


# --- TikTok Shop XLSX -------------------------------------------------------------------------


def test_tiktok_xlsx_skips_the_description_row_under_the_header():
    export, items = read_items("tiktok_orders.xlsx", default_currency="VND")
    assert (export.format, export.kind, export.sheet_name) == (
        "tiktok_orders",
        "xlsx",
        "OrderSKUList",
    )
    assert_no_errors(items)
    assert len(items) == 60
    assert len({item.order_id for item in items}) == 44
    first = items[0]
    assert first.row_number == 3
    assert first.order_id == "576012000000000238"
    assert first.sku_id == "1729000000000063363"
    assert (first.quantity, first.line_value, first.refund_amount) == (
        5,
        Decimal("1035000"),
        Decimal("1035000"),
    )
    assert first.status == "cancelled"
    assert first.created_at == dt.datetime(2025, 5, 20, 12, 1, 17, tzinfo=UTC)
    assert first.cancelled_at == dt.datetime(2025, 5, 21, 16, 10, 17, tzinfo=UTC)
    returned = [line for line in items if line.status == "returned"]
    assert [(line.row_number, line.order_id, line.refund_amount) for line in returned] == [
        (36, "576012000000026643", Decimal("179450"))
    ]


# --- TikTok affiliate -------------------------------------------------------------------------


def test_tiktok_affiliate_export_links_lines_to_the_live_room():
    export, items = read_items("tiktok_affiliate_gialai.csv")
    assert (export.format, export.platform, export.encoding) == (
        "tiktok_affiliate",
        "tiktok_shop",
        "utf-8",
    )
    assert_no_errors(items)
    assert len(items) == 92
    assert all(isinstance(item, AffiliateLink) for item in items)
    assert len({item.order_id for item in items}) == 58
    assert {item.content_type for item in items} == {"live"}
    assert {item.content_id for item in items} == {LIVE_ROOM_ID}
    assert {item.creator_handle for item in items} == {"kol.gialai"}
    first = items[0]
    assert (first.row_number, first.order_id, first.sku_id) == (
        2,
        "576011000000000250",
        "1729000000000016411",
    )
    assert first.product_id == "1731000000000209458"
    assert (first.quantity, first.payment_amount, first.currency) == (1, Decimal("82650"), "VND")
    assert first.created_at == dt.datetime(2025, 5, 20, 12, 1, 4, tzinfo=UTC)


def test_affiliate_links_join_order_lines_of_the_same_live():
    _export, links = read_items("tiktok_affiliate_gialai.csv")
    _export, lines = read_items("tiktok_orders_gialai.csv")
    order_keys = {(line.order_id, line.sku_id) for line in lines}
    assert {(link.order_id, link.sku_id) for link in links} <= order_keys


# --- Douyin -----------------------------------------------------------------------------------


def test_douyin_csv_reads_sub_orders_in_china_time_and_yuan():
    export, items = read_items("douyin_orders_lhasa.csv", time_zone=CHINA)
    assert (export.format, export.platform) == ("douyin_orders", "douyin")
    assert_no_errors(items)
    assert len(items) == 120
    assert len({item.order_id for item in items}) == 84
    assert {item.currency for item in items} == {"CNY"}
    line = lines_by_key(items)[("6920014000000001462", "6920014000000001463")]
    assert line.row_number == 4
    assert (line.product_name, line.variation, line.seller_sku) == (
        "黑青稞饼干",
        "300g/盒",
        "LS-BLK-BAR",
    )
    assert line.product_id == "1731000000000733103"
    assert (line.quantity, line.unit_price, line.line_value) == (
        2,
        Decimal("19.90"),
        Decimal("39.80"),
    )
    assert line.shipping_fee == Decimal("6.16")
    assert line.created_at == dt.datetime(2025, 9, 19, 11, 4, 32, tzinfo=UTC)
    assert line.status == "completed"
    assert (line.content_type, line.creator_id, line.creator_handle) == (
        "live",
        "7592255573464597541",
        "kol.gialai",
    )
    assert line.attribution_pending is False


def test_douyin_closed_orders_are_cancelled_and_refund_success_is_returned():
    _export, items = read_items("douyin_orders_lhasa.csv", time_zone=CHINA)
    closed = [line for line in items if line.order_id == "6920014000000011491"]
    assert [line.line_id for line in closed] == [
        "6920014000000011492",
        "6920014000000011493",
        "6920014000000011494",
        "6920014000000011495",
    ]
    assert {(line.raw_status, line.status) for line in closed} == {("已关闭", "cancelled")}
    assert {line.cancel_reason for line in closed} == {"Better price available"}
    assert closed[2].line_value == Decimal("119.70")
    assert closed[0].content_type == "showcase"
    assert closed[0].creator_handle == ""
    refunded = lines_by_key(items)[("6920014000000071286", "6920014000000071287")]
    assert (refunded.status, refunded.quantity, refunded.returned_quantity) == ("returned", 5, 5)
    assert refunded.line_value == Decimal("1341.00")
    assert refunded.refund_amount is None
    assert refunded.created_at == dt.datetime(2025, 9, 19, 12, 45, 7, tzinfo=UTC)
    assert sum(line.status == "returned" for line in items) == 4
    assert sum(line.status == "cancelled" for line in items) == 14


# --- Shopee -----------------------------------------------------------------------------------


def test_shopee_xlsx_with_decomposed_headers_and_text_numbers():
    export, items = read_items("Order.all.20250520_20250521.xlsx")
    assert (export.format, export.platform, export.sheet_name) == (
        "shopee_orders",
        "shopee",
        "orders",
    )
    assert export.currency == "VND"
    assert_no_errors(items)
    assert len(items) == 120
    assert len({item.order_id for item in items}) == 81
    first = items[0]
    assert (first.order_id, first.row_number) == ("250520003MQMYK", 2)
    assert first.status == "delivered"
    assert first.raw_status.startswith("Người mua xác nhận đã nhận được hàng")
    assert (first.quantity, first.unit_price, first.line_value) == (
        3,
        Decimal("95000.00"),
        Decimal("285000.00"),
    )
    assert first.order_amount == Decimal("307000.00")
    assert first.shipping_fee == Decimal("22000.00")
    assert first.seller_sku == "GL-PEP-200"
    assert first.sku_id == ""
    assert first.created_at == dt.datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
    assert first.currency == "VND"
    assert (first.province, first.city) == ("Cần Thơ", "Ninh Kiều")


def test_shopee_cancelled_and_returned_lines():
    _export, items = read_items("Order.all.20250520_20250521.xlsx")
    cancelled = [line for line in items if line.order_id == "250520135EGRZN"]
    assert [line.row_number for line in cancelled] == [18, 19, 20, 21]
    assert {line.status for line in cancelled} == {"cancelled"}
    assert sum(line.line_value for line in cancelled) == Decimal("402800.00")
    assert len({line.line_id for line in cancelled}) == 4
    returned = [line for line in items if line.status == "returned"]
    assert [(line.row_number, line.order_id) for line in returned] == [
        (44, "250520297TVC6F"),
        (46, "25052030L6HHEU"),
        (65, "25052043HAABBD"),
        (78, "25052052XBFNJM"),
        (96, "25052064Z0SK8L"),
    ]
    assert (returned[1].returned_quantity, returned[1].line_value) == (1, Decimal("126000.00"))
    assert returned[1].refund_amount is None


def test_shopee_line_ids_are_stable_between_reads():
    _export, first = read_items("Order.all.20250520_20250521.xlsx")
    _export, second = read_items("Order.all.20250520_20250521.xlsx")
    assert [line.line_id for line in first] == [line.line_id for line in second]
    assert len({(line.order_id, line.line_id) for line in first}) == 120


# --- Lazada -----------------------------------------------------------------------------------


def test_lazada_xlsx_one_row_per_unit():
    export, items = read_items("lazada_orders.xlsx", default_currency="VND")
    assert (export.format, export.platform) == ("lazada_orders", "lazada")
    assert_no_errors(items)
    assert len(items) == 120
    assert len({item.order_id for item in items}) == 57
    assert {line.quantity for line in items} == {1}
    first = items[0]
    assert (first.order_id, first.line_id) == ("301500000000", "4015000000001")
    assert (first.sku_id, first.seller_sku, first.product_id) == (
        "1729000000000056367",
        "GL-DUR-1KG",
        "1731000000000733103",
    )
    assert (first.unit_price, first.line_value) == (Decimal("450000.00"), Decimal("427500.00"))
    assert first.seller_discount == Decimal("22500.00")
    assert first.created_at == dt.datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
    assert first.status == "delivered"
    assert first.currency == "VND"


def test_lazada_cancelled_and_returned_units():
    _export, items = read_items("lazada_orders.xlsx")
    by_item = {line.line_id: line for line in items}
    cancelled = by_item["4015000000081"]
    assert (cancelled.row_number, cancelled.status, cancelled.raw_status) == (
        12,
        "cancelled",
        "canceled",
    )
    assert cancelled.line_shipping_fee == Decimal("22000.00")
    returned = by_item["4015000000372"]
    assert (returned.status, returned.returned_quantity) == ("returned", 1)
    assert returned.refund_amount == returned.line_value == Decimal("179450.00")
    # The other unit of that order is marked returned but was not refunded.
    other = by_item["4015000000373"]
    assert (other.status, other.returned_quantity, other.refund_amount) == (
        "returned",
        0,
        Decimal("0.00"),
    )
    assert sum(line.status == "cancelled" for line in items) == 14


# --- Privacy ----------------------------------------------------------------------------------


def _raw_personal_values() -> set[str]:
    """Recipient names, phones and addresses as the sample files hold them."""
    values: set[str] = set()
    for name in ("tiktok_orders_gialai.csv", "tiktok_orders_gialai_early.csv"):
        with (EXPORTS / name).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                values |= {row["Recipient"], row["Phone #"], row["Detail Address"]}
    with (EXPORTS / "douyin_orders_lhasa.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            values |= {row["收件人"].strip(), row["收件人手机号"].strip(), row["详细地址"].strip()}
    workbook_columns = {
        "tiktok_orders.xlsx": ("Recipient", "Phone #", "Detail Address"),
        "Order.all.20250520_20250521.xlsx": (
            "Tên Người nhận",
            "Số điện thoại",
            "Địa chỉ nhận hàng",
        ),
        "lazada_orders.xlsx": ("customerName", "shippingName", "shippingAddress", "shippingPhone"),
    }
    for name, columns in workbook_columns.items():
        workbook = openpyxl.load_workbook(EXPORTS / name, read_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell) for cell in next(rows)]
        positions = [header.index(column) for column in columns]
        for row in rows:
            values |= {str(row[p]) for p in positions if row[p]}
        workbook.close()
    return {value for value in values if value and value not in ("None",)}


@pytest.mark.parametrize(
    ("name", "time_zone"),
    [
        ("tiktok_orders_gialai.csv", VIETNAM),
        ("tiktok_orders_gialai_early.csv", VIETNAM),
        ("tiktok_orders.xlsx", VIETNAM),
        ("douyin_orders_lhasa.csv", CHINA),
        ("Order.all.20250520_20250521.xlsx", VIETNAM),
        ("lazada_orders.xlsx", VIETNAM),
    ],
)
def test_no_buyer_name_phone_or_address_reaches_the_output(name, time_zone):
    personal = _raw_personal_values()
    assert "N**********A" in personal and "##密文" in personal and "L******C" in personal
    _export, items = read_items(name, time_zone=time_zone)
    for item in items:
        for field in dataclasses.fields(item):
            value = getattr(item, field.name)
            if isinstance(value, str) and value:
                assert value not in personal, (name, item.row_number, field.name, value)
                assert not any(len(p) > 8 and p in value for p in personal), (name, field.name)
