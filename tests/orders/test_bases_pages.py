"""Bases (#13): the imports list and the unmatched-SKU and ambiguous-order queues show one
base's channels' batches, SKUs and orders (?base=<slug>) or every base's (?base=all, and by
default); staff of one base open on their base."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import StaffBase
from orders.models import ImportBatch, Order, OrderLine
from tests.catalog.factories import BaseFactory, ChannelFactory, ProductFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lhasa():
    return BaseFactory(name="Lhasa base", slug="lhasa")


@pytest.fixture
def world(lhasa, bureau_staff):
    """On each base's channel: an import, an order with an unmatched SKU and an ambiguous
    order."""
    channels = {"lhasa": ChannelFactory(base=lhasa), "test-base": ChannelFactory()}
    for slug, channel in channels.items():
        ImportBatch.objects.create(
            channel=channel,
            uploaded_by=bureau_staff,
            original_name=f"{slug}.csv",
            status=ImportBatch.Status.SUCCEEDED,
        )
        for attribution in (Order.Attribution.NONE, Order.Attribution.AMBIGUOUS):
            order = Order.objects.create(
                channel=channel,
                platform=channel.platform,
                external_id=f"{slug}-{attribution}",
                status=Order.Status.COMPLETED,
                placed_at=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC),
                currency=channel.currency,
                attribution=attribution,
            )
            OrderLine.objects.create(
                order=order,
                external_line_id="1",
                sku_id=f"SKU-{slug}",
                quantity=1,
                line_value=Decimal(10),
            )
    return channels


def batch_names(client, **params) -> set[str]:
    response = client.get(reverse("orders:import-list"), params)
    assert response.status_code == 200
    return {batch.original_name for batch in response.context["batches"]}


def sku_ids(client, **params) -> set[str]:
    response = client.get(reverse("orders:unmatched"), params)
    assert response.status_code == 200
    return {sku["sku_id"] for sku in response.context["skus"]}


def ambiguous_ids(client, **params) -> set[str]:
    response = client.get(reverse("orders:ambiguous"), params)
    assert response.status_code == 200
    return {row["order"].external_id for row in response.context["rows"]}


def test_the_imports_list_filters_by_base(world, staff_client):
    assert batch_names(staff_client) == {"lhasa.csv", "test-base.csv"}
    assert batch_names(staff_client, base="lhasa") == {"lhasa.csv"}
    assert batch_names(staff_client, base="test-base") == {"test-base.csv"}
    assert batch_names(staff_client, base="all") == {"lhasa.csv", "test-base.csv"}
    page = staff_client.get(reverse("orders:import-list"), {"base": "lhasa"}).content.decode()
    assert "data-base-choice" in page and '<option value="lhasa" selected>' in page


def test_the_unmatched_queue_filters_by_base(world, staff_client):
    assert sku_ids(staff_client) == {"SKU-lhasa", "SKU-test-base"}
    assert sku_ids(staff_client, base="lhasa") == {"SKU-lhasa"}
    assert sku_ids(staff_client, base="test-base") == {"SKU-test-base"}


def test_the_ambiguous_queue_filters_by_base(world, staff_client):
    assert ambiguous_ids(staff_client) == {"lhasa-ambiguous", "test-base-ambiguous"}
    assert ambiguous_ids(staff_client, base="lhasa") == {"lhasa-ambiguous"}
    assert ambiguous_ids(staff_client, base="all") == {"lhasa-ambiguous", "test-base-ambiguous"}


def test_staff_of_one_base_open_the_queues_on_their_base(world, lhasa, bureau_staff):
    StaffBase.objects.create(user=bureau_staff, base=lhasa)
    client = client_for(bureau_staff)
    assert batch_names(client) == {"lhasa.csv"}
    assert sku_ids(client) == {"SKU-lhasa"}
    assert ambiguous_ids(client) == {"lhasa-ambiguous"}
    assert ambiguous_ids(client, base="all") == {"lhasa-ambiguous", "test-base-ambiguous"}


def test_staff_of_one_base_may_map_a_sku_seen_only_on_another_base(world, lhasa, bureau_staff):
    StaffBase.objects.create(user=bureau_staff, base=lhasa)
    product = ProductFactory()
    response = client_for(bureau_staff).post(
        reverse("orders:unmatched"),
        {
            "platform": world["test-base"].platform,
            "skus": ["SKU-test-base|"],
            "product": product.pk,
        },
    )
    assert response.status_code == 302
    lines = OrderLine.objects.filter(sku_id="SKU-test-base")
    assert lines.count() == 2
    assert all(line.product == product for line in lines)


def test_one_base_shows_no_choice(staff_client):
    ChannelFactory()  # the test base, the only one
    page = staff_client.get(reverse("orders:import-list")).content.decode()
    assert "data-base-choice" not in page
