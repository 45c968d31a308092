"""Charts on the hosts, cooperative and programme pages: drawn by the static script from JSON
the page carries (no inline script, under the CSP), with the same figures as a table."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from dashboards.models import ProgrammeTarget
from orders.models import OrderLine

from .expected import session_figures

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def chart_spec(html: str, data_id: str) -> dict:
    found = re.search(rf'<script id="{data_id}" type="application/json">(.*?)</script>', html)
    assert found, data_id
    return json.loads(found.group(1))


def chart_table(html: str, chart_id: str) -> str:
    figure = html.split(f'<figure class="chart-figure" id="{chart_id}">')[1].split("</figure>")[0]
    assert f'data-chart="{chart_id}-data"' in figure
    return figure.split('<details class="chart-table">')[1]


def assert_csp_safe(html: str) -> None:
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    for attributes in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert 'type="application/json"' in attributes


def test_the_hosts_page_charts_each_hosts_gmv_per_currency(sold, official_client):
    html = official_client.get("/dashboards/hosts/", WHOLE).content.decode()
    assert_csp_safe(html)
    vnd = chart_spec(html, "hosts-vnd-data")
    assert vnd["labels"] == ["KOL Gia Lai"] and vnd["indexAxis"] == "y"
    gross = session_figures(sold["megalive"])["gross_gmv"]
    assert Decimal(str(vnd["datasets"][0]["data"][0])) == gross
    cny = chart_spec(html, "hosts-cny-data")
    assert (
        Decimal(str(cny["datasets"][0]["data"][0]))
        == (session_figures(sold["lhasa_live"])["gross_gmv"])
    )
    # The exact figure, formatted as the page shows money, in the chart's table.
    assert f"₫{gross:,.0f}" in chart_table(html, "hosts-vnd")


def test_the_cooperative_page_charts_its_sales_per_month(sold, coop_client, cooperative):
    html = coop_client.get(f"/dashboards/cooperatives/{cooperative.pk}/").content.decode()
    assert_csp_safe(html)
    spec = chart_spec(html, "cooperative-months-cny-data")
    lines = OrderLine.objects.filter(product__cooperative=cooperative, order__session__isnull=False)
    gross = sum((line.line_value for line in lines), Decimal(0))
    assert len(spec["labels"]) == 1 and "2025" in spec["labels"][0]
    assert Decimal(str(spec["datasets"][0]["data"][0])) == gross
    assert f"CN¥{gross:,.2f}" in chart_table(html, "cooperative-months-cny")
    # One chart per currency: nothing in VND for this cooperative.
    assert "cooperative-months-vnd-data" not in html


def test_the_programme_page_charts_districts_and_plan_against_actual(
    sold, official_client, lhasa_listings
):
    from catalog.models import Product

    Product.objects.filter(pk__in=[item.product_id for item in lhasa_listings.values()]).update(
        origin_district="Chengguan"
    )
    ProgrammeTarget.objects.create(
        dimension="all", month=dt.date(2025, 9, 1), currency="CNY", target_gmv=Decimal(1000)
    )
    html = official_client.get("/dashboards/programme/", WHOLE).content.decode()
    assert_csp_safe(html)
    districts = chart_spec(html, "programme-district-cny-data")
    lines = OrderLine.objects.filter(order__session=sold["lhasa_live"], product__isnull=False)
    gross = sum((line.line_value for line in lines), Decimal(0))
    assert districts["labels"] == ["Chengguan"]
    assert Decimal(str(districts["datasets"][0]["data"][0])) == gross
    plan = chart_spec(html, "programme-plan-cny-data")
    assert [dataset["data"][0] for dataset in plan["datasets"]] == [
        1000.0,
        float(session_figures(sold["lhasa_live"])["gross_gmv"]),
    ]
    assert "CN¥1,000.00" in chart_table(html, "programme-plan-cny")


def test_pages_without_figures_draw_no_chart(db, official_client):
    html = official_client.get("/dashboards/hosts/", WHOLE).content.decode()
    assert "data-chart=" not in html
