"""The catalogue and cooperatives API: staff create and update everything, members act on their
own rows only and cannot set cooperative, status or reviewer fields (S9)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Certification, Display, PlatformListing, Product, Zone
from cooperatives.models import Cooperative
from tests.catalog.factories import (
    BaseFactory,
    CategoryFactory,
    DisplaySlotFactory,
    PlatformListingFactory,
    ProductFactory,
    add_photo,
    image_bytes,
)

pytestmark = pytest.mark.django_db


def product_payload(**overrides) -> dict:
    payload = {
        "name": "Ia Grai black pepper",
        "category": CategoryFactory().pk,
        "price": "85000",
        "currency": "VND",
        "unit": "bag",
        "net_weight_grams": 250,
    }
    payload.update(overrides)
    return payload


def test_a_member_creates_a_draft_for_their_own_cooperative(coop_client, cooperative):
    response = coop_client.post(
        "/api/v1/products/",
        product_payload(cooperative=cooperative.pk, status="approved"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    product = Product.objects.get()
    assert product.cooperative == cooperative
    assert product.status == Product.Status.DRAFT
    assert response.json()["status"] == "draft"


def test_a_member_cannot_create_for_another_cooperative(coop_client, other_cooperative):
    response = coop_client.post(
        "/api/v1/products/",
        product_payload(cooperative=other_cooperative.pk),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cooperative" in response.json()
    assert not Product.objects.exists()


def test_a_member_cannot_move_a_product_or_set_its_status(
    coop_client, cooperative, other_cooperative
):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    response = coop_client.patch(
        f"/api/v1/products/{product.pk}/",
        {"cooperative": other_cooperative.pk, "status": "approved", "name": "Renamed"},
        content_type="application/json",
    )
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.cooperative == cooperative
    assert product.status == Product.Status.DRAFT
    assert product.name == "Renamed"


def test_a_member_cannot_set_a_cooperatives_status_or_reviewer(
    coop_client, cooperative, bureau_staff
):
    Cooperative.objects.filter(pk=cooperative.pk).update(status=Cooperative.Status.REJECTED)
    response = coop_client.patch(
        f"/api/v1/cooperatives/{cooperative.pk}/",
        {
            "status": "approved",
            "reviewed_by": bureau_staff.pk,
            "status_reason": "",
            "phone": "0123",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.REJECTED
    assert cooperative.reviewed_by is None
    assert cooperative.phone == "0123"


def test_a_member_cannot_create_a_cooperative_through_the_api(coop_client):
    response = coop_client.post(
        "/api/v1/cooperatives/",
        {"name": "Mine", "province": "Gia Lai", "contact_name": "X", "email": "x@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_member_cannot_list_a_product_of_another_cooperative(coop_client, other_cooperative):
    theirs = ProductFactory(cooperative=other_cooperative)
    response = coop_client.post(
        "/api/v1/listings/",
        {"product": theirs.pk, "platform": "shopee", "seller_sku": "STOLEN"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not PlatformListing.objects.exists()


def test_a_member_cannot_certify_another_cooperative_or_its_product(
    coop_client, cooperative, other_cooperative
):
    theirs = ProductFactory(cooperative=other_cooperative)
    base = {"kind": "organic", "valid_from": "2026-01-01"}
    for payload in (
        {**base, "cooperative": other_cooperative.pk},
        {**base, "cooperative": cooperative.pk, "product": theirs.pk},
    ):
        response = coop_client.post(
            "/api/v1/certifications/", payload, content_type="application/json"
        )
        assert response.status_code == 400
    assert not Certification.objects.exists()


def test_staff_create_and_update_every_resource(staff_client, cooperative):
    created = staff_client.post(
        "/api/v1/cooperatives/",
        {
            "name": "Dak Doa Rice Cooperative",
            "province": "Gia Lai",
            "contact_name": "Siu H'Mai",
            "email": "rice@example.org",
            "status": "approved",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    new_cooperative = Cooperative.objects.get(name="Dak Doa Rice Cooperative")
    assert new_cooperative.status == Cooperative.Status.PENDING
    reviewed = staff_client.post(
        f"/api/v1/cooperatives/{new_cooperative.pk}/review/",
        {"decision": "approved"},
        content_type="application/json",
    )
    assert reviewed.json()["status"] == "approved"

    product = staff_client.post(
        "/api/v1/products/",
        product_payload(cooperative=cooperative.pk),
        content_type="application/json",
    ).json()
    assert (
        staff_client.patch(
            f"/api/v1/products/{product['id']}/",
            {"price": "90000"},
            content_type="application/json",
        ).json()["price"]
        == "90000.00"
    )
    listing = staff_client.post(
        "/api/v1/listings/",
        {"product": product["id"], "platform": "tiktok_shop", "sku_id": "1729"},
        content_type="application/json",
    )
    assert listing.status_code == 201, listing.json()
    certification = staff_client.post(
        "/api/v1/certifications/",
        {"cooperative": cooperative.pk, "kind": "ocop", "stars": 4, "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    assert certification.status_code == 201, certification.json()
    # Zones belong to a base; with only one, a zone that names none goes to it.
    BaseFactory()
    zone = staff_client.post(
        "/api/v1/zones/",
        {"floor": 1, "code": "F1-EX", "name": "Exhibition", "kind": "exhibition"},
        content_type="application/json",
    )
    assert zone.status_code == 201
    slot = staff_client.post(
        "/api/v1/display-slots/",
        {"zone": zone.json()["id"], "code": "F1-A-01"},
        content_type="application/json",
    )
    assert slot.status_code == 201
    display = staff_client.post(
        "/api/v1/displays/",
        {
            "slot": slot.json()["id"],
            "product": product["id"],
            "starts_at": "2026-01-01T08:00:00Z",
        },
        content_type="application/json",
    )
    assert display.status_code == 201, display.json()
    assert (
        staff_client.patch(
            f"/api/v1/zones/{zone.json()['id']}/", {"name": "Hall"}, content_type="application/json"
        ).json()["name"]
        == "Hall"
    )
    assert Zone.objects.get().name == "Hall"
    assert Display.objects.count() == 1


def test_a_second_display_in_an_occupied_slot_is_refused(staff_client):
    slot = DisplaySlotFactory()
    first, second = ProductFactory(), ProductFactory()
    for product, expected in ((first, 201), (second, 400)):
        response = staff_client.post(
            "/api/v1/displays/",
            {"slot": slot.pk, "product": product.pk, "starts_at": "2026-01-01T08:00:00Z"},
            content_type="application/json",
        )
        assert response.status_code == expected


def test_the_product_workflow_through_the_api(
    coop_client, staff_client, cooperative, django_capture_on_commit_callbacks
):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        photo = coop_client.post(
            f"/api/v1/products/{product.pk}/photos/",
            {"image": SimpleUploadedFile("p.png", image_bytes("PNG"))},
        )
    assert photo.status_code == 201, photo.json()
    refused = coop_client.post(
        f"/api/v1/products/{product.pk}/photos/",
        {"image": SimpleUploadedFile("p.jpg", b"text, not a photo")},
    )
    assert refused.status_code == 400
    assert "not a photo" in refused.json()["image"][0]
    assert coop_client.post(f"/api/v1/products/{product.pk}/submit/").json()["status"] == (
        "submitted"
    )
    rejected = staff_client.post(
        f"/api/v1/products/{product.pk}/review/",
        {"decision": "rejected"},
        content_type="application/json",
    )
    assert rejected.status_code == 400
    approved = staff_client.post(
        f"/api/v1/products/{product.pk}/review/",
        {"decision": "approved"},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved"
    assert approved.json()["images"][0]["thumbnail_url"]


def test_lists_filter(staff_client, cooperative, other_cooperative):
    ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    ProductFactory(cooperative=other_cooperative)
    listing = PlatformListingFactory(seller_sku="FIND-ME")
    assert staff_client.get("/api/v1/products/?status=draft").json()["count"] == 1
    assert (
        staff_client.get(f"/api/v1/products/?cooperative={other_cooperative.pk}").json()["count"]
        == 1
    )
    found = staff_client.get("/api/v1/listings/?seller_sku=FIND-ME").json()
    assert [row["id"] for row in found["results"]] == [listing.pk]


def test_certifications_filter_by_current(staff_client, cooperative):
    today = datetime.date.today()
    Certification.objects.create(
        cooperative=cooperative,
        kind="organic",
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=1),
    )
    Certification.objects.create(cooperative=cooperative, kind="vietgap", valid_from=today)
    current = staff_client.get("/api/v1/certifications/?current=true").json()
    assert [row["kind"] for row in current["results"]] == ["vietgap"]


def test_a_host_sees_approved_products_only(host_user, cooperative):
    from tests.conftest import client_for

    ProductFactory(cooperative=cooperative, name="Shown")
    ProductFactory(cooperative=cooperative, name="Hidden", status=Product.Status.DRAFT)
    add_photo(Product.objects.get(name="Shown"))
    names = [
        row["name"] for row in client_for(host_user).get("/api/v1/products/").json()["results"]
    ]
    assert names == ["Shown"]
