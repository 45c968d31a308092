"""The admin: review in bulk, the reason asked for on its own page, every decision recorded."""

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.urls import reverse

from catalog.models import Product
from cooperatives.models import Cooperative
from tests.catalog.factories import ProductFactory
from tests.cooperatives.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def test_staff_approve_submitted_products_in_bulk(
    staff_client, cooperative, django_capture_on_commit_callbacks
):
    submitted = ProductFactory.create_batch(3, cooperative=cooperative, status="submitted")
    draft = ProductFactory(cooperative=cooperative, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:catalog_product_changelist"),
            {
                "action": "review_approved",
                helpers.ACTION_CHECKBOX_NAME: [p.pk for p in [*submitted, draft]],
            },
            follow=True,
        )
    assert response.status_code == 200
    statuses = dict(Product.objects.values_list("pk", "status"))
    assert all(statuses[p.pk] == "approved" for p in submitted)
    assert statuses[draft.pk] == "draft"
    assert len(mail.outbox) == 3
    assert "cannot be approved" in response.content.decode()


def test_a_bulk_rejection_asks_for_the_reason_first(
    staff_client, django_capture_on_commit_callbacks
):
    pending = CooperativeFactory.create_batch(2, status=Cooperative.Status.PENDING)
    selected = {
        "action": "review_rejected",
        helpers.ACTION_CHECKBOX_NAME: [c.pk for c in pending],
    }
    url = reverse("admin:cooperatives_cooperative_changelist")
    page = staff_client.post(url, selected)
    assert page.status_code == 200
    assert b'name="reason"' in page.content
    assert set(Cooperative.objects.values_list("status", flat=True)) == {"pending"}
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**selected, "apply": "1", "reason": "Licence expired."})
    for cooperative in Cooperative.objects.all():
        assert cooperative.status == Cooperative.Status.REJECTED
        assert cooperative.status_reason == "Licence expired."
        assert cooperative.reviews.get().reason == "Licence expired."
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "name",
    [
        "cooperatives_cooperative",
        "cooperatives_cooperativereview",
        "cooperatives_membershipinvitation",
        "catalog_product",
        "catalog_productimage",
        "catalog_productreview",
        "catalog_platformlisting",
        "catalog_certification",
        "catalog_certificationexpirywarning",
        "catalog_zone",
        "catalog_displayslot",
        "catalog_display",
    ],
)
def test_every_admin_list_opens_with_its_filters(staff_client, cooperative, name):
    ProductFactory(cooperative=cooperative)
    response = staff_client.get(reverse(f"admin:{name}_changelist"), {"q": "x"})
    assert response.status_code == 200


def test_evidence_uploaded_in_the_admin_is_checked(staff_client, cooperative):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalog.models import Certification

    url = reverse("admin:catalog_certification_add")
    data = {
        "cooperative": cooperative.pk,
        "kind": "organic",
        "valid_from": "2026-01-01",
        "document": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>"),
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert not Certification.objects.exists()
    data["document"] = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n%%EOF\n")
    assert staff_client.post(url, data).status_code == 302
    assert Certification.objects.get().document.name.endswith(".pdf")


def test_a_logo_uploaded_in_the_admin_is_checked(staff_client, cooperative):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.catalog.factories import image_bytes

    url = reverse("admin:cooperatives_cooperative_change", args=[cooperative.pk])
    data = {
        "kind": cooperative.kind,
        "name": cooperative.name,
        "slug": cooperative.slug,
        "province": cooperative.province,
        "contact_name": cooperative.contact_name,
        "email": cooperative.email,
        "logo": SimpleUploadedFile("logo.jpg", b"GIF89a not really"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert b"not a photo in an accepted format" in response.content
    data["logo"] = SimpleUploadedFile("logo.png", image_bytes("PNG"))
    response = staff_client.post(url, data)
    assert response.status_code == 302
    cooperative.refresh_from_db()
    assert cooperative.logo.name.startswith("cooperatives/logos/")
    assert "logo.png" not in cooperative.logo.name
