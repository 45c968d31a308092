"""A product goes from draft, with photos, through review to the showcase; every decision kept."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog import services
from catalog.models import Product, ProductImage, ProductReview
from tests.catalog.factories import CategoryFactory, ProductFactory, add_photo, image_bytes

pytestmark = pytest.mark.django_db


def product_data(**overrides) -> dict:
    data = {
        "category": CategoryFactory(slug="coffee", name="Coffee").pk,
        "name": "Chu Se Robusta roasted beans",
        "description": "Roasted at the cooperative.",
        "origin_province": "Gia Lai",
        "origin_district": "Chư Sê",
        "origin_commune": "Ia Blang",
        "unit": "bag",
        "net_weight_grams": "500",
        "price": "165000",
        "currency": "VND",
        "seasonality": "All year",
        "monthly_capacity": "800",
    }
    data.update(overrides)
    return data


def test_a_product_goes_from_draft_to_approval_with_a_photo_thumbnailed_by_the_worker(
    coop_client, staff_client, cooperative, bureau_staff, django_capture_on_commit_callbacks
):
    response = coop_client.post(reverse("catalog:product-create"), product_data())
    product = Product.objects.get()
    assert response.status_code == 302
    assert product.cooperative == cooperative
    assert product.status == Product.Status.DRAFT
    assert product.price == Decimal("165000")

    with django_capture_on_commit_callbacks(execute=True):
        coop_client.post(
            reverse("catalog:photo-add", args=[product.pk]),
            {
                "image": SimpleUploadedFile("beans.jpg", image_bytes("JPEG", size=(1600, 1200))),
                "alt_text": "A bag of beans",
            },
        )
    photo = ProductImage.objects.get()
    assert photo.is_primary
    assert photo.thumbnail.name.startswith("products/thumbnails/")
    assert photo.display_url == photo.thumbnail.url

    with django_capture_on_commit_callbacks(execute=True):
        coop_client.post(reverse("catalog:product-submit", args=[product.pk]))
    product.refresh_from_db()
    assert product.status == Product.Status.SUBMITTED
    assert mail.outbox[-1].to == ["bureau@example.org"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("catalog:product-review", args=[product.pk]), {"decision": "approved"}
        )
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED
    # One message to each recipient, each in their own language.
    assert {address for message in mail.outbox for address in message.to} == {
        cooperative.email,
        "coop.member@example.org",
    }
    history = list(product.reviews.order_by("created_at", "pk"))
    assert [(r.action, r.from_status, r.to_status, r.actor) for r in history] == [
        ("submitted", "draft", "submitted", history[0].actor),
        ("approved", "submitted", "approved", bureau_staff),
    ]
    assert history[0].actor.username == "coop.member"
    page = coop_client.get(reverse("catalog:showcase-product", args=[product.slug]))
    assert page.status_code == 200
    assert photo.image.url.encode() in page.content


def test_the_page_shows_the_original_until_the_thumbnail_exists(cooperative):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    # Without running on-commit callbacks the worker never got the task.
    photo = add_photo(product)
    assert not photo.thumbnail
    assert photo.display_url == photo.image.url


def test_the_thumbnail_task_is_safe_to_run_twice(cooperative, django_capture_on_commit_callbacks):
    product = ProductFactory(cooperative=cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        photo = add_photo(product)
    photo.refresh_from_db()
    first = photo.thumbnail.name
    assert services.make_product_image_thumbnail(image_id=photo.pk) is False
    photo.refresh_from_db()
    assert photo.thumbnail.name == first
    assert services.make_product_image_thumbnail(image_id=987654) is False


def test_a_rejection_with_a_reason_then_changes_and_a_resubmission(
    coop_client, staff_client, cooperative, django_capture_on_commit_callbacks
):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    add_photo(product)
    coop_client.post(reverse("catalog:product-submit", args=[product.pk]))
    # A rejection needs notes.
    staff_client.post(
        reverse("catalog:product-review", args=[product.pk]), {"decision": "rejected"}
    )
    product.refresh_from_db()
    assert product.status == Product.Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("catalog:product-review", args=[product.pk]),
            {"decision": "rejected", "notes": "The net weight is missing."},
        )
    product.refresh_from_db()
    assert product.status == Product.Status.REJECTED
    assert "The net weight is missing." in mail.outbox[-1].body
    page = coop_client.get(reverse("catalog:product-detail", args=[product.pk]))
    assert b"The net weight is missing." in page.content

    coop_client.post(
        reverse("catalog:product-edit", args=[product.pk]),
        product_data(name=product.name, net_weight_grams="250"),
    )
    coop_client.post(reverse("catalog:product-submit", args=[product.pk]))
    product.refresh_from_db()
    assert product.net_weight_grams == 250
    assert product.status == Product.Status.SUBMITTED
    assert list(
        ProductReview.objects.filter(product=product)
        .order_by("created_at", "pk")
        .values_list("action", "reason")
    ) == [
        ("submitted", ""),
        ("rejected", "The net weight is missing."),
        ("submitted", ""),
    ]


def test_changes_requested_lets_the_member_edit_and_resubmit(
    coop_client, staff_client, cooperative
):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.SUBMITTED)
    staff_client.post(
        reverse("catalog:product-review", args=[product.pk]),
        {"decision": "changes_requested", "notes": "Add a photo of the label."},
    )
    product.refresh_from_db()
    assert product.status == Product.Status.CHANGES_REQUESTED
    assert product.is_editable_by_cooperative


def test_a_product_cannot_be_submitted_without_a_photo(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    response = coop_client.post(reverse("catalog:product-submit", args=[product.pk]), follow=True)
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT
    assert b"Add at least one photo" in response.content


def test_a_member_cannot_change_an_approved_product_without_reopening_it(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative, name="Approved beans")
    coop_client.post(
        reverse("catalog:product-edit", args=[product.pk]), product_data(name="Sneaky rename")
    )
    product.refresh_from_db()
    assert product.name == "Approved beans"
    coop_client.post(reverse("catalog:product-reopen", args=[product.pk]))
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_vnd_prices_are_whole_numbers(coop_client, cooperative):
    response = coop_client.post(reverse("catalog:product-create"), product_data(price="1500.50"))
    assert response.status_code == 200
    assert b"no minor unit" in response.content
    coop_client.post(reverse("catalog:product-create"), product_data(price="68.50", currency="CNY"))
    assert Product.objects.get().price == Decimal("68.50")


def test_a_member_cannot_create_a_product_for_another_cooperative(
    coop_client, cooperative, other_cooperative
):
    coop_client.post(
        reverse("catalog:product-create"), product_data(cooperative=other_cooperative.pk)
    )
    assert Product.objects.get().cooperative == cooperative


def test_photos_are_ordered_with_one_primary(cooperative):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    first, second = add_photo(product), add_photo(product)
    third = add_photo(product, make_primary=True)
    assert [p.position for p in (first, second, third)] == [0, 1, 2]
    assert list(product.images.filter(is_primary=True)) == [third]
    services.delete_product_image(photo=third)
    assert list(product.images.filter(is_primary=True)) == [first]


def test_listings_are_added_and_checked_for_duplicates(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    url = reverse("catalog:listing-create", args=[product.pk])
    data = {"platform": "tiktok_shop", "sku_id": "1729000000000001", "seller_sku": "CS-ROB-500"}
    assert coop_client.post(url, data).status_code == 302
    again = coop_client.post(url, data)
    assert again.status_code == 200
    assert product.listings.count() == 1
    empty = coop_client.post(url, {"platform": "shopee"})
    assert empty.status_code == 200
    assert product.listings.count() == 1


def test_archiving_keeps_the_history(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative)
    coop_client.post(reverse("catalog:product-archive", args=[product.pk]))
    product.refresh_from_db()
    assert product.status == Product.Status.ARCHIVED
    assert product.reviews.get().action == "archived"


def test_a_member_reorders_photos(coop_client, cooperative):
    product = ProductFactory(cooperative=cooperative, status=Product.Status.DRAFT)
    first, second, third = add_photo(product), add_photo(product), add_photo(product)
    coop_client.post(reverse("catalog:photo-move", args=[third.pk]), {"direction": "earlier"})
    order = list(product.images.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    coop_client.post(reverse("catalog:photo-move", args=[first.pk]), {"direction": "earlier"})
    order = list(product.images.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
