"""Who may see and change what (RELIABILITY.md S7, S9): a member of cooperative B never reaches
cooperative A's objects (404, and 0 rows in lists); an official reads but changes nothing."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Certification, PlatformListing, Product, ProductImage
from cooperatives.models import Cooperative
from tests.catalog.factories import (
    CertificationFactory,
    PlatformListingFactory,
    ProductFactory,
    add_photo,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects_of_a(cooperative):
    """Cooperative A's objects: a draft product with a photo, a listing, a certification."""
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT, name="A beans")
    return {
        "cooperative": cooperative,
        "product": product,
        "photo": add_photo(product),
        "listing": PlatformListingFactory(product=product),
        "certification": CertificationFactory(
            cooperative=cooperative,
            product=product,
            document=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        ),
    }


def web_routes(objects) -> list[tuple[str, str]]:
    """Every page and form of the cooperative area that names one of A's objects."""
    cooperative, product = objects["cooperative"].pk, objects["product"].pk
    photo, listing = objects["photo"].pk, objects["listing"].pk
    certification = objects["certification"].pk
    return [
        ("get", reverse("cooperatives:detail", args=[cooperative])),
        ("get", reverse("cooperatives:edit", args=[cooperative])),
        ("post", reverse("cooperatives:edit", args=[cooperative])),
        ("post", reverse("cooperatives:resubmit", args=[cooperative])),
        ("post", reverse("cooperatives:invite", args=[cooperative])),
        ("get", reverse("catalog:product-detail", args=[product])),
        ("get", reverse("catalog:product-edit", args=[product])),
        ("post", reverse("catalog:product-edit", args=[product])),
        ("post", reverse("catalog:product-submit", args=[product])),
        ("post", reverse("catalog:product-archive", args=[product])),
        ("post", reverse("catalog:product-reopen", args=[product])),
        ("post", reverse("catalog:photo-add", args=[product])),
        ("post", reverse("catalog:photo-primary", args=[photo])),
        ("post", reverse("catalog:photo-move", args=[photo])),
        ("post", reverse("catalog:photo-delete", args=[photo])),
        ("get", reverse("catalog:listing-create", args=[product])),
        ("post", reverse("catalog:listing-create", args=[product])),
        ("get", reverse("catalog:listing-edit", args=[listing])),
        ("post", reverse("catalog:listing-edit", args=[listing])),
        ("post", reverse("catalog:listing-delete", args=[listing])),
        ("get", reverse("catalog:certification-edit", args=[certification])),
        ("post", reverse("catalog:certification-edit", args=[certification])),
        ("get", reverse("catalog:certification-document", args=[certification])),
    ]


def api_routes(objects) -> list[tuple[str, str]]:
    cooperative, product = objects["cooperative"].pk, objects["product"].pk
    listing, certification = objects["listing"].pk, objects["certification"].pk
    routes = []
    for base, pk in (
        ("/api/v1/cooperatives/", cooperative),
        ("/api/v1/products/", product),
        ("/api/v1/listings/", listing),
        ("/api/v1/certifications/", certification),
    ):
        routes += [("get", f"{base}{pk}/"), ("patch", f"{base}{pk}/"), ("put", f"{base}{pk}/")]
    routes += [
        ("delete", f"/api/v1/listings/{listing}/"),
        ("post", f"/api/v1/products/{product}/submit/"),
        ("post", f"/api/v1/products/{product}/archive/"),
        ("post", f"/api/v1/products/{product}/photos/"),
        ("post", f"/api/v1/cooperatives/{cooperative}/resubmit/"),
    ]
    return routes


def snapshot(objects) -> dict:
    return {
        "cooperative": Cooperative.objects.filter(pk=objects["cooperative"].pk).values().get(),
        "product": Product.objects.filter(pk=objects["product"].pk).values().get(),
        "photos": list(ProductImage.objects.values("pk", "is_primary")),
        "listings": list(PlatformListing.objects.values()),
        "certifications": list(Certification.objects.values()),
    }


def hostile_payload() -> dict:
    return {
        "name": "Taken over",
        "price": "1",
        "currency": "VND",
        "sku_id": "999",
        "platform": "shopee",
        "email": "attacker@example.org",
        "decision": "approved",
        "image": SimpleUploadedFile("x.jpg", image_bytes()),
    }


def call(client, method, url):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    if url.startswith("/api/") and method in ("put", "patch"):
        payload = {k: v for k, v in hostile_payload().items() if k != "image"}
        return getattr(client, method)(url, json.dumps(payload), content_type="application/json")
    return getattr(client, method)(url, hostile_payload())


def test_a_member_of_b_gets_404_on_every_page_and_form_of_a(other_coop_client, objects_of_a):
    before = snapshot(objects_of_a)
    for method, url in web_routes(objects_of_a):
        response = call(other_coop_client, method, url)
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(objects_of_a) == before


def test_a_member_of_b_gets_404_on_every_api_endpoint_of_a(other_coop_client, objects_of_a):
    before = snapshot(objects_of_a)
    for method, url in api_routes(objects_of_a):
        response = call(other_coop_client, method, url)
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(objects_of_a) == before


def test_a_member_of_a_reaches_its_own_objects(coop_client, objects_of_a):
    for method, url in web_routes(objects_of_a):
        if method == "get":
            assert call(coop_client, method, url).status_code == 200, url
    for method, url in api_routes(objects_of_a):
        if method == "get":
            assert call(coop_client, method, url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cooperatives/",
        "/api/v1/products/",
        "/api/v1/listings/",
        "/api/v1/certifications/",
    ],
)
def test_a_member_of_b_sees_none_of_a_in_api_lists(
    other_coop_client, coop_client, objects_of_a, url
):
    # The positive control: A's own member finds A's rows in the same list, and none of
    # them is in B's.
    own_ids = {row["id"] for row in coop_client.get(url).json()["results"]}
    assert own_ids
    response = other_coop_client.get(url)
    assert not own_ids & {row["id"] for row in response.json()["results"]}
    assert response.status_code == 200
    body = json.dumps(response.json())
    assert response.json()["count"] in (0, 1)  # B's own cooperative only
    assert "A beans" not in body
    assert "Chu Se Coffee" not in body


def test_a_member_of_b_sees_none_of_a_in_page_lists(other_coop_client, coop_client, objects_of_a):
    for name in ("catalog:product-list", "catalog:certification-list", "cooperatives:list"):
        # The positive control: A's own member finds A's rows on the same page.
        own = coop_client.get(reverse(name)).content
        assert b"A beans" in own or b"Chu Se Coffee" in own
        response = other_coop_client.get(reverse(name))
        assert response.status_code == 200
        assert b"A beans" not in response.content
        assert b"Chu Se Coffee" not in response.content


def test_an_official_reads_but_changes_nothing_through_the_api(official_client, objects_of_a):
    before = snapshot(objects_of_a)
    for method, url in api_routes(objects_of_a):
        response = call(official_client, method, url)
        expected = 200 if method == "get" else 403
        assert response.status_code == expected, (method, url, response.status_code)
    for url in ("/api/v1/products/", "/api/v1/listings/", "/api/v1/certifications/"):
        assert official_client.post(url, {}).status_code == 403
    assert snapshot(objects_of_a) == before


def test_an_official_changes_nothing_through_the_pages(official_client, objects_of_a):
    before = snapshot(objects_of_a)
    for method, url in web_routes(objects_of_a):
        response = call(official_client, method, url)
        if method == "post":
            assert response.status_code in (403, 404), (url, response.status_code)
    assert official_client.get(reverse("catalog:product-create")).status_code == 404
    assert official_client.post(reverse("catalog:product-create"), {}).status_code == 404
    assert snapshot(objects_of_a) == before


def test_only_staff_review(coop_client, official_client, objects_of_a):
    product = objects_of_a["product"]
    Product.objects.filter(pk=product.pk).update(status=Product.Status.SUBMITTED)
    cooperative = objects_of_a["cooperative"]
    Cooperative.objects.filter(pk=cooperative.pk).update(status=Cooperative.Status.PENDING)
    for client in (coop_client, official_client):
        client.post(reverse("catalog:product-review", args=[product.pk]), {"decision": "approved"})
        client.post(reverse("cooperatives:review", args=[cooperative.pk]), {"decision": "approved"})
        client.post(f"/api/v1/products/{product.pk}/review/", {"decision": "approved"})
        client.post(f"/api/v1/cooperatives/{cooperative.pk}/review/", {"decision": "approved"})
    product.refresh_from_db()
    cooperative.refresh_from_db()
    assert product.status == Product.Status.SUBMITTED
    assert cooperative.status == Cooperative.Status.PENDING


def test_anonymous_api_requests_are_refused(anonymous, objects_of_a):
    for url in ("/api/v1/products/", "/api/v1/cooperatives/", "/api/v1/zones/"):
        assert anonymous.get(url).status_code in (401, 403)


def test_anonymous_visitors_are_sent_to_sign_in_from_the_area(anonymous, objects_of_a):
    response = anonymous.get(reverse("catalog:product-detail", args=[objects_of_a["product"].pk]))
    assert response.status_code == 302
    assert reverse("login") in response.url


# Routes naming an object that are not in the cooperative area, and why.
OUTSIDE_THE_AREA = {
    "cooperatives:review": "bureau staff only: 404 for everyone else (test_only_staff_review)",
    "cooperatives:accept-invitation": "keyed by an unguessable token, not an object id",
    "catalog:product-review": "bureau staff only (test_only_staff_review)",
    "catalog:showcase-product": "public page of approved products",
    "catalog:showcase-cooperative": "public page of approved cooperatives",
    "catalog:display-end": "bureau staff only (test_visitors_and_members_cannot_manage_displays)",
    "catalog:display-qr": "public: leads visitors to the product page",
    "catalog:display-qr-svg": "public: leads visitors to the product page",
}


def test_every_route_naming_an_object_is_in_the_table(objects_of_a):
    """A meta-test: a new route with an id or slug must join web_routes or OUTSIDE_THE_AREA."""
    from django.urls import resolve

    from catalog.urls import urlpatterns as catalog_patterns
    from cooperatives.urls import urlpatterns as cooperative_patterns

    covered = {
        f"{match.namespace}:{match.url_name}"
        for match in (resolve(url) for _method, url in web_routes(objects_of_a))
    }
    for namespace, patterns in (
        ("catalog", catalog_patterns),
        ("cooperatives", cooperative_patterns),
    ):
        for pattern in patterns:
            name = f"{namespace}:{pattern.name}"
            if pattern.pattern.converters:
                assert name in covered or name in OUTSIDE_THE_AREA, name


def test_every_api_collection_is_in_the_table(objects_of_a):
    from catalog.api.urls import router as catalog_router
    from cooperatives.api.urls import router as cooperative_router

    scoped = {url.split("/")[3] for _method, url in api_routes(objects_of_a)}
    shared_showroom = {"zones", "display-slots", "displays"}  # the same for every role
    for router in (catalog_router, cooperative_router):
        for prefix, _viewset, _basename in router.registry:
            assert prefix in scoped or prefix in shared_showroom, prefix
