"""Server errors the access matrix (S7) and the schema fuzzing (S10) found, each kept as a plain
test of the answer the API gives instead."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Display, DisplaySlot, Zone
from dashboards.forms import month_from_param, period_from_params
from tests.catalog.factories import DisplayFactory, DisplaySlotFactory, ProductFactory, ZoneFactory
from tests.livestreams.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(bureau_staff):
    client = APIClient()
    client.force_authenticate(bureau_staff)
    return client


def test_a_zone_with_rooms_is_not_deleted_409(api):
    zone = RoomFactory().zone
    response = api.delete(f"/api/v1/zones/{zone.pk}/")
    assert response.status_code == 409
    assert "other records use it" in response.json()["detail"]
    assert Zone.objects.filter(pk=zone.pk).exists()


def test_a_slot_with_displays_is_not_deleted_409(api):
    slot = DisplayFactory().slot
    assert api.delete(f"/api/v1/display-slots/{slot.pk}/").status_code == 409
    assert DisplaySlot.objects.filter(pk=slot.pk).exists()


def test_an_unused_zone_is_deleted(api):
    zone = ZoneFactory()
    assert api.delete(f"/api/v1/zones/{zone.pk}/").status_code == 204


def test_a_display_cannot_be_changed_to_end_before_it_starts(api):
    display = DisplayFactory()
    response = api.patch(
        f"/api/v1/displays/{display.pk}/",
        {"ends_at": (display.starts_at - dt.timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()
    display.refresh_from_db()
    assert display.ends_at is None


def test_a_display_cannot_be_moved_over_another_in_the_same_slot(api):
    now = timezone.now()
    slot = DisplaySlotFactory()
    DisplayFactory(slot=slot, starts_at=now - dt.timedelta(days=3), ends_at=None)
    moved = DisplayFactory(starts_at=now - dt.timedelta(days=1))
    response = api.patch(f"/api/v1/displays/{moved.pk}/", {"slot": slot.pk}, format="json")
    assert response.status_code == 400
    assert "already holds" in str(response.json())
    assert Display.objects.get(pk=moved.pk).slot_id != slot.pk


def test_a_display_is_changed_through_the_api(api):
    display = DisplayFactory(note="Window")
    other_product = ProductFactory()
    response = api.patch(
        f"/api/v1/displays/{display.pk}/",
        {"product": other_product.pk, "note": "Counter"},
        format="json",
    )
    assert response.status_code == 200
    display.refresh_from_db()
    assert (display.product_id, display.note) == (other_product.pk, "Counter")


# Dates at the calendar's ends: the period arithmetic around them (the previous period, a day
# either side, UTC bounds) overflowed into server errors. Such a period is now taken as wrong,
# like any unreadable one: the page shows this month (the last whole month for the report).
PERIOD_EDGES = [
    (url, query)
    for url in (
        "/api/v1/reports/overview/",
        "/api/v1/reports/sessions/",
        "/api/v1/reports/hosts/",
        "/api/v1/reports/programme/",
        "/api/v1/reports/deliveries/",
        "/api/v1/reports/cooperatives/",
        "/dashboards/",
        "/dashboards/sessions/",
        "/dashboards/hosts/",
        "/dashboards/programme/",
    )
    for query in ("start=9999-12-31&end=9999-12-31", "start=0001-01-01&end=0001-01-01")
] + [
    ("/dashboards/monthly-report/", "month=9999-12"),
    ("/dashboards/monthly-report/", "month=0001-01"),
]


@pytest.mark.parametrize(("url", "query"), PERIOD_EDGES)
def test_report_periods_at_the_calendars_ends_answer_200(official, url, query):
    client = Client(raise_request_exception=False)
    client.force_login(official)
    assert client.get(f"{url}?{query}").status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"start": "9999-12-31", "end": "9999-12-31"},
            (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ),
        (
            {"start": "0001-01-01", "end": "0001-01-07"},
            (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ),
        ({"start": "2026-03-02", "end": "2026-03-08"}, (dt.date(2026, 3, 2), dt.date(2026, 3, 8))),
    ],
)
def test_a_period_outside_the_years_of_sales_falls_back_to_this_month(params, expected):
    period = period_from_params(params, today=dt.date(2026, 12, 2))
    assert (period.start, period.end) == expected
    period.previous()  # no OverflowError


def test_a_report_month_outside_the_years_of_sales_falls_back_to_the_last_whole_month():
    today = dt.date(2026, 12, 2)
    assert month_from_param("9999-12", today=today) == dt.date(2026, 11, 1)
    assert month_from_param("0001-01", today=today) == dt.date(2026, 11, 1)
    assert month_from_param("2026-05", today=today) == dt.date(2026, 5, 1)
