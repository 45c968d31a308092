"""The overview: KPIs per currency, the previous period, the daily trend and the rankings,
each checked against DESIGN.md's definitions applied to the imported orders."""

import datetime as dt
import io
import json
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from dashboards.models import ProductSalesFact, SessionBuyer, SessionSalesFact
from orders.models import OrderLine

from .conftest import GIA_LAI_FILE, read_rows
from .expected import buyers_shown, period_figures, session_figures

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def overview(client, **params):
    response = client.get("/dashboards/", params)
    assert response.status_code == 200
    return response


def kpis_by_currency(response) -> dict[str, dict]:
    return {entry["currency"]: entry for entry in response.context["kpis"]}


def test_each_kpi_equals_the_definitions_applied_to_the_imported_orders(sold, official_client):
    kpis = kpis_by_currency(overview(official_client, **WHOLE))
    expected = period_figures(dt.date(2025, 5, 1), dt.date(2025, 9, 30))
    assert set(kpis) == set(expected) == {"VND", "CNY"}
    for currency, figures in expected.items():
        current = kpis[currency]["current"]
        for name in ("gross_gmv", "net_gmv", "orders", "units", "sessions"):
            assert current[name] == figures[name], (currency, name)
        assert (current["buyers"], current["buyers_partial"]) == buyers_shown(figures)
        assert current["gmv_per_session"] == figures["gross_gmv"] / figures["sessions"]
    assert kpis["VND"]["current"]["conversion"] == Decimal(expected["VND"]["orders"]) / 29_000
    assert kpis["CNY"]["current"]["conversion"] == Decimal(expected["CNY"]["orders"]) / 4_000
    # And the VND gross GMV read straight from the CSV file, with no database at all.
    file_gross = sum(Decimal(row["SKU Subtotal After Discount"]) for row in read_rows(GIA_LAI_FILE))
    assert kpis["VND"]["current"]["gross_gmv"] == file_gross


def test_currencies_are_never_added_together(sold, official_client):
    response = overview(official_client, **WHOLE)
    kpis = kpis_by_currency(response)
    vnd, cny = kpis["VND"]["current"]["gross_gmv"], kpis["CNY"]["current"]["gross_gmv"]
    page = response.content.decode()
    assert "VND" in page and "CNY" in page
    total = vnd + cny
    assert f"{total:.2f}" not in page and f"{total:,.0f}" not in page
    for name in ("top_products", "top_cooperatives", "top_hosts", "top_channels"):
        ranking = response.context[name]
        assert set(ranking) == {"VND", "CNY"}, name
    # The CNY rows are the Lhasa session's alone.
    assert kpis["CNY"]["current"]["gross_gmv"] == session_figures(sold["lhasa_live"])["gross_gmv"]


def test_a_whole_month_is_compared_with_the_month_before(sold, official_client):
    kpis = kpis_by_currency(overview(official_client, start="2025-06-01", end="2025-06-30"))
    response_context_previous = kpis["VND"]["previous"]
    megalive = session_figures(sold["megalive"])
    assert response_context_previous["gross_gmv"] == megalive["gross_gmv"]
    assert response_context_previous["net_gmv"] == megalive["net_gmv"]
    assert response_context_previous["sessions"] == 1
    assert kpis["VND"]["current"]["gross_gmv"] == 0
    assert kpis["VND"]["change"]["gross_gmv"] == Decimal(-100)


def test_the_default_period_is_this_month(official_client, db):
    response = overview(official_client)
    period = response.context["period"]
    today = dt.date.today()
    assert period.start.day == 1 and period.end.month == period.start.month
    assert period.start <= today + dt.timedelta(days=1)
    assert response.context["previous_period"].end == period.start - dt.timedelta(days=1)


def test_the_daily_trend_carries_each_days_sales_in_its_own_currency(sold, official_client):
    response = overview(official_client, start="2025-05-15", end="2025-05-25")
    (series,) = response.context["trend"]
    assert series["currency"] == "VND"
    by_day = {point["day"]: point for point in series["points"]}
    assert len(by_day) == 11
    megalive = session_figures(sold["megalive"])
    assert by_day[dt.date(2025, 5, 20)]["gross_gmv"] == megalive["gross_gmv"]
    assert by_day[dt.date(2025, 5, 20)]["orders"] == megalive["orders"]
    assert sum(point["gross_gmv"] for point in series["points"]) == megalive["gross_gmv"]
    # The chart's data travels as JSON for the static script: no inline script (CSP).
    page = response.content.decode()
    data = re.search(r'<script id="trend-vnd-data" type="application/json">(.*?)</script>', page)
    spec = json.loads(data.group(1))
    assert spec["labels"][5] == "2025-05-20"
    assert Decimal(str(spec["datasets"][0]["data"][5])) == megalive["gross_gmv"]
    for script in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page):
        assert 'type="application/json"' in script


def test_top_products_are_ranked_by_gross_gmv_of_their_lines(sold, official_client):
    response = overview(official_client, **WHOLE)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in OrderLine.objects.filter(order__session=sold["megalive"], product__isnull=False):
        totals[line.product_id] += line.line_value
    ranked = sorted(totals.items(), key=lambda item: -item[1])[:5]
    shown = response.context["top_products"]["VND"]
    assert [(row["product_id"], row["gross_gmv"]) for row in shown] == ranked


def test_roll_ups_follow_a_later_import_that_changes_the_figures(
    importer, tiktok_channel, megalive, gia_lai_listings, official_client
):
    importer(tiktok_channel, "tiktok_orders_gialai_early.csv")
    early = kpis_by_currency(overview(official_client, **WHOLE))["VND"]["current"]
    assert early["gross_gmv"] == session_figures(megalive)["gross_gmv"]
    importer(tiktok_channel, GIA_LAI_FILE)
    later = kpis_by_currency(overview(official_client, **WHOLE))["VND"]["current"]
    figures = session_figures(megalive)
    assert (later["gross_gmv"], later["net_gmv"]) == (figures["gross_gmv"], figures["net_gmv"])
    assert later["net_gmv"] != early["net_gmv"]


def test_the_rebuild_command_rewrites_the_same_roll_ups(sold):
    def snapshot():
        sessions = SessionSalesFact.objects.values_list(
            "session", "gross_gmv_cents", "net_gmv_cents"
        )
        products = ProductSalesFact.objects.values_list("session", "product", "gross_gmv_cents")
        return sorted(sessions), sorted(products, key=str), SessionBuyer.objects.count()

    before = snapshot()
    SessionSalesFact.objects.all().delete()
    ProductSalesFact.objects.all().delete()
    call_command("rebuild_dashboard_rollups", stdout=io.StringIO())
    call_command("rebuild_dashboard_rollups", stdout=io.StringIO())
    assert snapshot() == before


def test_only_officials_and_bureau_staff_see_the_overview(
    db, official_client, staff_client, coop_client, anonymous
):
    assert official_client.get("/dashboards/").status_code == 200
    assert staff_client.get("/dashboards/").status_code == 200
    assert coop_client.get("/dashboards/").status_code == 403
    assert anonymous.get("/dashboards/").status_code == 302
    assert official_client.post("/dashboards/").status_code == 405


# Queries: session, user, groups (3); totals now and before (2); buyers now and before (1);
# sessions held (1); daily trend (1); top products, cooperatives, hosts, channels (4);
# upcoming sessions and their hosts (2, the hosts' query only when there are sessions: 1 here);
# the channels' sales, all orders and their parts (1); the bases to choose from, the reader's
# own marked (1); meetings per agreement currency, trainings held, people trained (3).
OVERVIEW_QUERIES = 18


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_overview_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=sessions)
    official_client.get("/dashboards/")  # warm the session
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = official_client.get("/dashboards/", {"start": "2025-06-01", "end": "2025-06-30"})
    assert response.status_code == 200
    (entry,) = response.context["kpis"]
    assert entry["current"]["sessions"] == sessions


def test_the_overview_endpoint_gives_the_same_figures_as_strings(sold, official):
    client = APIClient()
    client.force_authenticate(official)
    response = client.get("/api/v1/reports/overview/", WHOLE)
    assert response.status_code == 200
    body = response.json()
    expected = period_figures(dt.date(2025, 5, 1), dt.date(2025, 9, 30))
    for entry in body["kpis"]:
        figures = expected[entry["currency"]]
        assert entry["current"]["gross_gmv"] == f"{figures['gross_gmv']:.2f}"
        assert entry["current"]["orders"] == figures["orders"]
    assert client.post("/api/v1/reports/overview/", {}).status_code in (403, 405)


def test_the_overview_endpoint_refuses_cooperative_members(coop_member):
    client = APIClient()
    client.force_authenticate(coop_member)
    assert client.get("/api/v1/reports/overview/").status_code == 403
