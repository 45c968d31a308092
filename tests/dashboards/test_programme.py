"""Programme roll-ups: by origin, category, platform and OCOP rating, per currency."""

from collections import defaultdict
from decimal import Decimal

import pytest

from catalog.models import Product
from orders.models import OrderLine
from tests.catalog.factories import CertificationFactory

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(sold, lhasa_listings, cooperative):
    """The Lhasa products come from two districts; one holds a five-star OCOP rating."""
    products = [listing.product for listing in lhasa_listings.values()]
    for index, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(
            origin_district="Chengguan" if index % 2 else "Doilungdeqen",
            origin_commune=f"Commune {index % 3}",
        )
    CertificationFactory(cooperative=cooperative, product=products[0], stars=5)
    return products[0]


def expected_by(key) -> dict[tuple, Decimal]:
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in OrderLine.objects.filter(
        order__session__isnull=False, product__isnull=False
    ).select_related("product__category", "order"):
        sums[(key(line), line.order.currency)] += line.line_value
    return dict(sums)


def test_each_grouping_equals_the_lines_of_the_sessions_orders(rated, official_client):
    response = official_client.get("/dashboards/programme/", WHOLE)
    assert response.status_code == 200
    sections = {key: rows for key, _title, rows in response.context["sections"]}

    def shown(key):
        return {(row["value"], row["currency"]): row["gross_gmv"] for row in sections[key]}

    assert shown("district") == expected_by(lambda line: line.product.origin_district)
    assert shown("category") == expected_by(lambda line: line.product.category.name)
    assert shown("stars") == expected_by(lambda line: 5 if line.product_id == rated.pk else None)
    platforms = shown("platform")
    assert {currency for _name, currency in platforms} == {"VND", "CNY"}
    assert ("Douyin", "CNY") in platforms and ("TikTok Shop", "VND") in platforms


def test_programme_tables_download_and_are_not_for_members(rated, official_client, coop_client):
    response = official_client.get(
        "/dashboards/programme/", {**WHOLE, "table": "district", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Chengguan" in response.content.decode("utf-8-sig")
    assert coop_client.get("/dashboards/programme/").status_code == 403


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_programme_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=sessions)
    official_client.get("/dashboards/")
    # Queries: session, user, groups (3); product roll-ups and OCOP ratings (2).
    with django_assert_num_queries(5):
        official_client.get("/dashboards/programme/", {"start": "2025-06-01", "end": "2025-06-30"})
