"""The session page shows what the import could not settle: unknown statuses, pending returns."""

import datetime as dt
from decimal import Decimal

import pytest

from catalog.models import Platform
from livestreams.models import Session
from orders import services
from orders.models import Order, OrderLine
from tests.livestreams.factories import SessionFactory
from tests.orders.conftest import GIA_LAI

pytestmark = pytest.mark.django_db


def test_the_session_page_shows_returns_pending_and_orders_with_an_unknown_status(
    tiktok_channel, staff_client
):
    session = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    for number, status in enumerate((Order.Status.UNKNOWN, Order.Status.DELIVERED)):
        order = Order.objects.create(
            channel=tiktok_channel, platform=Platform.TIKTOK_SHOP, external_id=f"O-{number}",
            status=status, raw_status="Đang kiểm tra" if number == 0 else "Delivered",
            placed_at=dt.datetime(2025, 5, 20, 19, 30, tzinfo=GIA_LAI), currency="VND",
            session=session, attribution=Order.Attribution.WINDOW,
        )  # fmt: skip
        OrderLine.objects.create(
            order=order, external_line_id="L1", quantity=4, line_value=Decimal("400000"),
            pending_return_quantity=1 if number == 1 else 0,
        )  # fmt: skip
    services.recompute_session_sales(session_ids=[session.pk])

    page = staff_client.get(f"/dashboards/sessions/{session.pk}/")

    assert page.context["returns_pending"] == Decimal("100000.00")
    assert page.context["unknown_status_orders"] == 1
    content = page.content.decode()
    assert "1 order has a status we do not know" in content
    assert "/imports/statuses/" in content
    # Pending returns take nothing off net GMV.
    assert session.sales.net_gmv == session.sales.gross_gmv == Decimal("800000.00")
