"""Hosts and KOLs compared across their sessions."""

import csv
import io
from decimal import Decimal

import pytest

from .expected import session_figures

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def test_each_hosts_figures_come_from_their_sessions(sold, official_client):
    response = official_client.get("/dashboards/hosts/", WHOLE)
    assert response.status_code == 200
    hosts = {entry["name"]: entry for entry in response.context["hosts"]}
    assert set(hosts) == {"KOL Gia Lai", "Lhasa host"}
    megalive = sold["megalive"]
    figures = session_figures(megalive)
    kol = hosts["KOL Gia Lai"]
    metrics = megalive.metrics
    assert (kol["currency"], kol["sessions"]) == ("VND", 1)
    assert kol["gross_gmv"] == kol["gmv_per_session"] == figures["gross_gmv"]
    assert kol["hours_on_air"] == Decimal("2.00")
    assert kol["gmv_per_hour"] == (figures["gross_gmv"] / 2).quantize(Decimal("0.01"))
    assert kol["conversion"] == Decimal(figures["orders"]) / 29_000
    assert kol["interactions"] == (metrics.likes or 0) + (metrics.comments or 0) + (
        metrics.shares or 0
    )
    assert hosts["Lhasa host"]["currency"] == "CNY"


def test_the_hosts_table_downloads_and_is_for_officials_and_staff(
    sold, official_client, coop_client
):
    response = official_client.get("/dashboards/hosts/", {**WHOLE, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {"KOL Gia Lai", "Lhasa host"}
    assert coop_client.get("/dashboards/hosts/").status_code == 403


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_hosts_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=sessions)
    official_client.get("/dashboards/")
    # Queries: session, user, groups (3); the bases (1); the period's session hosts with
    # their figures (1).
    with django_assert_num_queries(5):
        response = official_client.get(
            "/dashboards/hosts/", {"start": "2025-06-01", "end": "2025-06-30"}
        )
    assert sum(entry["sessions"] for entry in response.context["hosts"]) == sessions
