"""Cell value parsing: money, ids, counts, dates, text, encodings and status tables."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from orders.importers import statuses
from orders.importers.common import LineIds, TimeReader, content_type_of, derived_line_id
from orders.importers.readers import detect_encoding
from orders.importers.values import (
    clean_text,
    header_key,
    parse_amount,
    parse_count,
    parse_datetime,
    parse_id,
    parse_local_datetime,
    parse_money,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CHINA = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("245000", Decimal("245000")),
        ("245000\t", Decimal("245000")),
        ("'390000.00", Decimal("390000.00")),
        ("1.800.000 ₫", Decimal("1800000")),
        ("₫1,800,000", Decimal("1800000")),
        ("1.800.000đ", Decimal("1800000")),
        ("1 800 000 VND", Decimal("1800000")),
        ("1.800 ₫", Decimal("1800")),
        ("¥12.50", Decimal("12.50")),
        ("￥12.50", Decimal("12.50")),
        ("12.50元", Decimal("12.50")),
        ("12,50", Decimal("12.50")),
        ("BRL 35,91", Decimal("35.91")),
        ("R$ 1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1,800", Decimal("1800")),
        ("0,500", Decimal("0.500")),
        ("1,5", Decimal("1.5")),
        (".5", Decimal("0.5")),
        ("-22500.00", Decimal("-22500.00")),
        ("−5.00", Decimal("-5.00")),
        ("(5.00)", Decimal("-5.00")),
        ("USD 5", Decimal("5")),
        ('="245000"', Decimal("245000")),
    ],
)
def test_money_is_read_in_every_platform_notation(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["", "-", "--", "   ", "\t", None, "N/A"])
def test_empty_money_cells_are_none(text):
    assert parse_money(text) is None


@pytest.mark.parametrize("text", ["abc", "12abc34", "1.2.3,4,5", "NaN", "1e5", "€€", "12 34 kg"])
def test_money_that_is_not_an_amount_is_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="amount"):
        parse_money(text)


def test_money_without_minor_unit_reads_a_single_dot_as_grouping():
    assert parse_money("1.800") == Decimal("1.8")
    assert parse_money("1.800", minor_units=0) == Decimal("1800")


def test_amount_reports_the_currency_it_names():
    assert parse_amount("1.800.000 ₫") == (Decimal("1800000"), "VND")
    assert parse_amount("¥12.50") == (Decimal("12.50"), "CNY")
    assert parse_amount("BRL 35,91") == (Decimal("35.91"), "BRL")
    assert parse_amount("$5") == (Decimal("5"), None)


def test_money_from_spreadsheet_cells():
    assert parse_money(245000) == Decimal("245000")
    assert parse_money(12.5) == Decimal("12.5")
    assert parse_money(Decimal("3.10")) == Decimal("3.10")
    with pytest.raises(ValueError):
        parse_money(float("nan"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("580791676122138419\t", "580791676122138419"),
        ("\t6917926768823643751", "6917926768823643751"),
        ('="6917926768823643751"', "6917926768823643751"),
        ("'576011000000000250", "576011000000000250"),
        ("251009JP4EQ3JK", "251009JP4EQ3JK"),
        ("GL-PEP-200", "GL-PEP-200"),
        ("1729000000000016411.0", "1729000000000016411"),
        (576011000000000250, "576011000000000250"),
        (12345.0, "12345"),
        ("-", ""),
        (None, ""),
    ],
)
def test_ids_are_kept_as_text_without_their_protection(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", ["5.76011E+17", "5,76011E+17".replace(",", "."), 5.76011e17])
def test_ids_that_a_spreadsheet_turned_into_floats_are_refused(raw):
    with pytest.raises(ValueError, match="lost digits"):
        parse_id(raw)


def test_counts():
    assert parse_count("3") == 3
    assert parse_count("2.0") == 2
    assert parse_count("1,000") == 1000
    assert parse_count("") == 0
    assert parse_count(4) == 4
    with pytest.raises(ValueError, match="whole"):
        parse_count("1.5")
    with pytest.raises(ValueError, match="negative"):
        parse_count("-1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # TikTok Vietnam: DD/MM/YYYY HH:MM:SS with the protective tab.
        ("16/10/2025 14:43:35\t", dt.datetime(2025, 10, 16, 14, 43, 35)),
        # TikTok US: MM/DD/YYYY h:mm:ss AM/PM.
        ("10/16/2025 2:43:35 PM", dt.datetime(2025, 10, 16, 14, 43, 35)),
        ("10/16/2025 12:05:00 AM", dt.datetime(2025, 10, 16, 0, 5, 0)),
        ("3/4/2025 12:05:00 PM", dt.datetime(2025, 3, 4, 12, 5, 0)),
        # Douyin and Shopee.
        ("2025-09-19 19:03:22", dt.datetime(2025, 9, 19, 19, 3, 22)),
        ("2025-05-20 19:00", dt.datetime(2025, 5, 20, 19, 0)),
        # Lazada.
        ("04 Jul 2022 11:46", dt.datetime(2022, 7, 4, 11, 46)),
        ("20 May 2025 19:00", dt.datetime(2025, 5, 20, 19, 0)),
        # Others seen in saved mappings.
        ("2025-05-20T19:00:01", dt.datetime(2025, 5, 20, 19, 0, 1)),
        ("20/05/2025", dt.datetime(2025, 5, 20)),
        ("20.05.2025 07:30", dt.datetime(2025, 5, 20, 7, 30)),
        ("05/20/2025 19:01:04", dt.datetime(2025, 5, 20, 19, 1, 4)),
        # Spreadsheet cells.
        (dt.datetime(2025, 5, 20, 19, 0), dt.datetime(2025, 5, 20, 19, 0)),
        (dt.date(2025, 5, 20), dt.datetime(2025, 5, 20)),
        (45797.5, dt.datetime(2025, 5, 20, 12, 0)),
    ],
)
def test_local_times_in_every_platform_format(raw, expected):
    assert parse_local_datetime(raw) == expected


@pytest.mark.parametrize("raw", ["", "\t", "-", "--", None])
def test_empty_times_are_none(raw):
    assert parse_local_datetime(raw) is None


@pytest.mark.parametrize("raw", ["31/02/2025 10:00:00", "yesterday", "2025-13-01 10:00", "25:00"])
def test_impossible_times_are_refused(raw):
    with pytest.raises(ValueError):
        parse_local_datetime(raw)


def test_month_first_reads_ambiguous_dates_the_us_way():
    assert parse_local_datetime("04/05/2025 10:00:00") == dt.datetime(2025, 5, 4, 10)
    assert parse_local_datetime("04/05/2025 10:00:00", month_first=True) == dt.datetime(
        2025, 4, 5, 10
    )


def test_naive_times_are_read_in_the_channel_zone_and_returned_in_utc():
    moment = parse_datetime("20/05/2025 19:01:04\t", VIETNAM)
    assert moment == dt.datetime(2025, 5, 20, 12, 1, 4, tzinfo=UTC)
    assert moment.utcoffset() == dt.timedelta(0)
    assert parse_datetime("2025-09-19 19:03:22", CHINA) == dt.datetime(
        2025, 9, 19, 11, 3, 22, tzinfo=UTC
    )
    assert parse_datetime("2025-05-20T19:00:00+02:00", VIETNAM) == dt.datetime(
        2025, 5, 20, 17, tzinfo=UTC
    )


def test_time_reader_follows_daylight_saving_time():
    reader = TimeReader(ZoneInfo("America/New_York"))
    assert reader["01/15/2025 10:00:00 AM"] == dt.datetime(2025, 1, 15, 15, tzinfo=UTC)
    assert reader["07/15/2025 10:00:00 AM"] == dt.datetime(2025, 7, 15, 14, tzinfo=UTC)


def test_time_reader_matches_zoneinfo_in_a_fixed_offset_zone():
    reader = TimeReader(VIETNAM)
    for text in ("01/01/2025 00:00:00", "31/12/2025 23:59:59", "29/02/2024 12:00:00"):
        assert reader[text] == parse_datetime(text, VIETNAM)


def test_text_is_trimmed_and_nfc_normalised():
    decomposed = "Gia Lai: Ca\u0300 phê"
    assert clean_text(decomposed) == "Gia Lai: Cà phê"
    assert clean_text("\t 牦牛肉干 ") == "牦牛肉干"
    assert clean_text("-") == ""
    assert clean_text(None) == ""
    with pytest.raises(ValueError, match="longer"):
        clean_text("x" * 40_000)


def test_header_keys_ignore_case_spacing_bom_and_decomposition():
    assert header_key("\ufeffOrder  ID ") == header_key("order id")
    assert header_key("Ngày gửi hàng") == header_key("Nga\u0300y gư\u0309i ha\u0300ng")


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("\ufeffOrder ID,Tên".encode(), "utf-8-sig"),
        ("Order ID,Tên".encode(), "utf-8"),
        ("主订单编号,子订单编号,选购商品".encode("gbk"), "gb18030"),
        ("Order ID".encode("utf-16"), "utf-16"),
        # A multi-byte character cut at the end of the sample is still UTF-8.
        ("Tên".encode()[:-1], "utf-8"),
    ],
)
def test_encoding_detection(sample, expected):
    assert detect_encoding(sample) == expected


@pytest.mark.parametrize(
    ("table", "raw", "expected"),
    [
        (statuses.TIKTOK_STATUSES, "Canceled", "cancelled"),
        (statuses.TIKTOK_STATUSES, "To ship", "paid"),
        (statuses.TIKTOK_STATUSES, "Đã vận chuyển", "shipped"),
        (statuses.TIKTOK_STATUSES, "Đã hủy", "cancelled"),
        (statuses.TIKTOK_STATUSES, "Đã huỷ", "cancelled"),
        (statuses.TIKTOK_STATUSES, "Đã giao", "delivered"),
        (statuses.TIKTOK_STATUSES, "Chưa thanh toán", "pending"),
        (statuses.DOUYIN_STATUSES, "已关闭", "cancelled"),
        (statuses.DOUYIN_STATUSES, "待发货", "paid"),
        (statuses.DOUYIN_STATUSES, "已完成", "completed"),
        (statuses.LAZADA_STATUSES, "canceled", "cancelled"),
        (statuses.LAZADA_STATUSES, "ready_to_ship", "paid"),
        (statuses.LAZADA_STATUSES, "returned", "returned"),
        (statuses.LAZADA_STATUSES, "failed", "cancelled"),
        (statuses.GENERIC_STATUSES, "Refunded", "returned"),
    ],
)
def test_status_tables(table, raw, expected):
    assert statuses.lookup(table, raw) == expected


def test_status_tables_are_found_whatever_the_unicode_form():
    assert statuses.lookup(statuses.TIKTOK_STATUSES, "Đa\u0303 hu\u0309y") == "cancelled"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Chờ xác nhận", "pending"),
        ("Chờ lấy hàng", "paid"),
        ("Đang giao", "shipped"),
        ("Hoàn thành", "completed"),
        ("Đã hủy", "cancelled"),
        ("Completed", "completed"),
        ("Cancelled", "cancelled"),
        (
            "Người mua xác nhận đã nhận được hàng, tuy nhiên Người mua vẫn có thể gửi yêu cầu "
            "Trả hàng/Hoàn tiền tới ngày 2025-10-25.",
            "delivered",
        ),
        ("Something new", None),
    ],
)
def test_shopee_statuses_including_the_delivered_sentence(raw, expected):
    assert statuses.shopee_status(raw) == expected


def test_content_types():
    assert content_type_of("Livestream") == "live"
    assert content_type_of("Phát trực tiếp") == "live"
    assert content_type_of("LIVE") == "live"
    assert content_type_of("直播") == "live"
    assert content_type_of("Video") == "video"
    assert content_type_of("Showcase") == "showcase"
    assert content_type_of("商品卡") == "showcase"
    assert content_type_of("") == ""
    assert content_type_of("Email") == "other"


def test_line_ids_repeat_inside_an_order_get_a_suffix_in_file_order():
    ids = LineIds()
    assert [ids("A", "sku1"), ids("A", "sku1"), ids("A", "sku2"), ids("A", "sku1")] == [
        "sku1",
        "sku1#2",
        "sku2",
        "sku1#3",
    ]
    assert ids("B", "sku1") == "sku1"


def test_derived_line_ids_are_stable_and_ignore_unicode_form():
    first = derived_line_id("Cà phê", "500g")
    assert first == derived_line_id("Ca\u0300 phê", "500g")
    assert first != derived_line_id("Cà phê", "250g")
    assert len(first) == 21
