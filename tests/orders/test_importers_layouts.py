"""Layout detection by header names, per-row errors, and the variations real files show."""

import csv
import datetime as dt
import io
import unicodedata
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from devtools.exportgen import ExportConfig, write_export
from orders.importers import ImportRefused, OrderLine, RowError, open_export
from tests.orders.conftest import GIA_LAI_LINES

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
VIETNAM = "Asia/Ho_Chi_Minh"
UTC = dt.UTC


def sample_rows(name: str, encoding: str = "utf-8-sig") -> list[list[str]]:
    with (EXPORTS / name).open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n", delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def items_of(data, **options) -> list:
    options.setdefault("time_zone", VIETNAM)
    with open_export(data, **options) as export:
        return list(export.iter_items())


def test_headers_match_in_nfd_as_in_nfc():
    rows = sample_rows("tiktok_affiliate_gialai.csv", encoding="utf-8")
    decomposed = [[unicodedata.normalize("NFD", cell) for cell in rows[0]], *rows[1:]]
    assert decomposed[0] != rows[0]
    nfc_items = items_of(csv_bytes(rows, encoding="utf-8"))
    nfd_items = items_of(csv_bytes(decomposed, encoding="utf-8"))
    assert nfd_items == nfc_items
    assert len(nfd_items) == 92


def test_decomposed_text_in_cells_comes_out_composed():
    rows = sample_rows("tiktok_orders_gialai.csv")
    rows[1][7] = unicodedata.normalize("NFD", rows[1][7])
    line = items_of(csv_bytes(rows))[0]
    assert line.product_name == "Hồ tiêu đen Chư Pưh"
    assert unicodedata.is_normalized("NFC", line.product_name)


def test_headers_match_whatever_their_case_spacing_and_order(tmp_path):
    rows = sample_rows("tiktok_orders_gialai.csv")
    order = list(reversed(range(len(rows[0]))))
    shuffled = [[row[i] for i in order] for row in rows]
    shuffled[0] = [f"  {name.upper()} " for name in shuffled[0]]
    assert items_of(csv_bytes(shuffled)) == items_of(csv_bytes(rows))


def test_shopee_file_with_two_headers_differing_only_in_case(tmp_path):
    path = tmp_path / "Order.all.20250520_20250521.xlsx"
    write_export(
        path, ExportConfig(platform="shopee", rows=40, seed=3, shopee_line_total_column=True)
    )
    header = list(next(openpyxl.load_workbook(path, read_only=True).active.values))
    lowered = [unicodedata.normalize("NFC", h).casefold() for h in header]
    assert lowered.count("tổng số tiền người mua thanh toán") == 2
    with open_export(path, time_zone=VIETNAM) as export:
        assert export.columns["buyer_paid"] == "Tổng số tiền người mua thanh toán"
        assert export.columns["line_buyer_paid"] == "Tổng số tiền Người mua thanh toán"
        lines = list(export.iter_items())
    assert all(isinstance(line, OrderLine) for line in lines)
    orders: dict[str, list[OrderLine]] = {}
    for line in lines:
        orders.setdefault(line.order_id, []).append(line)
    # The order total, not the per-line total, is the order amount of every line.
    for order_lines in orders.values():
        total = sum(line.line_value for line in order_lines) + order_lines[0].shipping_fee
        assert {line.order_amount for line in order_lines} == {total}


def test_description_row_under_the_tiktok_xlsx_header_is_skipped(tmp_path):
    path = tmp_path / "orders.xlsx"
    summary = write_export(path, ExportConfig(platform="tiktok", rows=30, seed=5))
    rows = list(openpyxl.load_workbook(path, read_only=True).active.values)
    assert rows[1][0] == "Mã đơn hàng duy nhất của nền tảng."
    items = items_of(path)
    assert len(items) == summary.rows == len(rows) - 2
    assert all(isinstance(item, OrderLine) for item in items)
    assert items[0].row_number == 3


def test_header_below_banner_rows_is_found():
    rows = sample_rows("tiktok_orders_gialai.csv")
    with_banner = [["Order export"], ["Generated 2025-06-19"], [], *rows]
    with open_export(csv_bytes(with_banner), time_zone=VIETNAM) as export:
        assert export.header_row == 4
        items = list(export.iter_items())
    assert len(items) == GIA_LAI_LINES
    assert items[0].row_number == 5


def test_semicolon_separated_file_is_read():
    rows = sample_rows("tiktok_orders_gialai.csv")
    assert items_of(csv_bytes(rows, delimiter=";")) == items_of(csv_bytes(rows))


def test_douyin_export_in_gbk_is_read(tmp_path):
    path = tmp_path / "douyin.csv"
    config = ExportConfig(platform="douyin", rows=50, seed=4, live_room_ids=("1",), encoding="gbk")
    write_export(path, config)
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open_export(path, time_zone="Asia/Shanghai") as export:
        assert export.encoding == "gb18030"
        items = list(export.iter_items())
    assert len(items) >= 50
    assert all(isinstance(item, OrderLine) for item in items)
    assert {item.province for item in items} <= {
        "西藏自治区",
        "四川省",
        "广东省",
        "北京市",
        "浙江省",
    }


def test_tiktok_2026_layout_with_creator_handle_and_vietnamese_statuses(tmp_path):
    path = tmp_path / "orders.csv"
    config = ExportConfig(
        platform="tiktok",
        rows=200,
        seed=8,
        tiktok_layout="2026",
        language="vi",
        live_room_ids=("7561422738198907666",),
        creator_handle="kol.gialai",
    )
    write_export(path, config)
    with open_export(path, time_zone=VIETNAM) as export:
        assert "Taxes" not in export.header
        items = list(export.iter_items())
    assert all(isinstance(item, OrderLine) for item in items)
    live = [item for item in items if item.content_type == "live"]
    assert live and {item.creator_handle for item in live} == {"kol.gialai"}
    assert {item.creator_handle for item in items if item.content_type != "live"} == {""}
    assert {item.status for item in items} >= {"completed", "cancelled"}
    assert "Đã hủy" in {item.raw_status for item in items}


@pytest.mark.parametrize(
    ("name", "expected_platform", "detected"),
    [
        ("Order.all.20250520_20250521.xlsx", "tiktok_shop", "Shopee orders"),
        ("tiktok_orders_gialai.csv", "lazada", "TikTok Shop orders"),
        ("douyin_orders_lhasa.csv", "shopee", "Douyin orders"),
    ],
)
def test_an_export_of_another_platform_is_refused(name, expected_platform, detected):
    with pytest.raises(ImportRefused) as refusal:
        open_export(EXPORTS / name, time_zone=VIETNAM, expected_platform=expected_platform)
    assert detected in refusal.value.reason
    assert refusal.value.missing_columns


def test_expected_platform_accepts_both_tiktok_exports():
    for name in ("tiktok_orders_gialai.csv", "tiktok_affiliate_gialai.csv"):
        with open_export(EXPORTS / name, time_zone=VIETNAM, expected_platform="tiktok_shop"):
            pass


def test_a_file_lacking_required_columns_is_refused_naming_them():
    rows = sample_rows("tiktok_orders_gialai.csv")
    dropped = {rows[0].index("SKU ID"), rows[0].index("Created Time")}
    trimmed = [[cell for i, cell in enumerate(row) if i not in dropped] for row in rows]
    with pytest.raises(ImportRefused) as refusal:
        open_export(csv_bytes(trimmed), time_zone=VIETNAM)
    assert refusal.value.missing_columns == ["SKU ID", "Created Time"]
    assert "TikTok Shop orders" in refusal.value.reason
    assert "SKU ID, Created Time" in refusal.value.reason


def test_an_unknown_layout_is_refused_at_once():
    data = csv_bytes([["Name", "Email", "Amount"], ["A", "a@example.com", "1"]])
    with pytest.raises(ImportRefused) as refusal:
        open_export(data, time_zone=VIETNAM)
    assert "known export" in refusal.value.reason
    assert refusal.value.missing_columns


def test_a_bad_value_gives_a_row_error_and_an_unknown_status_keeps_the_line():
    rows = sample_rows("tiktok_orders_gialai.csv")
    header = rows[0]
    rows[3][header.index("Quantity")] = "two"
    rows[5][header.index("Created Time")] = "31/02/2025 10:00:00\t"
    rows[7][header.index("Order Status")] = "Teleported"
    rows[9][header.index("Order ID")] = "5.76011E+17"
    rows[11][header.index("SKU Subtotal After Discount")] = "12abc"
    items = items_of(csv_bytes(rows))
    errors = [item for item in items if isinstance(item, RowError)]
    assert errors == [
        RowError(4, "Quantity", "two", "not an amount"),
        RowError(6, "Created Time", "31/02/2025 10:00:00", "not a recognised date and time"),
        RowError(
            10,
            "Order ID",
            "5.76011E+17",
            "the identifier was turned into a number by a spreadsheet and lost digits; "
            "upload the file as exported, without saving it from a spreadsheet",
        ),
        RowError(12, "SKU Subtotal After Discount", "12abc", "not an amount"),
    ]
    lines = [item for item in items if isinstance(item, OrderLine)]
    # An unknown status is no row error: the line is kept, flagged, for staff to map.
    assert len(lines) == 117
    assert [(line.status, line.raw_status) for line in lines if line.row_number == 8] == [
        ("unknown", "Teleported")
    ]
    assert [item.row_number for item in items] == list(range(2, 123))


def test_an_empty_required_value_is_a_row_error():
    rows = sample_rows("tiktok_orders_gialai.csv")
    rows[1][0] = "\t"
    rows[2][rows[0].index("Created Time")] = "\t"
    errors = [item for item in items_of(csv_bytes(rows)) if isinstance(item, RowError)]
    assert errors == [
        RowError(2, "Order ID", "", "the order ID is empty"),
        RowError(3, "Created Time", "", "the time is empty"),
    ]


def test_undecodable_bytes_give_a_row_error_for_their_row_only():
    data = bytearray(csv_bytes(sample_rows("tiktok_orders_gialai.csv")))
    position = data.index("Phô mai".encode())
    data[position + 2 : position + 4] = b"\xff\xfe"
    items = items_of(bytes(data))
    errors = [item for item in items if isinstance(item, RowError)]
    assert len(errors) == 1
    assert (errors[0].row_number, errors[0].column) == (3, "Product Name")
    assert "not valid" in errors[0].reason
    assert len(items) == GIA_LAI_LINES


def test_blank_rows_are_skipped_but_counted():
    rows = sample_rows("tiktok_orders_gialai.csv")
    rows.insert(2, [])
    rows.insert(3, [""] * len(rows[0]))
    items = items_of(csv_bytes(rows))
    assert len(items) == GIA_LAI_LINES
    assert [item.row_number for item in items[:2]] == [2, 5]


def test_start_row_resumes_after_a_checkpoint():
    with open_export(EXPORTS / "tiktok_orders_gialai.csv", time_zone=VIETNAM) as export:
        everything = list(export.iter_items())
        resumed = list(export.iter_items(start_row=100))
    assert resumed == [item for item in everything if item.row_number >= 100]


def test_reader_accepts_paths_bytes_and_streams_that_cannot_seek():
    path = EXPORTS / "tiktok_orders_gialai.csv"

    class Stream(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    expected = items_of(path)
    assert items_of(str(path)) == expected
    assert items_of(path.read_bytes()) == expected
    with path.open("rb") as handle:
        assert items_of(handle) == expected
        assert not handle.closed
    assert items_of(Stream(path.read_bytes())) == expected


def test_generic_csv_with_a_saved_column_mapping():
    rows = [
        ["Mã ĐH", "Ngày", "Sản phẩm", "SL", "Thành tiền", "Tình trạng", "Tỉnh"],
        ["A-1", "20/05/2025 19:05", "Cà phê", "2", "1.800.000 ₫", "Đã giao", "Gia Lai"],
        ["A-1", "20/05/2025 19:05", "Tiêu", "1", "95.000 ₫", "Đã giao", "Gia Lai"],
        ["A-2", "20/05/2025 19:10", "Cà phê", "1", "900.000 ₫", "Refunded", "Hà Nội"],
        ["A-3", "20/05/2025 19:11", "Cà phê", "x", "900.000 ₫", "Paid", "Hà Nội"],
    ]
    mapping = {
        "order_id": "Mã ĐH",
        "created_at": "Ngày",
        "product_name": "Sản phẩm",
        "quantity": "SL",
        "line_value": "Thành tiền",
        "status": "Tình trạng",
        "province": "Tỉnh",
    }
    with open_export(
        csv_bytes(rows, encoding="utf-8"), time_zone=VIETNAM, column_mapping=mapping
    ) as export:
        assert (export.format, export.platform) == ("generic", "other")
        items = list(export.iter_items())
    first, second, refunded, error = items
    assert (first.platform, first.order_id, first.quantity) == ("other", "A-1", 2)
    assert first.line_value == Decimal("1800000")
    assert first.unit_price == Decimal("900000")
    assert first.currency == "VND"
    assert first.status == "delivered"
    assert first.created_at == dt.datetime(2025, 5, 20, 12, 5, tzinfo=UTC)
    assert first.line_id != second.line_id
    assert (refunded.status, refunded.returned_quantity) == ("returned", 1)
    assert error == RowError(5, "SL", "x", "not an amount")


def test_generic_mapping_must_name_the_essentials_and_existing_columns():
    rows = [["Order", "Date", "Total"], ["1", "2025-05-20 19:00", "10"]]
    with pytest.raises(ImportRefused) as refusal:
        open_export(csv_bytes(rows), time_zone=VIETNAM, column_mapping={"order_id": "Order"})
    assert refusal.value.missing_columns == ["created_at", "line_value or unit_price"]
    with pytest.raises(ImportRefused) as refusal:
        open_export(
            csv_bytes(rows),
            time_zone=VIETNAM,
            column_mapping={"order_id": "Order", "created_at": "Datum", "line_value": "Total"},
        )
    assert refusal.value.missing_columns == ["Datum"]
    with pytest.raises(ImportRefused, match="unknown fields: buyer_phone"):
        open_export(csv_bytes(rows), time_zone=VIETNAM, column_mapping={"buyer_phone": "Phone"})
