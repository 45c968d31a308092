"""The printable monthly report for leaders."""

import re

import pytest
from django.utils import timezone

from .expected import session_figures

pytestmark = pytest.mark.django_db


def test_the_monthly_report_gives_the_months_figures_per_currency(sold, official_client):
    response = official_client.get("/dashboards/monthly-report/", {"month": "2025-05"})
    assert response.status_code == 200
    (entry,) = response.context["kpis"]
    figures = session_figures(sold["megalive"])
    assert entry["currency"] == "VND"
    assert entry["current"]["gross_gmv"] == figures["gross_gmv"]
    assert entry["current"]["net_gmv"] == figures["net_gmv"]
    assert entry["previous"]["gross_gmv"] == 0
    page = response.content.decode()
    assert "data-print" in page and 'data-currency="VND"' in page
    # Printing is a static script's job: no inline script under the CSP.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_the_monthly_report_defaults_to_the_last_whole_month(official_client, db):
    response = official_client.get("/dashboards/monthly-report/", {"month": "nonsense"})
    assert response.status_code == 200
    month = response.context["month"]
    today = timezone.localdate()
    assert month.day == 1 and response.context["period"].is_whole_month
    assert response.context["period"].end < today.replace(day=1)
    assert (today.replace(day=1) - month).days <= 31


def test_the_monthly_report_is_for_officials_and_staff(db, coop_client, staff_client):
    assert coop_client.get("/dashboards/monthly-report/").status_code == 403
    assert staff_client.get("/dashboards/monthly-report/").status_code == 200
