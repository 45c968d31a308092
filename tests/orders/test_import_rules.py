"""Rules of the pipeline that the sample files do not all exercise."""

import csv
import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from catalog.models import Currency, Platform
from orders.importers import OrderLine as ExportLine
from orders.models import OrderLine
from orders.services.chunk_writer import _order_status
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


GENERIC_CSV = """Order No.,Placed,Item code,Item,Qty,Paid (VND),State,Customer
FB-1001,2025-05-20 19:05,COF-500,Chu Se Robusta,2,330000,paid,buyer-a
FB-1001,2025-05-20 19:05,PEP-250,Ia Grai pepper,1,85000,paid,buyer-a
FB-1002,2025-05-20 19:40,COF-500,Chu Se Robusta,1,165000,cancelled,buyer-b
"""


@pytest.mark.django_db
def test_another_platforms_csv_is_read_through_the_channels_saved_mapping(importer):
    from django.core.exceptions import ValidationError

    from orders.models import ColumnMapping, ImportBatch, Order

    channel = ChannelFactory(platform=Platform.FACEBOOK, currency=Currency.VND)
    incomplete = ColumnMapping(channel=channel, mapping={"order_id": "Order No."})
    with pytest.raises(ValidationError, match="created_at"):
        incomplete.full_clean()
    ColumnMapping.objects.create(
        channel=channel,
        mapping={
            "order_id": "Order No.", "created_at": "Placed", "seller_sku": "Item code",
            "product_name": "Item", "quantity": "Qty", "line_value": "Paid (VND)",
            "status": "State", "buyer_ref": "Customer",
        },
    )  # fmt: skip
    batch = importer(channel, "facebook.csv", content=GENERIC_CSV.encode())
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.format == "generic"
    first = Order.objects.get(channel=channel, external_id="FB-1001")
    assert first.lines.count() == 2
    assert sum(line.line_value for line in first.lines.all()) == Decimal("415000")
    assert first.placed_at == dt.datetime(2025, 5, 20, 12, 5, tzinfo=dt.UTC)  # 19:05 in Gia Lai
    assert Order.objects.get(external_id="FB-1002").status == "cancelled"


@pytest.mark.django_db
def test_a_line_gets_the_lineup_slot_it_sold_in(
    importer, tiktok_channel, megalive, gia_lai_listings
):
    from livestreams.models import LineupItem
    from orders.models import OrderLine

    from .conftest import GIA_LAI, read_rows

    first = read_rows("tiktok_orders_gialai.csv")[0]
    listing = gia_lai_listings[first["SKU ID"]]
    placed = dt.datetime.strptime(first["Created Time"], "%d/%m/%Y %H:%M:%S").replace(
        tzinfo=GIA_LAI
    )
    slot = LineupItem.objects.create(
        session=megalive, product=listing.product, position=1, planned_minutes=5,
        on_air_started_at=placed - dt.timedelta(minutes=2),
        on_air_ended_at=placed + dt.timedelta(minutes=3),
    )  # fmt: skip
    importer(tiktok_channel, "tiktok_orders_gialai.csv")
    line = OrderLine.objects.get(order__external_id=first["Order ID"], sku_id=first["SKU ID"])
    assert line.lineup_item == slot
    # A line of the same product sold outside its slot gets none: a slot has no grace.
    late = OrderLine.objects.filter(product=listing.product, lineup_item__isnull=True)
    assert late.exists()
    assert all(
        not slot.on_air_started_at <= line.order.placed_at < slot.on_air_ended_at for line in late
    )
    assert all(
        slot.on_air_started_at <= line.order.placed_at < slot.on_air_ended_at
        for line in OrderLine.objects.filter(lineup_item=slot)
    )


@pytest.mark.django_db
def test_live_orders_of_a_creator_go_to_the_one_session_that_creator_hosts(importer):
    """Rule (1): LIVE content whose creator hosts exactly one session live at that time is
    explicit, even where two session windows overlap; other orders there stay ambiguous."""
    from zoneinfo import ZoneInfo

    from livestreams.models import HostHandle, SessionHost
    from orders.models import Order
    from tests.livestreams.factories import HostFactory, SessionFactory

    lhasa = ZoneInfo("Asia/Shanghai")
    channel = ChannelFactory(
        platform=Platform.DOUYIN, currency=Currency.CNY, time_zone="Asia/Shanghai"
    )
    hosted = SessionFactory(
        channel=channel,
        scheduled_start=dt.datetime(2025, 9, 19, 19, 0, tzinfo=lhasa),
        scheduled_end=dt.datetime(2025, 9, 19, 21, 0, tzinfo=lhasa),
    )
    other = SessionFactory(
        channel=channel,
        scheduled_start=dt.datetime(2025, 9, 19, 19, 0, tzinfo=lhasa),
        scheduled_end=dt.datetime(2025, 9, 19, 21, 0, tzinfo=lhasa),
    )
    kol = HostFactory(display_name="KOL of the live")
    HostHandle.objects.create(host=kol, platform=Platform.DOUYIN, handle="kol.gialai")
    SessionHost.objects.create(session=hosted, host=kol)

    importer(channel, "douyin_orders_lhasa.csv")
    with export_path("douyin_orders_lhasa.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    live_orders = {r["主订单编号"] for r in rows if r["流量体裁"] == "直播"}
    other_orders = {r["主订单编号"] for r in rows} - live_orders
    explicit = Order.objects.filter(attribution=Order.Attribution.EXPLICIT, session=hosted)
    assert set(explicit.values_list("external_id", flat=True)) == live_orders
    ambiguous = Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS)
    assert set(ambiguous.values_list("external_id", flat=True)) == other_orders
    assert not Order.objects.filter(session=other).exists()


@pytest.mark.django_db
def test_a_large_import_refreshes_the_planners_statistics(importer, tiktok_channel, monkeypatch):
    from django.db import connection

    from orders.services import imports

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics (ANALYZE) are PostgreSQL's; CI runs this on it")
    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", 50)
    importer(tiktok_channel, "tiktok_orders_gialai.csv")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'orders_orderline'")
        estimated_lines = cursor.fetchone()[0]
    # ANALYZE sets the planner's row count to what the table holds (121 lines).
    assert estimated_lines == OrderLine.objects.count()
