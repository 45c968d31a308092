"""Every page of the area opens for those who may see it, and the menu offers the right ones."""

import pytest
from django.urls import reverse

from catalog.models import Product
from tests.catalog.factories import (
    CertificationFactory,
    DisplayFactory,
    PlatformListingFactory,
    ProductFactory,
    add_photo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cooperative):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.SUBMITTED)
    add_photo(product)
    return {
        "product": product,
        "listing": PlatformListingFactory(product=product),
        "certification": CertificationFactory(cooperative=cooperative, product=product),
        "display": DisplayFactory(product=ProductFactory(cooperative=cooperative)),
    }


def pages(world, cooperative) -> list[str]:
    product = world["product"]
    return [
        reverse("cooperatives:list"),
        reverse("cooperatives:detail", args=[cooperative.pk]),
        reverse("cooperatives:edit", args=[cooperative.pk]),
        reverse("catalog:product-list"),
        reverse("catalog:product-create"),
        reverse("catalog:product-detail", args=[product.pk]),
        reverse("catalog:product-edit", args=[product.pk]),
        reverse("catalog:listing-create", args=[product.pk]),
        reverse("catalog:listing-edit", args=[world["listing"].pk]),
        reverse("catalog:certification-list"),
        reverse("catalog:certification-create"),
        reverse("catalog:certification-edit", args=[world["certification"].pk]),
        reverse("catalog:review-queue"),
        reverse("catalog:floor-plan"),
        reverse("catalog:display-qr", args=[world["display"].pk]),
        reverse("catalog:showcase"),
        reverse("catalog:showcase-cooperative", args=[cooperative.slug]),
        reverse("catalog:showcase-product", args=[world["display"].product.slug]),
    ]


def test_staff_open_every_page(staff_client, world, cooperative):
    for url in pages(world, cooperative):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    detail = staff_client.get(reverse("catalog:product-detail", args=[world["product"].pk]))
    assert b"Record the decision" in detail.content


def test_the_menu_offers_each_role_its_pages(anonymous, coop_client, staff_client):
    def menu(client):
        return {item["label"] for item in client.get("/").context["nav_items"]}

    assert {"Showcase", "Showroom", "Register a cooperative"} <= menu(anonymous)
    assert "Products" not in menu(anonymous)
    assert {"My cooperative", "Products", "Certifications"} <= menu(coop_client)
    assert "Product reviews" not in menu(coop_client)
    assert {"Cooperatives", "Product reviews", "Products"} <= menu(staff_client)


def test_a_member_is_led_to_their_cooperative(coop_client, cooperative):
    response = coop_client.get(reverse("cooperatives:mine"))
    assert response.url == reverse("cooperatives:detail", args=[cooperative.pk])
