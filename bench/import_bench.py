"""Import speed against a bare PostgreSQL COPY of the same file, measured side by side.

    python bench/import_bench.py --rows 200000

Generates a TikTok Shop export in the real layout (devtools.exportgen), times
  1. COPY of the file into an unindexed table of text columns (the floor: no parsing at all;
     the median of three runs),
  2. the full import (parse, store, match, attribute, roll up) by running Celery workers, one
     then two (bench/scaleout.py: from the batch's commit to its roll-up written, each worker's
     peak memory), each a first import into a channel of its own,
  3. the same import by `manage.py import_orders` in a child process (Django's start-up
     included), and a forced re-import of the same file by it (every row compared, nothing
     to write),
  4. the peer figure: django-import-export in bulk mode on a 20,000-line cut (bench/peer.py),
     beside ours on the same cut,
  5. the floors: parts every import pays, measured without the import's own code,
and prints the times, the ratios to COPY and the peak RSS. Needs PostgreSQL: DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/commerce_bench; the database is created if
missing); the workers use Redis when REDIS_URL is set, else the embedded filesystem broker.
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.db import connection, transaction

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/commerce_bench"
COPY_RUNS = 3
# Runs manage.py in the child and reports the child's own peak RSS (VmHWM) at exit. The
# parent's getrusage(RUSAGE_CHILDREN) would also count the pages a forked child shares with
# the parent before it execs, i.e. the benchmark's own memory.
PEAK_REPORTER = (
    "import atexit, runpy, sys\n"
    "def report():\n"
    "    status = open('/proc/self/status').read()\n"
    "    print('PEAK_RSS_KIB', status.split('VmHWM:')[1].split()[0], file=sys.stderr)\n"
    "atexit.register(report)\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument(
        "--range-lines", type=int, default=50_000, help="IMPORT_RANGE_LINES of the workers"
    )
    parser.add_argument("--peer-lines", type=int, default=20_000)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark compares against PostgreSQL COPY: set DATABASE_URL to PostgreSQL.")
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce_base.settings.base")
    os.environ.setdefault("COMMERCE_BASE_VAR_DIR", str(PROJECT_DIR / "var" / "bench"))

    import django

    django.setup()
    from django.core.management import call_command

    from catalog.models import Channel, Currency, Platform, PlatformListing, Product, Zone
    from cooperatives.models import Cooperative
    from devtools.exportgen import ExportConfig, default_skus, write_export
    from livestreams.models import Room, Session
    from orders.models import ImportBatch, Order

    call_command("migrate", verbosity=0)
    config = ExportConfig(platform="tiktok", rows=args.rows, seed=args.seed)
    cooperative, _ = Cooperative.objects.get_or_create(
        slug="bench-cooperative",
        defaults={"name": "Benchmark cooperative", "province": "Gia Lai", "contact_name": "Bench",
                  "email": "bench@example.org", "status": Cooperative.Status.APPROVED},
    )  # fmt: skip
    zone, _ = Zone.objects.get_or_create(
        code="BENCH", defaults={"floor": 2, "name": "Bench studio", "kind": Zone.Kind.LIVE_ROOM}
    )

    def fresh_channel(slug: str) -> Channel:
        """A clean channel, so that its import really creates everything, with live sessions
        every evening across the export's period (attribution has work to do)."""
        old = Channel.objects.filter(slug=slug).first()
        if old is not None:
            # Deleted in SQL: Django's cascade would load every order and line into memory.
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM orders_orderline WHERE order_id IN "
                    "(SELECT id FROM orders_order WHERE channel_id = %s)",
                    [old.pk],
                )
            Order.objects.filter(channel=old)._raw_delete(connection.alias)
            ImportBatch.objects.filter(channel=old).delete()
            Session.objects.filter(channel=old).delete()
            PlatformListing.objects.filter(channel=old).update(channel=None)
            old.delete()
        channel = Channel.objects.create(
            platform=Platform.TIKTOK_SHOP, name=f"Benchmark {slug}", slug=slug,
            currency=Currency.VND, time_zone="Asia/Ho_Chi_Minh",
        )  # fmt: skip
        # A studio per channel: a room holds one session at a time.
        room, _ = Room.objects.get_or_create(
            slug=f"{slug}-studio", defaults={"zone": zone, "name": f"Bench {slug}"}
        )
        day = config.start.date()
        while day <= config.end.date():
            start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=ZoneInfo(channel.time_zone))
            Session.objects.create(
                title=f"Evening live {day}", room=room, channel=channel, scheduled_start=start,
                scheduled_end=start + dt.timedelta(hours=2), status=Session.Status.ENDED,
            )  # fmt: skip
            day += dt.timedelta(days=1)
        return channel

    # Listings are the platform's (one per SKU id), shared by the channels below.
    for sku in default_skus("tiktok", args.seed):
        product, _ = Product.objects.get_or_create(
            slug=f"bench-{sku.sku_id}",
            defaults={"cooperative": cooperative, "name": sku.name, "price": sku.price,
                      "currency": Currency.VND, "status": Product.Status.APPROVED},
        )  # fmt: skip
        PlatformListing.objects.update_or_create(
            platform=Platform.TIKTOK_SHOP, sku_id=sku.sku_id,
            defaults={"product": product, "seller_sku": ""},
        )  # fmt: skip
    slug = "bench-tiktok"
    channel = fresh_channel(slug)
    # Every channel of the run made (and the previous run's orders deleted) before anything is
    # timed, then the tables vacuumed: a run must not pay for the dead rows of the last one.
    worker_channels = {workers: fresh_channel(f"bench-tiktok-{workers}w") for workers in (1, 2)}
    cut_channel = fresh_channel("bench-tiktok-cut")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE orders_order, orders_orderline")

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    export = workdir / "tiktok_orders.csv"
    started = time.perf_counter()
    summary = write_export(export, config)
    print(f"generated {summary.rows:,} rows ({export.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

    with export.open("rb") as handle:
        header = handle.readline().decode("utf-8-sig").rstrip("\n").split(",")
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    # COPY's time varies from run to run on a shared machine: the median of three is the floor.
    copy_runs = []
    for _ in range(COPY_RUNS):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy")
            cursor.execute(f"CREATE UNLOGGED TABLE bench_copy ({columns})")
        with connection.cursor() as cursor, export.open("rb") as handle:
            started = time.perf_counter()
            cursor.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
            copy_runs.append(time.perf_counter() - started)
            cursor.execute("SELECT count(*) FROM bench_copy")
            copied = cursor.fetchone()[0]
            cursor.execute("DROP TABLE bench_copy")
    copy_seconds = statistics.median(copy_runs)

    def run_import(*extra: str, environment: dict[str, str]) -> tuple[float, float, str]:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", PEAK_REPORTER, "manage.py", "import_orders", str(export),
             "--channel", slug, *extra],
            # As a production worker runs: without DEBUG's query log.
            cwd=PROJECT_DIR, capture_output=True, text=True,
            env={**os.environ, "DEBUG": "false", **environment},
        )  # fmt: skip
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(result.stdout + result.stderr)
        peak_kib = int(result.stderr.rsplit("PEAK_RSS_KIB ", 1)[1].split()[0])
        return seconds, peak_kib / 1024, result.stdout

    # One batch in one process, as before the scale-out (ranges off: the file is one range).
    single_path = {"IMPORT_RANGE_LINES": str(10**9)}
    import_seconds, import_peak, output = run_import(environment=single_path)
    reimport_seconds, _reimport_peak, _output = run_import("--force", environment=single_path)
    floors = measure_floors(export, channel)
    connection.close()

    from bench.peer import time_django_import_export
    from bench.scaleout import time_import_with_workers

    # Running workers, as production runs imports: one, then two sharing the file by ranges.
    by_workers = {}
    for workers in (1, 2):
        by_workers[workers] = time_import_with_workers(
            export, worker_channels[workers].slug, workers, args.range_lines
        )
    peer = time_django_import_export(export, lines=args.peer_lines)
    ours = import_cut_in_process(export, cut_channel, args.peer_lines)

    print(output.strip())
    print(f"COPY into an unindexed text table: {copied:,} rows in {copy_seconds:.2f} s "
          f"(median of {', '.join(f'{run:.2f}' for run in copy_runs)} s)")  # fmt: skip
    print("full import (parse, store, match, attribute, roll up), target <= 8.0 x COPY:")
    for workers, result in by_workers.items():
        peaks = ", ".join(f"{mb:.0f}" for mb in result["peak_rss_mb"].values())
        print(f"  {workers} worker(s), {result['ranges']} ranges of <= {args.range_lines:,} "
              f"lines: {result['seconds']:.2f} s ({result['seconds'] / copy_seconds:.2f} x COPY; "
              f"batch done at {result['import_seconds']:.2f} s, then its roll-up); "
              f"peak RSS per worker {peaks} MB")  # fmt: skip
    print(f"  manage.py import_orders, one process, Django's start-up included: "
          f"{import_seconds:.2f} s ({import_seconds / copy_seconds:.2f} x COPY), "
          f"peak RSS {import_peak:.0f} MB (target <= 256)")  # fmt: skip
    ratio = reimport_seconds / import_seconds
    print(f"forced re-import of the same file by the command: {reimport_seconds:.2f} s "
          f"({ratio:.2f} x the first import; target <= 1.0)")  # fmt: skip
    best = min(result["seconds"] for result in by_workers.values())
    print(f"rows per second: import {summary.rows / best:,.0f} (best of the worker runs), "
          f"COPY {summary.rows / copy_seconds:,.0f}")  # fmt: skip
    print(
        f"peer, the first {peer['lines']:,} lines: django-import-export {peer['version']} "
          f"(bulk mode) {peer['rows_per_second']:,.0f} rows/s ({peer['seconds']:.2f} s); "
          f"ours in process on the same lines {ours['lines'] / ours['seconds']:,.0f} rows/s "
          f"({ours['seconds']:.2f} s, {peer['seconds'] / ours['seconds']:.1f} x as fast)"
    )  # fmt: skip
    print("floors, each a part of any import, measured on the same file and rows:")
    for label, seconds in floors:
        print(f"  {label}: {seconds:.2f} s ({seconds / copy_seconds:.2f} x COPY)")
    if not args.keep:
        export.unlink()
        workdir.rmdir()


def import_cut_in_process(export: Path, channel, lines: int) -> dict:
    """Our import of the first ``lines`` lines in this process, as the peer's is timed: from
    the stored batch to its roll-up written (one process, no worker)."""
    from django.core.files.base import ContentFile

    from orders.services import create_import_batch, recompute_session_sales, run_import_batch

    with export.open("rb") as handle:
        cut = b"".join(handle.readline() for _ in range(lines + 1))
    batch = create_import_batch(channel=channel, upload=ContentFile(cut, name="cut.csv"))
    started = time.perf_counter()
    recompute_session_sales(session_ids=run_import_batch(batch_id=batch.pk))
    return {"lines": lines, "seconds": time.perf_counter() - started}


def measure_floors(export: Path, channel) -> list[tuple[str, float]]:
    """Times of the parts every import has to do, none of them the import's own code path:
    reading the CSV with Python's csv module (C), the project's parser alone (no database),
    storing the imported rows again into copies of the order tables (INSERT ... SELECT inside
    PostgreSQL, no parsing, no Python), and the design that parses inside PostgreSQL."""
    import csv

    from orders.importers import open_export

    floors = []
    started = time.perf_counter()
    with export.open(newline="", encoding="utf-8-sig") as handle:
        for _row in csv.reader(handle):
            pass
    floors.append(
        ("Python's csv.reader over the file, no conversion", time.perf_counter() - started)
    )

    started = time.perf_counter()
    with open_export(
        export, time_zone=channel.time_zone, default_currency=channel.currency,
        max_bytes=10**12,
    ) as reader:  # fmt: skip
        for _item in reader.iter_items():
            pass
    floors.append(
        ("the project's parser alone (values, times, statuses)", time.perf_counter() - started)
    )

    # Three times: with every index, check and foreign key of the real tables (the foreign keys
    # are checked at commit, row by row, as PostgreSQL checks them), without the foreign keys,
    # then with only the keys the issue requires (primary keys, unique order and line ids).
    for label, including, foreign_keys in (
        ("storing the imported rows again, real tables (indexes, checks, FKs)", "ALL", True),
        ("storing the imported rows again, same indexes and checks (no FKs)", "ALL", False),
        ("storing the imported rows again, keys only", "DEFAULTS", False),
    ):
        _create_table_copies(including=including, foreign_keys=foreign_keys)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_orders_order SELECT * FROM orders_order WHERE channel_id = %s",
                [channel.pk],
            )
            cursor.execute(
                "INSERT INTO bench_orders_orderline SELECT line.* FROM orders_orderline line "
                "JOIN orders_order o ON o.id = line.order_id WHERE o.channel_id = %s",
                [channel.pk],
            )
        floors.append((label, time.perf_counter() - started))
    floors.append(
        (
            "parsing inside PostgreSQL: COPY into staging, INSERT ... SELECT with SQL casts "
            "into the real tables (no validation, attribution or roll-up)",
            _parse_in_postgresql(export, channel),
        )
    )
    _drop_table_copies()
    return floors


COPIED_TABLES = {"orders_order": ("id", "channel_id, external_id"),
                 "orders_orderline": ("id", "order_id, external_line_id")}  # fmt: skip


def _drop_table_copies() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_orders_orderline, bench_orders_order")


def _create_table_copies(*, including: str, foreign_keys: bool) -> None:
    """Empty copies of the order tables: every index and check (``ALL``) or only the primary
    and unique keys (``DEFAULTS``), and, if asked, the real tables' foreign keys (the line's
    order pointing at the copy of the orders), deferred to the commit as Django makes them."""
    from orders.models import Order, OrderLine

    _drop_table_copies()
    with connection.cursor() as cursor:
        for table, (primary, unique) in COPIED_TABLES.items():
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING {including})")
            if including != "ALL":
                cursor.execute(
                    f"ALTER TABLE bench_{table} ADD PRIMARY KEY ({primary}), ADD UNIQUE ({unique})"
                )
        if not foreign_keys:
            return
        for model in (Order, OrderLine):
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                target = field.related_model._meta.db_table
                if target in COPIED_TABLES:
                    target = f"bench_{target}"
                cursor.execute(
                    f"ALTER TABLE bench_{model._meta.db_table} ADD FOREIGN KEY ({field.column}) "
                    f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
                )


def _parse_in_postgresql(export: Path, channel) -> float:
    """The design that parses in the database, at its cheapest: the file COPYed into a staging
    table of text columns, then orders and lines moved into copies of the real tables (indexes,
    checks, foreign keys) by INSERT ... SELECT with SQL casts, products matched by a join. It
    leaves out what a real import also needs (validation with row errors, status rules,
    attribution, line-up slots, roll-up), so it is a floor for that design, not an import."""
    _create_table_copies(including="ALL", foreign_keys=True)
    with export.open("rb") as handle:
        header = handle.readline().decode("utf-8-sig").rstrip("\n").split(",")
    column = {name: f"c{position}" for position, name in enumerate(header)}

    def text(name: str) -> str:
        return f"coalesce(btrim({column[name]}, E'\\t '), '')"

    def money(name: str) -> str:
        return f"nullif(btrim({column[name]}, E'\\t '), '')::numeric"

    def moment(name: str) -> str:
        return f"nullif(btrim({column[name]}, E'\\t '), '')::timestamp AT TIME ZONE %(zone)s"

    status = (
        f"CASE {column['Order Status']} WHEN 'Canceled' THEN 'cancelled' "
        "WHEN 'Completed' THEN 'completed' WHEN 'Shipped' THEN 'shipped' ELSE 'paid' END"
    )
    orders = f"""
        INSERT INTO bench_orders_order (channel_id, platform, external_id, status, raw_status,
            placed_at, paid_at, cancelled_at, currency, order_amount, shipping_fee,
            refund_amount, buyer_hash, province, city, shipping_provider, live_room_id,
            creator_handle, content_type, attribution, candidate_session_ids, fingerprint,
            created_at, updated_at)
        SELECT DISTINCT ON (order_id) %(channel)s, %(platform)s, order_id, {status},
            {text("Order Status")}, {moment("Created Time")}, {moment("Paid Time")},
            {moment("Cancelled Time")}, %(currency)s, {money("Order Amount")},
            {money("Shipping Fee After Discount")}, {money("Order Refund Amount")},
            encode(sha256(convert_to(%(key)s || {text("Buyer Username")}, 'UTF8')), 'hex'),
            {text("Province")}, {text("District")}, {text("Shipping Provider Name")}, '', '', '',
            'none', '[]'::jsonb,
            md5(concat_ws(E'\\x1f', {column["Order Status"]}, {column["Order Substatus"]},
                {column["Order Amount"]}, {column["Created Time"]}, {column["Paid Time"]},
                {column["Cancelled Time"]}, {column["Province"]}, {column["District"]})),
            now(), now()
        FROM (SELECT btrim({column["Order ID"]}, E'\\t ') AS order_id, * FROM bench_stage) stage
        ORDER BY order_id, row_number DESC
    """  # noqa: S608
    lines = f"""
        INSERT INTO bench_orders_orderline (order_id, external_line_id, sku_id, seller_sku,
            product_name, variation, product_id, quantity, returned_quantity,
            pending_return_quantity, unit_price, line_value, refund_amount, fingerprint)
        SELECT o.id, {text("SKU ID")}, {text("SKU ID")}, {text("Seller SKU")},
            {text("Product Name")}, {text("Variation")}, listing.product_id,
            {column["Quantity"]}::integer, coalesce(nullif({column["Sku Quantity of return"]},
            '')::integer, 0), 0, {money("SKU Unit Original Price")},
            {money("SKU Subtotal After Discount")}, {money("Order Refund Amount")},
            md5(concat_ws(E'\\x1f', {column["SKU ID"]}, {column["Quantity"]},
                {column["SKU Subtotal After Discount"]}, {column["Order Refund Amount"]}))
        FROM bench_stage stage
        JOIN bench_orders_order o
          ON o.channel_id = %(channel)s AND o.external_id = btrim({column["Order ID"]}, E'\\t ')
        LEFT JOIN catalog_platformlisting listing
          ON listing.platform = %(platform)s AND listing.sku_id = {text("SKU ID")}
    """  # noqa: S608
    params = {
        "channel": channel.pk, "platform": channel.platform, "currency": channel.currency,
        "zone": channel.time_zone, "key": "bench-key:",
    }  # fmt: skip
    columns = ", ".join(f"c{position} text" for position in range(len(header)))
    names = ", ".join(f"c{position}" for position in range(len(header)))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, export.open("rb") as handle:
        cursor.execute("SET LOCAL DateStyle = 'ISO, DMY'")
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_stage (row_number bigint GENERATED ALWAYS AS "
            f"IDENTITY, {columns}) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert(
            f"COPY bench_stage ({names}) FROM STDIN WITH (FORMAT csv, HEADER true)", handle
        )
        cursor.execute(orders, params)
        cursor.execute(lines, params)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
