"""Large files are streamed: memory stays bounded whatever the number of rows.

The 200,000-row file is the size of the benchmark. Memory is a correctness property and is
asserted; speed is only printed (run with ``-s`` to see it), never asserted.
"""

import collections
import time
import tracemalloc

import pytest

from devtools.exportgen import ExportConfig, write_export
from orders.importers import OrderLine, RowError, open_export

ROWS = 200_000
VIETNAM = "Asia/Ho_Chi_Minh"


@pytest.fixture(scope="module")
def big_tiktok_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("streaming") / "tiktok_200k.csv"
    started = time.perf_counter()
    summary = write_export(path, ExportConfig(platform="tiktok", rows=ROWS, seed=1))
    elapsed = time.perf_counter() - started
    size = path.stat().st_size / 1024 / 1024
    print(f"\ngenerated {summary.rows:,} TikTok rows ({size:.0f} MB) in {elapsed:.1f} s")
    return path, summary


def test_parsing_200k_rows_keeps_memory_small(big_tiktok_csv):
    path, summary = big_tiktok_csv
    counts: collections.Counter[str] = collections.Counter()
    tracemalloc.start()
    try:
        with open_export(path, time_zone=VIETNAM, default_currency="VND") as export:
            for item in export.iter_items():
                counts[type(item).__name__] += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"\npeak traced memory while parsing {summary.rows:,} rows: {peak / 1024 / 1024:.1f} MB")
    assert counts == {"OrderLine": summary.rows}
    assert peak < 50 * 1024 * 1024


def test_parsing_200k_rows_speed_is_reported(big_tiktok_csv):
    path, summary = big_tiktok_csv
    started = time.perf_counter()
    with open_export(path, time_zone=VIETNAM, default_currency="VND") as export:
        estimate = export.estimated_rows
        orders = set()
        statuses: collections.Counter[str] = collections.Counter()
        for item in export.iter_items():
            assert not isinstance(item, RowError), item
            orders.add(item.order_id)
            statuses[item.status] += 1
    elapsed = time.perf_counter() - started
    print(
        f"\nparsed {summary.rows:,} TikTok rows in {elapsed:.2f} s "
        f"({summary.rows / elapsed:,.0f} rows/s); statuses {dict(statuses)}"
    )
    assert isinstance(item, OrderLine)
    assert len(orders) == summary.orders
    assert estimate is not None and abs(estimate - summary.rows) < summary.rows * 0.1
