"""The cooperatives API answers bad input with 400, never a server error."""

import pytest

from cooperatives.models import Cooperative
from tests.cooperatives.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def payload(**overrides) -> dict:
    data = {
        "name": "Dak Doa Rice Cooperative",
        "province": "Gia Lai",
        "contact_name": "Siu H'Mai",
        "email": "rice@example.org",
        "tax_number": "5900999999",
    }
    data.update(overrides)
    return data


def test_a_duplicate_tax_number_is_a_clear_400(staff_client, cooperative):
    Cooperative.objects.filter(pk=cooperative.pk).update(tax_number="5900999999")
    response = staff_client.post(
        "/api/v1/cooperatives/", payload(), content_type="application/json"
    )
    assert response.status_code == 400
    other = CooperativeFactory(tax_number="5900000001")
    patch = staff_client.patch(
        f"/api/v1/cooperatives/{other.pk}/",
        {"tax_number": "5900999999"},
        content_type="application/json",
    )
    assert patch.status_code == 400


def test_an_unknown_review_decision_is_a_400(staff_client, cooperative):
    response = staff_client.post(
        f"/api/v1/cooperatives/{cooperative.pk}/review/",
        {"decision": "delete_everything"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_an_impossible_review_move_is_a_400(staff_client, cooperative):
    response = staff_client.post(
        f"/api/v1/cooperatives/{cooperative.pk}/review/",
        {"decision": "rejected", "reason": "Already approved, cannot be rejected."},
        content_type="application/json",
    )
    assert response.status_code == 400
    cooperative.refresh_from_db()
    assert cooperative.status == Cooperative.Status.APPROVED
