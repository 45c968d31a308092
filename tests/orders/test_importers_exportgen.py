"""The project's synthetic export generator: layouts, determinism, life of orders, options."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from devtools import exportgen
from devtools.exportgen import ExportConfig, SkuSpec, iter_orders, write_export
from orders.importers import AffiliateLink, OrderLine, RowError, open_export

VIETNAM = "Asia/Ho_Chi_Minh"
UTC = dt.UTC
# The TikTok Shop Vietnam 2025 layout, copied from the format notes, not from the generator.
DOCUMENTED_TIKTOK_HEADER = [
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Payment platform discount", "Taxes", "Order Amount",
    "Order Refund Amount", "Created Time", "Paid Time", "RTS Time", "Shipped Time",
    "Delivered Time", "Cancelled Time", "Cancel By", "Cancel Reason", "Fulfillment Type",
    "Warehouse Name", "Tracking ID", "Delivery Option", "Shipping Provider Name",
    "Buyer Message", "Buyer Username", "Recipient", "Phone #", "Country", "Province",
    "District", "Commune", "Detail Address", "Additional address information",
    "Payment Method", "Weight(kg)", "Product Category", "Package ID", "Seller Note",
    "Checked Status", "Checked Marked by",
]  # fmt: skip
LIVE_START = dt.datetime(2025, 5, 20, 19, 0)
LIVE_END = dt.datetime(2025, 5, 20, 21, 0)


def generate(
    tmp_path, name: str = "orders.csv", **options
) -> tuple[bytes, exportgen.ExportSummary]:
    path = tmp_path / name
    summary = write_export(path, ExportConfig(**options))
    return path.read_bytes(), summary


def parse(data, time_zone: str = VIETNAM) -> list:
    with open_export(data, time_zone=time_zone, default_currency="VND") as export:
        return list(export.iter_items())


def test_tiktok_csv_has_the_documented_54_columns(tmp_path):
    data, summary = generate(tmp_path, platform="tiktok", rows=50)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == DOCUMENTED_TIKTOK_HEADER
    assert len(header) == 54
    assert summary.rows >= 50


def test_tiktok_csv_quirks(tmp_path):
    data, _summary = generate(tmp_path, platform="tiktok", rows=400, seed=2)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert all(row["Order ID"].endswith("\t") and row["SKU ID"].endswith("\t") for row in rows)
    assert all(len(row["Order ID"].strip()) == 18 for row in rows)
    assert all(len(row["SKU ID"].strip()) == 19 for row in rows)
    assert all(row["Created Time"].endswith("\t") for row in rows)
    assert {row["Order Status"] for row in rows} >= {"Completed", "Canceled"}
    cod_unshipped = [
        row
        for row in rows
        if row["Payment Method"] == "Cash on delivery" and row["Delivered Time"] == "\t"
    ]
    assert cod_unshipped and all(row["Paid Time"] == "\t" for row in cod_unshipped)
    assert all("*" in row["Buyer Username"] and "*" in row["Recipient"] for row in rows)
    assert all("*" in row["Phone #"] and set(row["Detail Address"]) == {"*"} for row in rows)
    # Order-level columns repeat on each line of an order.
    amounts: dict[str, set[str]] = {}
    for row in rows:
        amounts.setdefault(row["Order ID"], set()).add(row["Order Amount"])
    assert all(len(values) == 1 for values in amounts.values())
    assert any(row["Cancelation/Return Type"] == "Return/Refund" for row in rows)


def test_generation_is_deterministic_per_seed(tmp_path):
    first, _ = generate(tmp_path, "a.csv", platform="tiktok", rows=300, seed=5)
    second, _ = generate(tmp_path, "b.csv", platform="tiktok", rows=300, seed=5)
    other, _ = generate(tmp_path, "c.csv", platform="tiktok", rows=300, seed=6)
    assert first == second
    assert first != other
    douyin_a, _ = generate(tmp_path, "d1.csv", platform="douyin", rows=100, seed=5)
    douyin_b, _ = generate(tmp_path, "d2.csv", platform="douyin", rows=100, seed=5)
    assert douyin_a == douyin_b


def test_xlsx_generation_is_deterministic_in_its_cells(tmp_path):
    def cells(name: str) -> list:
        write_export(tmp_path / name, ExportConfig(platform="shopee", rows=60, seed=9))
        return list(openpyxl.load_workbook(tmp_path / name, read_only=True).active.values)

    assert cells("a.xlsx") == cells("b.xlsx")


def test_as_of_shows_the_same_orders_later_in_their_life(tmp_path):
    morning = dt.datetime(2025, 5, 21, 8, 0)
    early_data, _ = generate(
        tmp_path, "early.csv", platform="tiktok", rows=500, seed=3, as_of=morning
    )
    late_data, _ = generate(tmp_path, "late.csv", platform="tiktok", rows=500, seed=3)
    early = {(line.order_id, line.line_id): line for line in parse(early_data)}
    late = {(line.order_id, line.line_id): line for line in parse(late_data)}
    assert early.keys() == late.keys()
    assert {line.status for line in early.values()} <= {"pending", "paid", "shipped", "cancelled"}
    assert {line.status for line in late.values()} >= {"completed", "cancelled", "returned"}
    moved = [key for key in early if early[key].status != late[key].status]
    assert len(moved) > len(early) / 2
    assert all(early[key].line_value == late[key].line_value for key in early)
    newly_cancelled = [k for k in moved if late[k].status == "cancelled"]
    assert newly_cancelled
    assert all(early[k].cancelled_at is None for k in newly_cancelled)


def test_orders_created_after_as_of_are_not_exported(tmp_path):
    cut = dt.datetime(2025, 5, 20, 20, 0)
    data, summary = generate(tmp_path, platform="tiktok", rows=300, seed=4, as_of=cut)
    lines = parse(data)
    assert len(lines) == summary.rows < 300
    assert max(line.created_at for line in lines) <= cut.replace(tzinfo=UTC) - dt.timedelta(hours=7)


def test_given_skus_time_range_and_live_room_line_up(tmp_path):
    skus = (
        SkuSpec(
            "COOP-A-COFFEE",
            "Cà phê Chư Sê",
            "500g",
            Decimal("180000"),
            sku_id="1729000000000000001",
        ),
        SkuSpec("COOP-B-PEPPER", "Hồ tiêu", "200g", Decimal("90000"), sku_id="1729000000000000002"),
    )
    options = {
        "rows": 300,
        "seed": 11,
        "start": LIVE_START,
        "end": LIVE_END,
        "skus": skus,
        "live_room_ids": ("7561422738198907666",),
        "creator_handle": "kol.gialai",
    }
    orders_data, _ = generate(tmp_path, "orders.csv", platform="tiktok", **options)
    affiliate_data, _ = generate(tmp_path, "affiliate.csv", platform="tiktok_affiliate", **options)
    lines = parse(orders_data)
    links = parse(affiliate_data)
    assert {line.sku_id for line in lines} == {"1729000000000000001", "1729000000000000002"}
    assert {line.seller_sku for line in lines} <= {"COOP-A-COFFEE", "COOP-B-PEPPER", ""}
    start_utc = LIVE_START.replace(tzinfo=UTC) - dt.timedelta(hours=7)
    end_utc = LIVE_END.replace(tzinfo=UTC) - dt.timedelta(hours=7)
    assert all(start_utc <= line.created_at < end_utc for line in lines)
    assert all(isinstance(link, AffiliateLink) for link in links)
    assert {link.content_id for link in links} == {"7561422738198907666"}
    assert {link.creator_handle for link in links} == {"kol.gialai"}
    assert {(link.order_id, link.sku_id) for link in links} <= {
        (line.order_id, line.sku_id) for line in lines
    }
    assert (
        0.5 < len({link.order_id for link in links}) / len({line.order_id for line in lines}) < 0.9
    )


@pytest.mark.parametrize(
    ("platform", "name", "time_zone"),
    [
        ("tiktok", "orders.csv", VIETNAM),
        ("tiktok", "orders.xlsx", VIETNAM),
        ("douyin", "douyin.csv", "Asia/Shanghai"),
        ("shopee", "Order.all.20250520_20250521.xlsx", VIETNAM),
        ("lazada", "lazada.xlsx", VIETNAM),
    ],
)
def test_every_generated_layout_parses_and_matches_the_synthetic_orders(
    tmp_path, platform, name, time_zone
):
    config = ExportConfig(platform=platform, rows=250, seed=21, live_room_ids=("42",))
    summary = write_export(tmp_path / name, config)
    items = parse(tmp_path / name, time_zone=time_zone)
    assert not [item for item in items if isinstance(item, RowError)]
    assert len(items) == summary.rows
    orders = list(iter_orders(config))
    assert len({item.order_id for item in items}) == summary.orders == len(orders)
    expected = sum(order.items_total for order in orders)
    assert sum(item.line_value for item in items) == pytest.approx(expected, abs=len(items))
    assert {item.order_id for item in items} == {order.order_id for order in orders}


def test_douyin_same_day_export_says_attribution_is_pending(tmp_path):
    options = {"platform": "douyin", "rows": 120, "seed": 6, "live_room_ids": ("1",)}
    same_day, _ = generate(tmp_path, "today.csv", **options, as_of=dt.datetime(2025, 5, 20, 23, 0))
    next_day, _ = generate(
        tmp_path, "tomorrow.csv", **options, as_of=dt.datetime(2025, 5, 22, 9, 0)
    )
    today = parse(same_day, "Asia/Shanghai")
    tomorrow = parse(next_day, "Asia/Shanghai")
    assert all(line.attribution_pending for line in today)
    assert not any(line.attribution_pending for line in tomorrow)
    assert {line.content_type for line in tomorrow} == {"live", "showcase"}
    live = [line for line in tomorrow if line.content_type == "live"]
    assert {line.creator_handle for line in live} == {"kol.gialai"}


def test_lazada_rows_are_units(tmp_path):
    config = ExportConfig(platform="lazada", rows=200, seed=2)
    write_export(tmp_path / "lazada.xlsx", config)
    units = sum(line.quantity for order in iter_orders(config) for line in order.lines)
    items = parse(tmp_path / "lazada.xlsx")
    assert len(items) == units
    assert len({item.line_id for item in items}) == units


def test_command_line_writes_a_file_and_prints_skus(tmp_path, capsys):
    out = tmp_path / "cli.csv"
    code = exportgen.main(
        ["--platform", "tiktok", "--rows", "25", "--seed", "1", "--out", str(out)]
    )
    assert code == 0
    assert len(parse(out)) >= 25
    assert "rows" in capsys.readouterr().err
    assert exportgen.main(["--platform", "tiktok", "--seed", "1", "--print-skus"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed[0]["sku_id"] == exportgen.default_skus("tiktok", 1)[0].sku_id
    lines = parse(out)
    assert {line.sku_id for line in lines} <= {item["sku_id"] for item in printed}


def test_command_line_reads_skus_from_json(tmp_path):
    skus = tmp_path / "skus.json"
    skus.write_text(
        json.dumps([{"seller_sku": "X-1", "name": "Trà", "price": "50000", "sku_id": "99"}]),
        encoding="utf-8",
    )
    out = tmp_path / "cli.csv"
    exportgen.main(["--platform", "tiktok", "--rows", "10", "--skus", str(skus), "--out", str(out)])
    assert {line.sku_id for line in parse(out)} == {"99"}


def test_generator_memory_stays_flat(tmp_path):
    import tracemalloc

    tracemalloc.start()
    try:
        write_export(tmp_path / "big.csv", ExportConfig(platform="tiktok", rows=6_000, seed=1))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Holding 6,000 rows of 54 cells would take tens of MB; streaming needs well under one.
    assert peak < 2 * 1024 * 1024
    assert isinstance(parse(tmp_path / "big.csv")[0], OrderLine)
