"""What the channels sold in a period: all imported orders, and the parts from sessions,
ambiguous and not from a session, checked against the export files read with the csv module."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Currency, Platform
from dashboards.models import ChannelDaySales
from dashboards.services import rebuild_all_rollups
from livestreams.models import Session
from orders import services
from orders.models import Order
from tests.catalog.factories import ChannelFactory
from tests.livestreams.factories import SessionFactory
from tests.orders.conftest import GIA_LAI, read_rows

pytestmark = pytest.mark.django_db

ORDERS = "tiktok_orders_gialai.csv"
DAY = {"start": "2025-05-20", "end": "2025-05-20"}
# Session A 19:00-19:30 and B 19:45-20:15, local time, with 30 minutes of grace: an order at
# 19:45-20:00 is in both windows, after 20:45 in none.
A_WINDOW = (dt.time(19, 0), dt.time(20, 0))
B_WINDOW = (dt.time(19, 45), dt.time(20, 45))


@pytest.fixture
def sessions(tiktok_channel):
    def session(start, end):
        return SessionFactory(
            channel=tiktok_channel,
            scheduled_start=dt.datetime(2025, 5, 20, *start, tzinfo=GIA_LAI),
            scheduled_end=dt.datetime(2025, 5, 20, *end, tzinfo=GIA_LAI),
            status=Session.Status.ENDED,
        )

    return session((19, 0), (19, 30)), session((19, 45), (20, 15))


def expected_parts() -> dict[str, dict]:
    """Orders, gross and net GMV per part, from the file alone."""
    by_order = defaultdict(list)
    for row in read_rows(ORDERS):
        by_order[row["Order ID"]].append(row)
    parts = defaultdict(lambda: {"orders": 0, "gross_gmv": Decimal(0), "net_gmv": Decimal(0)})
    for lines in by_order.values():
        created = dt.datetime.strptime(lines[0]["Created Time"], "%d/%m/%Y %H:%M:%S").time()
        in_a = A_WINDOW[0] <= created < A_WINDOW[1]
        in_b = B_WINDOW[0] <= created < B_WINDOW[1]
        part = "ambiguous" if in_a and in_b else "sessions" if in_a or in_b else "unattributed"
        cancelled = lines[0]["Order Status"] == "Canceled"
        gross = sum(Decimal(line["SKU Subtotal After Discount"]) for line in lines)
        lost = (
            gross if cancelled else sum(Decimal(line["Order Refund Amount"] or 0) for line in lines)
        )
        for name in (part, "all"):
            parts[name]["orders"] += 1
            parts[name]["gross_gmv"] += gross
            parts[name]["net_gmv"] += gross - lost
    return {
        name: {key: f"{value:.2f}" if key != "orders" else value for key, value in part.items()}
        for name, part in parts.items()
    }


def channel_rows(user, period=DAY) -> list[dict]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/reports/overview/", period)
    assert response.status_code == 200
    return response.json()["channel_sales"]


def test_every_imported_order_counts_in_its_channel_and_in_exactly_one_part(
    importer, tiktok_channel, sessions, official
):
    importer(tiktok_channel, ORDERS)
    expected = expected_parts()
    assert {"sessions", "ambiguous", "unattributed"} <= set(expected)

    (row,) = channel_rows(official)

    assert row["channel"] == tiktok_channel.name and row["currency"] == "VND"
    for part in ("all", "sessions", "ambiguous", "unattributed"):
        assert row[part] == expected[part], part
    share = Decimal(expected["sessions"]["gross_gmv"]) / Decimal(expected["all"]["gross_gmv"])
    assert Decimal(row["live_share"]) == share.quantize(Decimal("0.000001"))


def test_a_staff_decision_moves_ambiguous_orders_to_the_session(
    importer, tiktok_channel, sessions, bureau_staff, official, django_capture_on_commit_callbacks
):
    importer(tiktok_channel, ORDERS)
    before = channel_rows(official)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_session_for_ambiguous_orders(
            order_ids=Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).values_list(
                "pk", flat=True
            ),
            session=sessions[0],
            chosen_by=bureau_staff,
        )
    after = channel_rows(official)[0]

    assert after["ambiguous"]["orders"] == 0
    assert (
        after["sessions"]["orders"] == before["sessions"]["orders"] + before["ambiguous"]["orders"]
    )
    assert after["all"] == before["all"]


def test_a_day_outside_the_period_counts_nothing_and_currencies_are_never_summed(
    importer, tiktok_channel, sessions, official
):
    importer(tiktok_channel, ORDERS)
    douyin = ChannelFactory(
        platform=Platform.DOUYIN, slug="lhasa-douyin", currency=Currency.CNY,
        time_zone="Asia/Shanghai",
    )  # fmt: skip
    importer(douyin, "douyin_orders_lhasa.csv")
    days = sorted(set(ChannelDaySales.objects.filter(channel=douyin).values_list("day", flat=True)))
    assert days
    whole = {"start": "2025-01-01", "end": "2025-12-31"}

    rows = {row["channel"]: row for row in channel_rows(official, whole)}

    assert rows[douyin.name]["currency"] == "CNY" and rows[tiktok_channel.name]["currency"] == "VND"
    assert len(rows) == 2  # one row per channel, each in its own currency
    next_day = {"start": "2025-05-21", "end": "2025-05-21"}
    assert tiktok_channel.name not in {row["channel"] for row in channel_rows(official, next_day)}


def test_the_overview_page_shows_the_channels_table_and_chart(
    importer, tiktok_channel, sessions, official_client
):
    importer(tiktok_channel, ORDERS)
    page = official_client.get("/dashboards/", DAY)
    content = page.content.decode()
    assert "What the channels sold" in content
    assert 'id="channels-vnd-data"' in content
    (row,) = page.context["channel_sales"]
    assert row["all"]["orders"] == expected_parts()["all"]["orders"]
    download = official_client.get("/dashboards/", {**DAY, "table": "channels", "format": "csv"})
    assert download.status_code == 200
    assert tiktok_channel.name in download.getvalue().decode("utf-8-sig")


def test_the_roll_up_is_rebuilt_from_the_orders(importer, tiktok_channel, sessions, official):
    importer(tiktok_channel, ORDERS)
    first = channel_rows(official)
    ChannelDaySales.objects.all().delete()
    rebuild_all_rollups()
    assert channel_rows(official) == first
