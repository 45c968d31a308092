"""The public showcase: approved products of approved cooperatives, current certifications only."""

import datetime

import pytest
from django.urls import reverse

from catalog.models import Product
from catalog.signals import UpcomingSession, upcoming_session_wanted
from cooperatives.models import Cooperative
from tests.catalog.factories import (
    CategoryFactory,
    CertificationFactory,
    ProductFactory,
    add_photo,
)
from tests.cooperatives.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {product.name for product in response.context["page"]}


def test_the_showcase_hides_unapproved_products_and_cooperatives(anonymous, cooperative):
    ProductFactory(cooperative=cooperative, name="Shown")
    for status in ("draft", "submitted", "changes_requested", "rejected", "archived"):
        ProductFactory(cooperative=cooperative, name=f"Hidden {status}", status=status)
    pending = CooperativeFactory(status=Cooperative.Status.PENDING)
    ProductFactory(cooperative=pending, name="Hidden: cooperative pending")
    response = anonymous.get(reverse("catalog:showcase"))
    assert response.status_code == 200
    assert names(response) == {"Shown"}
    assert anonymous.get(reverse("catalog:showcase-product", args=["product-x"])).status_code == 404
    hidden = Product.objects.get(name="Hidden draft")
    assert anonymous.get(reverse("catalog:showcase-product", args=[hidden.slug])).status_code == 404
    hidden = Product.objects.get(name="Hidden: cooperative pending")
    assert anonymous.get(reverse("catalog:showcase-product", args=[hidden.slug])).status_code == 404
    assert (
        anonymous.get(reverse("catalog:showcase-cooperative", args=[pending.slug])).status_code
        == 404
    )


def test_expired_certifications_do_not_show(anonymous, cooperative):
    today = datetime.date.today()
    product = ProductFactory(cooperative=cooperative)
    CertificationFactory(
        cooperative=cooperative,
        product=product,
        stars=5,
        valid_until=today - datetime.timedelta(days=1),
    )
    CertificationFactory(
        cooperative=cooperative, product=product, kind="vietgap", stars=None, valid_until=None
    )
    page = anonymous.get(reverse("catalog:showcase-product", args=[product.slug]))
    assert "VietGAP" in page.content.decode()
    assert "★★★★★" not in page.content.decode()
    listing = anonymous.get(reverse("catalog:showcase"))
    assert "★★★★★" not in listing.content.decode()
    assert names(anonymous.get(reverse("catalog:showcase"), {"stars": 5})) == set()
    assert names(anonymous.get(reverse("catalog:showcase"), {"certification": "vietgap"})) == {
        product.name
    }


def test_the_showcase_filters_by_category_origin_certification_and_stars(
    anonymous, cooperative, other_cooperative
):
    coffee, pepper = CategoryFactory(slug="coffee"), CategoryFactory(slug="pepper")
    beans = ProductFactory(
        cooperative=cooperative, category=coffee, name="Beans", origin_province="Gia Lai"
    )
    ProductFactory(
        cooperative=other_cooperative, category=pepper, name="Pepper", origin_province="Kon Tum"
    )
    CertificationFactory(cooperative=cooperative, product=beans, stars=4)
    # A cooperative-wide certification covers all its products.
    CertificationFactory(cooperative=other_cooperative, kind="organic", stars=None)
    showcase = reverse("catalog:showcase")
    assert names(anonymous.get(showcase, {"category": "coffee"})) == {"Beans"}
    assert names(anonymous.get(showcase, {"origin": "Kon Tum"})) == {"Pepper"}
    assert names(anonymous.get(showcase, {"stars": 4})) == {"Beans"}
    assert names(anonymous.get(showcase, {"stars": 3})) == set()
    assert names(anonymous.get(showcase, {"certification": "organic"})) == {"Pepper"}
    assert names(anonymous.get(showcase, {"stars": "nonsense", "certification": "x"})) == {
        "Beans",
        "Pepper",
    }


def test_the_product_page_shows_photos_and_the_cooperative_profile(anonymous, cooperative):
    product = ProductFactory(cooperative=cooperative, description="Roasted at home.")
    photo = add_photo(product)
    page = anonymous.get(reverse("catalog:showcase-product", args=[product.slug])).content.decode()
    assert photo.image.url in page
    assert "Roasted at home." in page
    assert reverse("catalog:showcase-cooperative", args=[cooperative.slug]) in page
    profile = anonymous.get(reverse("catalog:showcase-cooperative", args=[cooperative.slug]))
    assert product.name in profile.content.decode()


def test_the_product_page_shows_no_session_when_no_receiver_is_connected(anonymous, monkeypatch):
    monkeypatch.setattr(upcoming_session_wanted, "receivers", [])
    product = ProductFactory()
    page = anonymous.get(reverse("catalog:showcase-product", args=[product.slug]))
    assert page.context["upcoming_session"] is None
    assert b"Next live sale" not in page.content


def test_the_product_page_shows_the_next_session_a_receiver_gives(anonymous):
    wanted = ProductFactory()
    starts = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)

    def later(sender, *, product, **kwargs):
        return UpcomingSession(title="Later", starts_at=starts + datetime.timedelta(days=1))

    def sooner(sender, product, **kwargs):
        if product.pk != wanted.pk:
            return None
        return UpcomingSession(title="Gia Lai megalive", starts_at=starts, channel="TikTok")

    def broken(sender, **kwargs):
        raise RuntimeError("provider down")

    for receiver in (later, sooner, broken):
        upcoming_session_wanted.connect(receiver)
    try:
        page = anonymous.get(reverse("catalog:showcase-product", args=[wanted.slug]))
    finally:
        for receiver in (later, sooner, broken):
            upcoming_session_wanted.disconnect(receiver)
    assert page.status_code == 200
    assert b"Next live sale" in page.content
    assert b"Gia Lai megalive" in page.content
    assert b"Later" not in page.content


def test_the_showcase_page_is_built_for_phones(anonymous):
    ProductFactory()
    page = anonymous.get(reverse("catalog:showcase")).content.decode()
    assert 'name="viewport"' in page
    assert "css/catalog.css" in page
    assert "product-grid" in page
