"""Listing addresses are public "Buy on ..." links: https on the listing's platform's own site,
checked the same way by the model, the cooperative's listing form, the admin and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Platform, PlatformListing
from catalog.platform_urls import platform_of_url, validate_platform_url
from tests.catalog.factories import PlatformListingFactory, ProductFactory

ACCEPTED = [
    (Platform.TIKTOK_SHOP, "https://shop.tiktok.com/view/product/1729384756?region=VN"),
    (Platform.TIKTOK_SHOP, "https://vt.tiktok.com/ZSabc123/"),
    (Platform.TIKTOK_SHOP, "https://www.tiktok.com/@gialai.coffee/live"),
    (Platform.TIKTOK_SHOP, "https://TikTok.com/@gialai.coffee"),
    (Platform.DOUYIN, "https://v.douyin.com/iRNBho6u/"),
    (Platform.DOUYIN, "https://live.douyin.com/428764021753"),
    (Platform.DOUYIN, "https://haohuo.jinritemai.com/views/product/item2?id=3651234567"),
    (Platform.SHOPEE, "https://shopee.vn/Ca-phe-Chu-Se-i.12345.67890"),
    (Platform.SHOPEE, "https://shopee.co.th/product/1/2"),
    (Platform.SHOPEE, "https://shopee.com.my/product/1/2"),
    (Platform.SHOPEE, "https://shopee.co.id/product/1/2"),
    (Platform.SHOPEE, "https://shopee.ph/product/1/2"),
    (Platform.SHOPEE, "https://shopee.sg/product/1/2"),
    (Platform.SHOPEE, "https://shopee.tw/product/1/2"),
    (Platform.SHOPEE, "https://shp.ee/abc123"),
    (Platform.LAZADA, "https://www.lazada.vn/products/ca-phe-i123-s456.html"),
    (Platform.LAZADA, "https://s.lazada.vn/s.abc12"),
    (Platform.LAZADA, "https://www.lazada.co.th/products/x.html"),
    (Platform.LAZADA, "https://www.lazada.com.ph/products/x.html"),
    (Platform.LAZADA, "https://www.lazada.com.my/products/x.html"),
    (Platform.LAZADA, "https://www.lazada.co.id/products/x.html"),
    (Platform.LAZADA, "https://www.lazada.sg/products/x.html"),
    (Platform.FACEBOOK, "https://www.facebook.com/gialaiocop/live"),
    (Platform.FACEBOOK, "https://fb.watch/abcDEF/"),
    (Platform.TIKTOK_SHOP, "https://shop.tiktok.com:443/view/product/1"),
]

REFUSED = [
    # Plain http, other schemes.
    (Platform.TIKTOK_SHOP, "http://shop.tiktok.com/view/product/1"),
    (Platform.TIKTOK_SHOP, "javascript:alert(1)//tiktok.com"),
    (Platform.TIKTOK_SHOP, "ftp://tiktok.com/"),
    # Look-alike hosts.
    (Platform.TIKTOK_SHOP, "https://tiktok.com.example.org/p/1"),
    (Platform.TIKTOK_SHOP, "https://evil-tiktok.com/p/1"),
    (Platform.TIKTOK_SHOP, "https://tiktok.co/p/1"),
    (Platform.SHOPEE, "https://shopee.vn.example.org/p/1"),
    (Platform.SHOPEE, "https://myshopee.vn/p/1"),
    (Platform.LAZADA, "https://lazada.com/p/1"),
    # A user name in front of the host, or a backslash browsers read as a slash.
    (Platform.TIKTOK_SHOP, "https://tiktok.com@example.org/p/1"),
    (Platform.TIKTOK_SHOP, "https://example.org\\@tiktok.com/p/1"),
    # Another port, spaces, non-ASCII look-alike letters.
    (Platform.TIKTOK_SHOP, "https://shop.tiktok.com:8443/p/1"),
    (Platform.TIKTOK_SHOP, "https://shop.tiktok.com /p/1"),
    (Platform.TIKTOK_SHOP, "https://shop.tіktok.com/p/1"),
    # Another platform's own site.
    (Platform.SHOPEE, "https://shop.tiktok.com/view/product/1"),
    (Platform.DOUYIN, "https://www.tiktok.com/@someone"),
    (Platform.FACEBOOK, "https://shopee.vn/p/1"),
]


@pytest.mark.parametrize(("platform", "url"), ACCEPTED)
def test_addresses_on_the_platforms_own_sites_are_accepted(platform, url):
    validate_platform_url(url, platform=platform)
    assert platform_of_url(url) == platform


@pytest.mark.parametrize(("platform", "url"), REFUSED)
def test_other_addresses_are_refused(platform, url):
    with pytest.raises(ValidationError):
        validate_platform_url(url, platform=platform)


def test_an_empty_address_is_accepted_since_the_field_is_optional():
    validate_platform_url("", platform=Platform.SHOPEE)


def test_with_no_platform_known_any_platforms_site_is_accepted_and_no_other():
    validate_platform_url("https://shopee.vn/p/1", platform=None)
    with pytest.raises(ValidationError):
        validate_platform_url("https://example.org/live", platform=None)


def test_the_other_platform_accepts_any_https_address_but_still_only_https():
    validate_platform_url("https://shop.example.org/p/1", platform=Platform.OTHER)
    with pytest.raises(ValidationError):
        validate_platform_url("http://shop.example.org/p/1", platform=Platform.OTHER)


def test_the_refusal_names_the_platform_and_its_domains():
    with pytest.raises(ValidationError) as refused:
        validate_platform_url("https://example.org/p", platform=Platform.SHOPEE)
    message = " ".join(refused.value.messages)
    assert "Shopee" in message
    assert "shopee.vn" in message


@pytest.mark.django_db
def test_the_model_refuses_a_listing_address_off_its_platform():
    listing = PlatformListingFactory.build(
        product=ProductFactory(),
        platform=Platform.SHOPEE,
        url="https://shop.tiktok.com/view/product/1",
    )
    with pytest.raises(ValidationError) as refused:
        listing.full_clean()
    assert "url" in refused.value.message_dict
    listing.url = "https://shopee.vn/p-i.1.2"
    listing.full_clean()


# --- The cooperative's listing form ------------------------------------------------------


def _listing_post(**overrides):
    return {
        "platform": Platform.TIKTOK_SHOP,
        "channel": "",
        "external_product_id": "1729384756",
        "sku_id": "1729384756001",
        "seller_sku": "CS-COFFEE-500",
        "url": "https://shop.tiktok.com/view/product/1729384756",
        **overrides,
    }


def test_a_member_saves_a_listing_with_its_product_page(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    response = coop_client.post(
        reverse("catalog:listing-create", args=[product.pk]), _listing_post()
    )
    assert response.status_code == 302
    listing = PlatformListing.objects.get(product=product)
    assert listing.url == "https://shop.tiktok.com/view/product/1729384756"
    page = coop_client.get(reverse("catalog:product-detail", args=[product.pk])).content.decode()
    assert 'href="https://shop.tiktok.com/view/product/1729384756"' in page


def test_the_listing_form_refuses_a_look_alike_address(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    response = coop_client.post(
        reverse("catalog:listing-create", args=[product.pk]),
        _listing_post(url="https://tiktok.com.example.org/view/product/1"),
    )
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not PlatformListing.objects.filter(product=product).exists()


def test_the_listing_form_checks_the_address_against_the_platform_chosen(coop_client, cooperative):
    listing = PlatformListingFactory(
        product=ProductFactory(cooperative=cooperative), platform=Platform.TIKTOK_SHOP
    )
    response = coop_client.post(
        reverse("catalog:listing-edit", args=[listing.pk]),
        _listing_post(
            platform=Platform.SHOPEE,
            sku_id=listing.sku_id,
            seller_sku=listing.seller_sku,
            url="https://shop.tiktok.com/view/product/1",
        ),
    )
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    listing.refresh_from_db()
    assert listing.platform == Platform.TIKTOK_SHOP


def test_the_admin_listing_inline_refuses_an_address_off_the_platform(staff_client):
    listing = PlatformListingFactory(platform=Platform.LAZADA)
    response = staff_client.post(
        reverse("admin:catalog_platformlisting_change", args=[listing.pk]),
        {
            "product": listing.product_id,
            "platform": Platform.LAZADA,
            "channel": "",
            "external_product_id": "",
            "sku_id": listing.sku_id,
            "seller_sku": listing.seller_sku,
            "url": "https://shopee.vn/p-i.1.2",
        },
    )
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    listing.refresh_from_db()
    assert listing.url == ""


# --- The API -----------------------------------------------------------------------------


def test_the_api_stores_and_returns_a_listing_address(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    response = coop_client.post(
        "/api/v1/listings/",
        {
            "product": product.pk,
            "platform": Platform.SHOPEE,
            "seller_sku": "CS-500",
            "url": "https://shopee.vn/Ca-phe-i.1.2",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"] == "https://shopee.vn/Ca-phe-i.1.2"
    assert PlatformListing.objects.get(pk=response.json()["id"]).url.startswith("https://shopee")


def test_the_api_refuses_an_address_off_the_platform_with_a_field_error(coop_client, cooperative):
    listing = PlatformListingFactory(
        product=ProductFactory(cooperative=cooperative), platform=Platform.DOUYIN
    )
    response = coop_client.patch(
        f"/api/v1/listings/{listing.pk}/",
        {"url": "https://www.tiktok.com/@someone"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "url" in response.json()
    listing.refresh_from_db()
    assert listing.url == ""


def test_changing_the_platform_alone_rechecks_the_stored_address(coop_client, cooperative):
    listing = PlatformListingFactory(
        product=ProductFactory(cooperative=cooperative),
        platform=Platform.DOUYIN,
        url="https://v.douyin.com/iRNBho6u/",
    )
    response = coop_client.patch(
        f"/api/v1/listings/{listing.pk}/",
        {"platform": Platform.SHOPEE},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "url" in response.json()
