"""Rules of the pipeline that the sample files do not all exercise."""

import csv
import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from catalog.models import Currency, Platform
from orders.importers import OrderLine as ExportLine
from orders.models import OrderLine
from orders.services.imports import _order_status
from tests.catalog.factories import ChannelFactory, PlatformListingFactory

from .conftest import export_path

LINE = ExportLine(
    platform="tiktok_shop", row_number=2, order_id="1", line_id="a", sku_id="a", seller_sku="",
    product_name="Coffee", variation="", quantity=1, returned_quantity=0,
    unit_price=Decimal(1), line_value=Decimal(1), refund_amount=None, raw_status="Completed",
    status="completed", created_at=dt.datetime(2025, 5, 20, 12, tzinfo=dt.UTC),
)  # fmt: skip


def with_status(status: str, raw: str) -> ExportLine:
    return dataclasses.replace(LINE, status=status, raw_status=raw)


def test_an_order_is_cancelled_only_when_every_line_is():
    cancelled = with_status("cancelled", "Canceled")
    assert _order_status([cancelled, cancelled])[0] == "cancelled"
    assert _order_status([with_status("completed", "Completed"), cancelled])[0] == "completed"
    assert _order_status([cancelled, with_status("completed", "Completed")])[0] == "completed"


def test_an_order_with_a_returned_line_is_returned_whatever_the_line_order():
    returned = with_status("returned", "Completed")
    completed = with_status("completed", "Completed")
    assert _order_status([returned, completed])[0] == "returned"
    assert _order_status([completed, returned])[0] == "returned"


@pytest.mark.django_db
def test_douyin_lines_match_a_listing_by_the_platform_product_id(importer):
    with export_path("douyin_orders_lhasa.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    product_id = rows[0]["商品ID"]
    expected = sum(1 for row in rows if row["商品ID"] == product_id)
    channel = ChannelFactory(
        platform=Platform.DOUYIN, currency=Currency.CNY, time_zone="Asia/Shanghai"
    )
    listing = PlatformListingFactory(
        platform=Platform.DOUYIN, sku_id="", seller_sku="YAK-ONLY-BY-ID",
        external_product_id=product_id,
    )  # fmt: skip
    importer(channel, "douyin_orders_lhasa.csv")
    assert OrderLine.objects.filter(product=listing.product).count() == expected > 0


@pytest.mark.django_db
def test_a_batch_queued_while_the_broker_was_down_is_sent_again_by_the_sweep(
    tiktok_channel, django_capture_on_commit_callbacks
):
    from orders import services
    from orders.models import ImportBatch, Order

    from .conftest import read_rows, upload

    # No on-commit callbacks run here: the message never reached a broker.
    batch = services.create_import_batch(
        channel=tiktok_channel, upload=upload("tiktok_orders_gialai.csv")
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=batch.created_at - dt.timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale_batches() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert Order.objects.count() == len(
        {r["Order ID"] for r in read_rows("tiktok_orders_gialai.csv")}
    )


@pytest.mark.django_db
def test_a_batch_run_twice_does_the_work_once(importer, tiktok_channel):
    from orders import services
    from orders.models import ImportBatch

    batch = importer(tiktok_channel, "tiktok_orders_gialai.csv")
    finished_at = batch.finished_at
    assert services.run_import_batch(batch_id=batch.pk) == set()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.finished_at == finished_at
    assert batch.attempts == 1
