import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Currency, Platform
from livestreams.models import Session
from orders import services
from orders.models import ImportBatch
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.livestreams.factories import SessionFactory

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
GIA_LAI = ZoneInfo("Asia/Ho_Chi_Minh")
LIVE_ID = "7561422738198907666"


def export_path(name: str) -> Path:
    return EXPORTS / name


def read_rows(name: str) -> list[dict]:
    """The export read with the csv module alone: the independent side of the checks."""
    with export_path(name).open(encoding="utf-8-sig", newline="") as handle:
        return [
            {key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)
        ]


GIA_LAI_FILE = "tiktok_orders_gialai.csv"
# The Gia Lai sample's size, counted from the file with the csv module (not by the importer):
# one row per order line, several lines to an order.
GIA_LAI_LINES = len(read_rows(GIA_LAI_FILE))
GIA_LAI_ORDERS = len({row["Order ID"] for row in read_rows(GIA_LAI_FILE)})


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else export_path(name).read_bytes()
    )


def import_file(
    channel, name: str, *, content: bytes | None = None, force: bool = False, user=None
):
    batch = services.create_import_batch(
        channel=channel, upload=upload(name, content), uploaded_by=user, force=force
    )
    services.run_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def tiktok_channel(db):
    return ChannelFactory(
        platform=Platform.TIKTOK_SHOP,
        slug="gialai-tiktok",
        currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
        grace_minutes=30,
    )


@pytest.fixture
def megalive(tiktok_channel):
    """The Gia Lai megalive of the samples: 20 May 2025, 19:00 to 21:00 local time."""
    return SessionFactory(
        title="Gia Lai megalive",
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )


@pytest.fixture
def gia_lai_listings(db):
    """Listings for every SKU of the Gia Lai sample but the honey (left unmatched)."""
    skus = {row["SKU ID"]: row["Seller SKU"] for row in read_rows("tiktok_orders_gialai.csv")}
    listings = {}
    for sku_id, seller_sku in sorted(skus.items()):
        if seller_sku == "GL-HNY-500":
            continue
        listings[sku_id] = PlatformListingFactory(
            platform=Platform.TIKTOK_SHOP,
            sku_id=sku_id,
            seller_sku=seller_sku or f"SKU-{sku_id[-5:]}",
            product=ProductFactory(name=f"Product {seller_sku or sku_id}"),
        )
    return listings


def run_eagerly(django_capture_on_commit_callbacks, function, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return function(*args, **kwargs)


__all__ = ["ImportBatch", "import_file", "read_rows", "run_eagerly", "upload"]


@pytest.fixture
def importer(django_capture_on_commit_callbacks):
    """Import a fixture file through the whole pipeline, running queued tasks as they commit."""

    def run(channel, name: str, *, content: bytes | None = None, force: bool = False, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            return import_file(channel, name, content=content, force=force, user=user)

    return run
