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

# Slow: it writes and parses two files (make test-quick leaves it out).
pytestmark = pytest.mark.slow

# Memory that stays flat is shown by parsing two files, one four times the other: the peak
# must not grow with the rows. Small files prove it as well as big ones, in seconds.
SMALL_ROWS, ROWS = 10_000, 40_000
VIETNAM = "Asia/Ho_Chi_Minh"


def export_of(tmp_path_factory, rows: int):
    path = tmp_path_factory.mktemp("streaming") / f"tiktok_{rows}.csv"
    started = time.perf_counter()
    summary = write_export(path, ExportConfig(platform="tiktok", rows=rows, seed=1))
    elapsed = time.perf_counter() - started
    size = path.stat().st_size / 1024 / 1024
    print(f"\ngenerated {summary.rows:,} TikTok rows ({size:.0f} MB) in {elapsed:.1f} s")
    return path, summary


@pytest.fixture(scope="module")
def big_tiktok_csv(tmp_path_factory):
    return export_of(tmp_path_factory, ROWS)


@pytest.fixture(scope="module")
def small_tiktok_csv(tmp_path_factory):
    return export_of(tmp_path_factory, SMALL_ROWS)


def parsing_peak(path) -> tuple[int, collections.Counter[str]]:
    counts: collections.Counter[str] = collections.Counter()
    tracemalloc.start()
    try:
        with open_export(path, time_zone=VIETNAM, default_currency="VND") as export:
            for item in export.iter_items():
                counts[type(item).__name__] += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, counts


def test_parsing_memory_does_not_grow_with_the_rows(small_tiktok_csv, big_tiktok_csv):
    (small, small_summary), (big, summary) = small_tiktok_csv, big_tiktok_csv
    small_peak, small_counts = parsing_peak(small)
    peak, counts = parsing_peak(big)
    print(
        f"\npeak traced memory: {small_peak / 2**20:.1f} MB for {small_summary.rows:,} rows, "
        f"{peak / 2**20:.1f} MB for {summary.rows:,} rows"
    )
    assert small_counts == {"OrderLine": small_summary.rows}
    assert counts == {"OrderLine": summary.rows}
    # Four times the rows, about the same peak (a memory that grew with the file would be
    # near four times it).
    assert peak < small_peak * 1.5 + 2 * 2**20
    assert peak < 50 * 2**20


def test_parsing_speed_is_reported(big_tiktok_csv):
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
