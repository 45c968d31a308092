"""Bases (#13): the showroom shows one base's zones (?base=<slug>) or every base's, each
floor under its base's name when there are two; staff of one base open on their base."""

import pytest
from django.urls import reverse

from catalog.models import StaffBase
from tests.catalog.factories import BaseFactory, ZoneFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lhasa():
    lhasa = BaseFactory(name="Lhasa base", slug="lhasa")
    ZoneFactory(base=lhasa, floor=1, code="LH-1", name="Lhasa exhibition")
    ZoneFactory(floor=1, code="TB-1", name="Test exhibition")
    return lhasa


def zone_names(client, **params) -> set[str]:
    response = client.get(reverse("catalog:floor-plan"), params)
    assert response.status_code == 200
    return {zone.name for _floor, zones, _base in response.context["floors"] for zone in zones}


def test_the_showroom_filters_by_base(lhasa, client):
    assert zone_names(client) == {"Lhasa exhibition", "Test exhibition"}
    assert zone_names(client, base="all") == {"Lhasa exhibition", "Test exhibition"}
    assert zone_names(client, base="lhasa") == {"Lhasa exhibition"}
    assert zone_names(client, base="test-base") == {"Test exhibition"}


def test_every_base_s_floors_are_named_after_their_base(lhasa, client):
    page = client.get(reverse("catalog:floor-plan")).content.decode()
    assert "data-base-choice" in page
    assert "Lhasa base: floor 1" in page and "Test base: floor 1" in page
    one = client.get(reverse("catalog:floor-plan"), {"base": "lhasa"}).content.decode()
    assert '<option value="lhasa" selected>' in one
    assert "Floor 1" in one and "Lhasa base: floor 1" not in one


def test_one_base_shows_no_choice(client):
    ZoneFactory(floor=1, code="TB-1")
    page = client.get(reverse("catalog:floor-plan")).content.decode()
    assert "data-base-choice" not in page and "Floor 1" in page


def test_staff_of_one_base_open_the_showroom_on_their_base(lhasa, bureau_staff):
    StaffBase.objects.create(user=bureau_staff, base=lhasa)
    client = client_for(bureau_staff)
    assert zone_names(client) == {"Lhasa exhibition"}
    assert zone_names(client, base="all") == {"Lhasa exhibition", "Test exhibition"}
