"""The overview opens on this month, or, when it has no sales yet, on the most recent month
that has, and says so (#13: a new month's first days, or the demo's last month)."""

import datetime as dt

import pytest

from dashboards.selectors import Period, default_period

pytestmark = pytest.mark.django_db

# The `sold` fixture: a VND megalive in May 2025 and a CNY live in September 2025.
MAY = Period(dt.date(2025, 5, 1), dt.date(2025, 5, 31))
SEPTEMBER = Period(dt.date(2025, 9, 1), dt.date(2025, 9, 30))


def test_a_month_without_sales_opens_on_the_latest_month_with_sales_and_says_so(
    sold, official_client
):
    # Today (2026 or later) has no sales: the last ones were in September 2025.
    response = official_client.get("/dashboards/")
    assert response.status_code == 200
    assert response.context["period"] == SEPTEMBER
    assert response.context["earlier_month"] is True
    page = response.content.decode()
    assert "data-earlier-month" in page
    assert "September 2025, the most recent month with sales" in page
    # The figures are that month's: the CNY live.
    assert {entry["currency"] for entry in response.context["kpis"]} == {"CNY"}


@pytest.mark.parametrize(
    ("today", "expected", "earlier"),
    [
        (dt.date(2025, 9, 20), SEPTEMBER, False),  # this month has sales
        (dt.date(2025, 7, 10), MAY, True),  # none in July yet, nor June: May
        (dt.date(2025, 10, 2), SEPTEMBER, True),
        (dt.date(2025, 4, 30), Period(dt.date(2025, 4, 1), dt.date(2025, 4, 30)), False),
    ],
)
def test_the_default_period_by_day(sold, today, expected, earlier):
    assert default_period(today=today) == (expected, earlier)


def test_a_period_in_the_link_is_shown_as_asked_even_without_sales(sold, official_client):
    response = official_client.get("/dashboards/", {"start": "2025-10-01", "end": "2025-10-31"})
    assert response.context["period"] == Period(dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert response.context["earlier_month"] is False
    assert "data-earlier-month" not in response.content.decode()


def test_without_any_sales_the_overview_opens_on_this_month(official_client):
    response = official_client.get("/dashboards/")
    assert response.context["earlier_month"] is False
    assert response.context["period"].start.day == 1
