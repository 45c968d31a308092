"""The session page, its download and its endpoint show what an import could not settle:
orders with an unknown status (a warning that sends staff to the statuses page) and returns
asked for but not granted (apart from refunds, never taken off net GMV)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Platform
from dashboards.templatetags.dashboards import money
from livestreams.models import Session
from orders import services
from orders.models import Order, OrderLine
from tests.livestreams.factories import SessionFactory
from tests.orders.conftest import GIA_LAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsettled_session(tiktok_channel):
    """Three orders of 400,000 VND: one with a status no table knows, one delivered with one of
    its four units' return pending, one refunded for one unit."""
    session = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI),
        status=Session.Status.ENDED,
    )
    for number, (status, pending, returned) in enumerate(
        [(Order.Status.UNKNOWN, 0, 0), (Order.Status.DELIVERED, 1, 0),
         (Order.Status.RETURNED, 0, 1)]
    ):  # fmt: skip
        order = Order.objects.create(
            channel=tiktok_channel, platform=Platform.TIKTOK_SHOP, external_id=f"O-{number}",
            status=status, raw_status="Đang kiểm tra" if number == 0 else status,
            placed_at=dt.datetime(2025, 5, 20, 19, 30, tzinfo=GIA_LAI), currency="VND",
            session=session, attribution=Order.Attribution.WINDOW,
        )  # fmt: skip
        OrderLine.objects.create(
            order=order, external_line_id="L1", quantity=4, line_value=Decimal("400000"),
            pending_return_quantity=pending, returned_quantity=returned,
        )  # fmt: skip
    services.recompute_session_sales(session_ids=[session.pk])
    return session


def test_the_session_endpoint_gives_returns_pending_and_unknown_statuses(
    unsettled_session, official
):
    client = APIClient()
    client.force_authenticate(official)

    body = client.get(f"/api/v1/reports/sessions/{unsettled_session.pk}/").json()

    assert body["returns_pending"] == "100000.00"
    assert body["unknown_status_orders"] == 1
    # Refunds and pending returns are apart; only the refund comes off net GMV.
    assert body["refunded_amount"] == "100000.00"
    assert body["gross_gmv"] == "1200000.00" and body["net_gmv"] == "1100000.00"


def test_a_session_without_sales_yet_has_no_returns_pending_figure(tiktok_channel, official):
    session = SessionFactory(channel=tiktok_channel, status=Session.Status.SCHEDULED)
    client = APIClient()
    client.force_authenticate(official)

    body = client.get(f"/api/v1/reports/sessions/{session.pk}/").json()

    assert body["returns_pending"] is None and body["unknown_status_orders"] == 0


def test_staff_are_sent_to_the_statuses_page_and_officials_are_only_warned(
    unsettled_session, staff_client, official_client
):
    url = f"/dashboards/sessions/{unsettled_session.pk}/"
    statuses = reverse("orders:statuses")
    assert statuses == "/imports/statuses/"

    for client, linked in ((staff_client, True), (official_client, False)):
        content = client.get(url).content.decode()
        assert "data-unknown-statuses" in content
        assert "1 order has a status we do not know" in content
        assert (f'href="{statuses}"' in content) is linked
        pending = money(Decimal("100000"), "VND")
        assert f'data-kpi="returns_pending"><dt>Returns pending</dt><dd>{pending}</dd>' in content


def test_no_warning_when_every_status_is_known(unsettled_session, staff_client):
    Order.objects.filter(status=Order.Status.UNKNOWN).update(status=Order.Status.COMPLETED)
    services.recompute_session_sales(session_ids=[unsettled_session.pk])

    content = staff_client.get(f"/dashboards/sessions/{unsettled_session.pk}/").content.decode()

    assert "data-unknown-statuses" not in content
    assert 'href="/imports/statuses/"' not in content


def test_the_session_download_lists_returns_pending_and_unknown_statuses(
    unsettled_session, official_client
):
    response = official_client.get(
        f"/dashboards/sessions/{unsettled_session.pk}/", {"table": "figures", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    figures = {row[0]: row[1] for row in rows[1:]}

    assert Decimal(figures["Returns pending"]) == Decimal("100000")
    assert Decimal(figures["Refunded"]) == Decimal("100000")
    assert figures["Orders with an unknown status"] == "1"
