"""A cooperative registers through the public form, is reviewed by the bureau and told by email."""

import pytest
from django.core import mail
from django.urls import reverse

from cooperatives.models import Cooperative, CooperativeReview, Membership, MembershipInvitation
from core.roles import COOPERATIVE_MEMBER, has_role
from tests.catalog.factories import image_bytes

pytestmark = pytest.mark.django_db


def registration_data(**overrides) -> dict:
    data = {
        "kind": Cooperative.Kind.HOUSEHOLD_BUSINESS,
        "name": "Kbang Forest Honey Household",
        "registration_number": "GL-2025-0042",
        "tax_number": "5900123456",
        "province": "Gia Lai",
        "district": "Kbang",
        "commune": "Sơn Lang",
        "address": "Village 3",
        "contact_name": "Đinh Văn Thơm",
        "phone": "+84 905 000 111",
        "email": "honey@example.org",
        "description": "Wild forest honey.",
        "username": "thom.honey",
        "first_name": "Thơm",
        "last_name": "Đinh",
        "password": "a-long-honey-password",
        "password_again": "a-long-honey-password",
    }
    data.update(overrides)
    return data


def register(client, **overrides):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = registration_data(**overrides)
    data.setdefault(
        "logo", SimpleUploadedFile("logo.png", image_bytes("PNG"), content_type="image/png")
    )
    return client.post(reverse("cooperatives:register"), data)


def review(client, cooperative, decision, reason=""):
    return client.post(
        reverse("cooperatives:review", args=[cooperative.pk]),
        {"decision": decision, "reason": reason},
    )


def test_the_registration_form_is_public(anonymous):
    response = anonymous.get(reverse("cooperatives:register"))
    assert response.status_code == 200
    assert b"Register your cooperative" in response.content


def test_a_registration_goes_from_the_public_form_to_approval_with_emails(
    anonymous, staff_client, bureau_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(anonymous)
    cooperative = Cooperative.objects.get(tax_number="5900123456")
    assert response.status_code == 302
    assert response.url == reverse("cooperatives:detail", args=[cooperative.pk])
    assert cooperative.status == Cooperative.Status.PENDING
    assert cooperative.logo.name.startswith("cooperatives/logos/")
    member = Membership.objects.get(cooperative=cooperative)
    assert member.role == Membership.Role.OWNER
    assert member.user.username == "thom.honey"
    assert has_role(member.user, COOPERATIVE_MEMBER)
    assert {tuple(message.to) for message in mail.outbox} == {
        ("bureau@example.org",),
        ("honey@example.org",),
    }
    # The applicant is signed in and follows the review.
    assert anonymous.get(response.url).status_code == 200

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = review(staff_client, cooperative, "approved")
    assert response.status_code == 302
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.APPROVED
    assert cooperative.reviewed_by == bureau_staff
    assert cooperative.reviewed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["honey@example.org"]
    assert "Approved" in mail.outbox[0].subject
    assert list(cooperative.reviews.values_list("action", flat=True)) == ["approved", "submitted"]


def test_a_rejection_carries_its_reason_and_the_applicant_edits_and_resubmits(
    anonymous, staff_client, django_capture_on_commit_callbacks
):
    register(anonymous)
    cooperative = Cooperative.objects.get(tax_number="5900123456")
    with django_capture_on_commit_callbacks(execute=True):
        review(staff_client, cooperative, "rejected", "The tax number does not match the licence.")
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.REJECTED
    assert cooperative.status_reason == "The tax number does not match the licence."
    assert "The tax number does not match the licence." in mail.outbox[-1].body
    page = anonymous.get(reverse("cooperatives:detail", args=[cooperative.pk]))
    assert b"The tax number does not match the licence." in page.content

    edit = registration_data(tax_number="5900123457")
    for key in ("username", "first_name", "last_name", "password", "password_again"):
        edit.pop(key)
    response = anonymous.post(reverse("cooperatives:edit", args=[cooperative.pk]), edit)
    assert response.status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(reverse("cooperatives:resubmit", args=[cooperative.pk]))
    cooperative.refresh_from_db()
    assert cooperative.tax_number == "5900123457"
    assert cooperative.status == Cooperative.Status.PENDING
    assert mail.outbox[0].to == ["bureau@example.org"]
    actions = list(
        CooperativeReview.objects.filter(cooperative=cooperative)
        .order_by("created_at", "pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("submitted", "thom.honey"),
        ("rejected", "bureau.staff"),
        ("resubmitted", "thom.honey"),
    ]


def test_a_rejection_or_a_request_for_changes_without_a_reason_is_refused(anonymous, staff_client):
    register(anonymous)
    cooperative = Cooperative.objects.get(tax_number="5900123456")
    for decision in ("rejected", "changes_requested"):
        review(staff_client, cooperative, decision)
        cooperative.refresh_from_db()
        assert cooperative.status == Cooperative.Status.PENDING


def test_changes_requested_then_resubmitted_goes_back_to_pending(anonymous, staff_client):
    register(anonymous)
    cooperative = Cooperative.objects.get(tax_number="5900123456")
    review(staff_client, cooperative, "changes_requested", "Please add the commune.")
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.CHANGES_REQUESTED
    anonymous.post(reverse("cooperatives:resubmit", args=[cooperative.pk]))
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.PENDING


def test_an_application_is_reviewed_once_even_when_two_decisions_arrive(anonymous, staff_client):
    register(anonymous)
    cooperative = Cooperative.objects.get(tax_number="5900123456")
    review(staff_client, cooperative, "approved")
    review(staff_client, cooperative, "rejected", "Too late.")
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.APPROVED
    assert cooperative.reviews.filter(action="rejected").count() == 0


def test_the_registration_refuses_a_taken_tax_number(anonymous, cooperative):
    Cooperative.objects.filter(pk=cooperative.pk).update(tax_number="5900123456")
    response = register(anonymous, username="someone.else")
    assert response.status_code == 200
    assert b"A cooperative with this tax number is already registered." in response.content
    assert Cooperative.objects.filter(tax_number="5900123456").count() == 1


def test_the_registration_refuses_a_logo_that_is_not_an_image(anonymous):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = register(
        anonymous, logo=SimpleUploadedFile("logo.jpg", b"not an image", content_type="image/jpeg")
    )
    assert response.status_code == 200
    assert b"not a photo in an accepted format" in response.content
    assert not Cooperative.objects.exists()


def test_a_member_invites_a_colleague_who_joins_with_a_new_account(
    coop_client, cooperative, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        coop_client.post(
            reverse("cooperatives:invite", args=[cooperative.pk]), {"email": "new@example.org"}
        )
    invitation = MembershipInvitation.objects.get()
    link = reverse("cooperatives:accept-invitation", args=[invitation.token])
    assert mail.outbox[0].to == ["new@example.org"]
    assert link in mail.outbox[0].body
    response = client.post(
        link,
        {
            "username": "new.member",
            "password": "a-long-member-password",
            "password_again": "a-long-member-password",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="new.member")
    assert membership.cooperative == cooperative
    assert has_role(membership.user, COOPERATIVE_MEMBER)
    # An invitation is used once.
    assert client.get(link).status_code == 404


def test_legal_identity_is_fixed_once_approved(coop_client, cooperative):
    data = registration_data(name="Renamed", tax_number="1111111111")
    for key in ("username", "first_name", "last_name", "password", "password_again"):
        data.pop(key)
    coop_client.post(reverse("cooperatives:edit", args=[cooperative.pk]), data)
    cooperative.refresh_from_db()
    assert cooperative.name == "Chu Se Coffee Cooperative"
    assert cooperative.description == "Wild forest honey."


def test_the_registration_refuses_a_taken_username(anonymous, coop_member):
    response = register(anonymous, username="coop.member")
    assert response.status_code == 200
    assert b"This username is taken" in response.content
    assert not Cooperative.objects.filter(tax_number="5900123456").exists()


def test_a_signed_in_user_is_not_swapped_into_a_new_account(staff_client, bureau_staff):
    response = register(staff_client)
    assert response.status_code == 302
    assert not Cooperative.objects.exists()
    assert staff_client.get("/").context["user"] == bureau_staff
