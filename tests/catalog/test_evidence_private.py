"""Certification evidence is private: stored outside the media folder, read through a view."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.catalog.factories import CertificationFactory
from tests.conftest import client_for
from tests.orders.test_imports_web_and_api import api_client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 OCOP certificate of the cooperative"


@pytest.fixture
def certification(cooperative):
    return CertificationFactory(cooperative=cooperative, document=ContentFile(PDF, name="ocop.pdf"))


def test_evidence_is_stored_outside_the_media_folder(certification, client):
    path = Path(certification.document.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert client.get(f"/{settings.MEDIA_URL}{certification.document.name}").status_code == 404


def test_staff_officials_and_the_cooperatives_members_read_the_evidence(
    certification, bureau_staff, official, coop_member
):
    url = reverse("catalog:certification-document", args=[certification.pk])
    for user in (bureau_staff, official, coop_member):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"


def test_the_public_another_cooperative_and_hosts_do_not(
    certification, client, other_coop_member, host_user
):
    url = reverse("catalog:certification-document", args=[certification.pk])
    assert client.get(url).status_code == 302
    assert client_for(other_coop_member).get(url).status_code == 404
    assert client_for(host_user).get(url).status_code == 404


def test_the_api_gives_the_evidence_view_not_a_media_url(certification, bureau_staff):
    body = api_client_for(bureau_staff).get(f"/api/v1/certifications/{certification.pk}/").json()
    url = reverse("catalog:certification-document", args=[certification.pk])
    assert body["document"].endswith(url)
    assert settings.MEDIA_URL not in body["document"]
