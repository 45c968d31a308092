"""The peer figure beside the import benchmark: django-import-export in bulk mode on a cut of the
same TikTok Shop export, with the same columns and unique key.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commerce_bench .venv/bin/python bench/peer.py

What a Django user would otherwise get: a flat model holding the columns our import stores for
a line and its order, unique on (Order ID, SKU ID), a ``ModelResource`` mapping them to the
export's headers, ``use_bulk`` with ``skip_diff``. The model is no app's: its table is created
in the benchmark database for the run and dropped after it. django-import-export is a dev extra
for this figure only; the product does not use it.
"""

import argparse
import csv
import functools
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import tablib
from django.db import connection, models
from django.utils import timezone

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/commerce_bench"
TABLE = "bench_peer_tiktok_line"
# The export writes its times day first; TikTok appends a tab to ids and times (so that
# spreadsheets keep them as text), which the resource strips from the columns it reads.
TIME_FORMAT = "%d/%m/%Y %H:%M:%S"
BATCH_SIZE = 1000
MONEY = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}

# Resource field -> the export's header, for the columns our import stores for a line and its
# order (orders.importers.tiktok).
TEXT_COLUMNS = {
    "order_id": "Order ID",
    "sku_id": "SKU ID",
    "seller_sku": "Seller SKU",
    "product_name": "Product Name",
    "variation": "Variation",
    "order_status": "Order Status",
    "province": "Province",
    "district": "District",
    "shipping_provider": "Shipping Provider Name",
}
COUNT_COLUMNS = {"quantity": "Quantity", "returned_quantity": "Sku Quantity of return"}
MONEY_COLUMNS = {
    "unit_price": "SKU Unit Original Price",
    "line_value": "SKU Subtotal After Discount",
    "refund_amount": "Order Refund Amount",
    "order_amount": "Order Amount",
    "shipping_fee": "Shipping Fee After Discount",
}
TIME_COLUMNS = {
    "created_at": "Created Time",
    "paid_at": "Paid Time",
    "cancelled_at": "Cancelled Time",
}
COLUMNS = {**TEXT_COLUMNS, **COUNT_COLUMNS, **MONEY_COLUMNS, **TIME_COLUMNS}
KEY = ("order_id", "sku_id")


@functools.cache
def peer_classes() -> tuple[type[models.Model], type]:
    """The flat model and its resource, defined once per process (Django registers a model
    class when it is defined, so the app registry must be ready: call after django.setup())."""
    # Imported here: import_export's modules read settings and the app registry on import.
    from import_export import fields, resources, widgets

    class PeerTikTokLine(models.Model):
        order_id = models.CharField(max_length=64)
        sku_id = models.CharField(max_length=64, blank=True)
        seller_sku = models.CharField(max_length=100, blank=True)
        product_name = models.CharField(max_length=300, blank=True)
        variation = models.CharField(max_length=200, blank=True)
        quantity = models.IntegerField()
        returned_quantity = models.IntegerField(default=0)
        unit_price = models.DecimalField(**MONEY)
        line_value = models.DecimalField(**MONEY)
        refund_amount = models.DecimalField(**MONEY)
        order_status = models.CharField(max_length=300, blank=True)
        created_at = models.DateTimeField()
        paid_at = models.DateTimeField(null=True, blank=True)
        cancelled_at = models.DateTimeField(null=True, blank=True)
        order_amount = models.DecimalField(**MONEY)
        shipping_fee = models.DecimalField(**MONEY)
        province = models.CharField(max_length=100, blank=True)
        district = models.CharField(max_length=100, blank=True)
        shipping_provider = models.CharField(max_length=100, blank=True)

        class Meta:
            # No app's model: never migrated, its table made and dropped by the benchmark.
            app_label = "bench_peer"
            managed = False
            db_table = TABLE
            constraints = [models.UniqueConstraint(fields=KEY, name="bench_peer_line_key")]

        def __str__(self) -> str:
            return f"{self.order_id} / {self.sku_id}"

    def field(name: str, widget) -> fields.Field:
        return fields.Field(attribute=name, column_name=COLUMNS[name], widget=widget)

    declared = {
        **{name: field(name, widgets.CharWidget()) for name in TEXT_COLUMNS},
        **{name: field(name, widgets.IntegerWidget()) for name in COUNT_COLUMNS},
        **{name: field(name, widgets.DecimalWidget()) for name in MONEY_COLUMNS},
        **{name: field(name, widgets.DateTimeWidget(format=TIME_FORMAT)) for name in TIME_COLUMNS},
    }
    stripped = tuple(COLUMNS.values())

    class Meta:
        model = PeerTikTokLine
        fields = tuple(COLUMNS)
        import_id_fields = KEY
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True

    def before_import_row(self, row, **kwargs) -> None:
        # TikTok's trailing tabs on ids and times: without this, the times do not parse and
        # the ids keep the tab.
        for column in stripped:
            row[column] = row[column].strip()

    resource = type(
        "PeerTikTokLineResource",
        (resources.ModelResource,),
        {**declared, "Meta": Meta, "before_import_row": before_import_row},
    )
    return PeerTikTokLine, resource


def cut_export(export: Path, lines: int) -> tuple[str, int, set[tuple[str, str]]]:
    """The header and the first ``lines`` data rows of the export as CSV text, how many rows
    that is, and the distinct (Order ID, SKU ID) among them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = set()
    taken = 0
    with export.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        order_at, sku_at = header.index(COLUMNS["order_id"]), header.index(COLUMNS["sku_id"])
        writer.writerow(header)
        for row in reader:
            if taken == lines:
                break
            writer.writerow(row)
            keys.add((row[order_at].strip(), row[sku_at].strip()))
            taken += 1
    return out.getvalue(), taken, keys


def time_django_import_export(
    export: Path, *, lines: int = 20_000, time_zone: str = "Asia/Ho_Chi_Minh"
) -> dict:
    """Import the first ``lines`` rows of ``export`` (a TikTok Shop order export) into an empty
    flat table with django-import-export in bulk mode, timing the dataset load and
    ``import_data`` only; the naive export times are read in ``time_zone``.

    Returns ``{"lines", "seconds", "rows_per_second", "version", "created", "updated"}``;
    raises if a row failed or the table does not hold one row per distinct key of the cut."""
    import import_export

    model, resource_class = peer_classes()
    text, taken, keys = cut_export(Path(export), lines)
    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        editor.create_model(model)
    try:
        resource = resource_class()
        with timezone.override(ZoneInfo(time_zone)):
            started = time.perf_counter()
            dataset = tablib.Dataset().load(text, format="csv")
            result = resource.import_data(dataset, dry_run=False, raise_errors=True)
            seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), count(DISTINCT (order_id, sku_id)) FROM {TABLE}"  # noqa: S608
            )
            rows, distinct = cursor.fetchone()
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(model)
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError(
            f"django-import-export reported {len(result.row_errors())} row errors and "
            f"{len(result.invalid_rows)} invalid rows"
        )
    if not rows == distinct == len(keys):
        raise RuntimeError(
            f"the table holds {rows} rows ({distinct} distinct keys) for the cut's "
            f"{len(keys)} distinct (Order ID, SKU ID)"
        )
    return {
        "lines": taken,
        "seconds": seconds,
        "rows_per_second": taken / seconds,
        "version": import_export.__version__,
        "created": result.totals["new"],
        "updated": result.totals["update"],
    }


def ensure_database(url: str) -> None:
    """Create the benchmark database if it is missing (as bench/import_bench.py does)."""
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
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The peer figure is measured on PostgreSQL: set DATABASE_URL to PostgreSQL.")
    ensure_database(url)
    # The environment bench/import_bench.py gives its import, without DEBUG's query log.
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce_base.settings.base")
    os.environ.setdefault("COMMERCE_BASE_VAR_DIR", str(PROJECT_DIR / "var" / "bench"))
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(PROJECT_DIR))

    import django

    django.setup()
    from devtools.exportgen import ExportConfig, write_export

    with tempfile.TemporaryDirectory(prefix="import-peer-") as workdir:
        export = Path(workdir) / "tiktok_orders.csv"
        write_export(export, ExportConfig(platform="tiktok", rows=args.lines, seed=args.seed))
        figure = time_django_import_export(export, lines=args.lines)
    print(
        f"django-import-export {figure['version']} (bulk, batch {BATCH_SIZE}, skip_diff): "
        f"{figure['lines']:,} lines in {figure['seconds']:.2f} s, "
        f"{figure['rows_per_second']:,.0f} rows/s "
        f"({figure['created']:,} created, {figure['updated']:,} updated)"
    )


if __name__ == "__main__":
    main()
