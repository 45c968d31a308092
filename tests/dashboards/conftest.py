"""Sales worlds for the dashboards: the real sample exports imported through the pipeline, and
generated sessions of any size for the query budgets."""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from catalog.models import Currency, Platform
from livestreams.models import Session
from orders.models import Order, OrderLine
from orders.services import recompute_session_sales
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.livestreams.factories import (
    HostFactory,
    SessionFactory,
    SessionHostFactory,
    SessionMetricsFactory,
)
from tests.orders.conftest import (  # noqa: F401  (fixtures shared with the orders tests)
    gia_lai_listings,
    importer,
    megalive,
    read_rows,
    tiktok_channel,
)

LHASA = ZoneInfo("Asia/Shanghai")
GIA_LAI_FILE = "tiktok_orders_gialai.csv"
LHASA_FILE = "douyin_orders_lhasa.csv"


@pytest.fixture
def lhasa_channel(db):
    return ChannelFactory(
        platform=Platform.DOUYIN,
        slug="lhasa-douyin",
        name="Lhasa Excellent Products",
        currency=Currency.CNY,
        time_zone="Asia/Shanghai",
    )


@pytest.fixture
def lhasa_live(lhasa_channel):
    """The Lhasa live of the Douyin sample: 19 September 2025, 19:00 to 21:00 Beijing time."""
    return SessionFactory(
        title="Lhasa excellent products live",
        channel=lhasa_channel,
        scheduled_start=dt.datetime(2025, 9, 19, 19, 0, tzinfo=LHASA),
        scheduled_end=dt.datetime(2025, 9, 19, 21, 0, tzinfo=LHASA),
        status=Session.Status.ENDED,
    )


@pytest.fixture
def lhasa_listings(db, cooperative):
    """Listings for every product of the Douyin sample, made by `cooperative` (the member's)."""
    product_ids = sorted({row["商品ID"] for row in read_rows(LHASA_FILE)})
    return {
        product_id: PlatformListingFactory(
            platform=Platform.DOUYIN,
            sku_id="",
            seller_sku=f"LHASA-{index}",
            external_product_id=product_id,
            product=ProductFactory(
                cooperative=cooperative, currency=Currency.CNY, price=Decimal("29.90")
            ),
        )
        for index, product_id in enumerate(product_ids)
    }


@pytest.fixture
def sold(
    importer,  # noqa: F811
    tiktok_channel,  # noqa: F811
    megalive,  # noqa: F811
    gia_lai_listings,  # noqa: F811
    lhasa_channel,
    lhasa_live,
    lhasa_listings,
):
    """Both samples imported: a VND megalive in May 2025 and a CNY live in September 2025."""
    SessionMetricsFactory(session=megalive, views=29_000)
    SessionMetricsFactory(session=lhasa_live, views=4_000)
    SessionHostFactory(session=megalive, host=HostFactory(display_name="KOL Gia Lai"))
    SessionHostFactory(session=lhasa_live, host=HostFactory(display_name="Lhasa host"))
    for channel, name in ((tiktok_channel, GIA_LAI_FILE), (lhasa_channel, LHASA_FILE)):
        batch = importer(channel, name)
        assert batch.status == "succeeded", batch.message
    return {"megalive": megalive, "lhasa_live": lhasa_live}


@pytest.fixture
def generated_sales(db):
    """Make `sessions` ended sessions in June 2025, each with orders and lines, rolled up.

    Returns a function, so a test can build a small world and one ten times larger.
    """

    def make(*, sessions: int, orders_per_session: int = 4, lines_per_order: int = 2) -> None:
        rng = random.Random(sessions)
        channel = ChannelFactory()
        products = [ProductFactory() for _ in range(3)]
        made = []
        for number in range(sessions):
            start = dt.datetime(2025, 6, 1 + number % 28, 12, tzinfo=dt.UTC)
            session = SessionFactory(
                channel=channel,
                scheduled_start=start + dt.timedelta(minutes=number),
                scheduled_end=start + dt.timedelta(hours=2, minutes=number),
                status=Session.Status.ENDED,
            )
            SessionHostFactory(session=session)
            SessionMetricsFactory(session=session, views=1000 + number)
            orders = Order.objects.bulk_create(
                Order(
                    channel=channel,
                    platform=channel.platform,
                    external_id=f"G{number}-{index}",
                    status=rng.choice(["completed", "cancelled", "returned"]),
                    placed_at=start + dt.timedelta(minutes=index),
                    currency=channel.currency,
                    buyer_hash=f"buyer-{rng.randrange(50)}",
                    session=session,
                    attribution=Order.Attribution.WINDOW,
                )
                for index in range(orders_per_session)
            )
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    external_line_id=str(position),
                    product=rng.choice([*products, None]),
                    quantity=2,
                    returned_quantity=1 if order.status == "returned" else 0,
                    unit_price=Decimal(50000),
                    line_value=Decimal(100000),
                )
                for order in orders
                for position in range(lines_per_order)
            )
            made.append(session.pk)
        recompute_session_sales(session_ids=made)

    return make
