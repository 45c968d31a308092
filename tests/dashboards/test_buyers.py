"""Buyers are distinct buyer hashes (DESIGN.md). Douyin and Lazada exports name no buyer, so
their sessions' buyers are unknown: shown as such, never as 0, and never added up as if known."""

import csv
import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from dashboards.models import SessionSalesFact
from orders.models import Order, SessionSales
from orders.services import recompute_session_sales
from tests.livestreams.factories import SessionFactory

from .conftest import LHASA_FILE, read_rows
from .expected import buyers_shown, period_figures, session_figures

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
SEPTEMBER = {"start": "2025-09-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def name_some_buyers(session, hashes: list[str]) -> None:
    """Give the first orders of the session buyer hashes, as a mixed export would, and roll up."""
    orders = list(Order.objects.filter(session=session).order_by("external_id")[: len(hashes)])
    for order, value in zip(orders, hashes, strict=True):
        order.buyer_hash = value
        order.save(update_fields=["buyer_hash"])
    recompute_session_sales(session_ids=[session.pk])


def test_the_douyin_sample_names_no_buyer_so_its_sessions_buyers_are_unknown(sold):
    lhasa = sold["lhasa_live"]
    # The file itself has no buyer column at all: the independent side of the check.
    assert not {"买家ID", "用户ID", "买家昵称"} & set(read_rows(LHASA_FILE)[0])
    figures = session_figures(lhasa)
    assert figures["orders"] > 0 and figures["orders_without_buyer"] == figures["orders"]
    sales = SessionSales.objects.get(session=lhasa)
    assert sales.buyers is None and sales.orders_without_buyer == figures["orders"]
    fact = SessionSalesFact.objects.get(session=lhasa)
    assert fact.buyers is None and fact.orders_without_buyer == figures["orders"]
    # The TikTok sample names its buyers: known, and exactly the distinct hashes.
    megalive = SessionSales.objects.get(session=sold["megalive"])
    assert megalive.buyers == len(session_figures(sold["megalive"])["buyer_hashes"]) > 0
    assert megalive.orders_without_buyer == 0


def test_a_session_with_no_orders_has_zero_buyers_not_unknown(db):
    session = SessionFactory(status="ended")
    recompute_session_sales(session_ids=[session.pk])
    sales = SessionSales.objects.get(session=session)
    assert (sales.orders, sales.buyers, sales.orders_without_buyer) == (0, 0, 0)


def test_the_database_refuses_unknown_buyers_where_some_order_named_its_buyer(sold):
    sales = SessionSales.objects.get(session=sold["megalive"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionSales.objects.filter(pk=sales.pk).update(buyers=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionSales.objects.filter(pk=sales.pk).update(orders_without_buyer=sales.orders + 1)


def test_the_session_page_and_table_say_unknown_in_each_language(sold, official_client):
    lhasa = sold["lhasa_live"]
    response = official_client.get(f"/dashboards/sessions/{lhasa.pk}/")
    assert (response.context["buyers"], response.context["buyers_partial"]) == (None, False)
    html = response.content.decode()
    tile = html.split('data-kpi="buyers"')[1].split("</div>")[0]
    assert "<dd>unknown</dd>" in tile and "<dd>0</dd>" not in tile
    orders = session_figures(lhasa)["orders"]
    assert f"{orders} orders' exports name no buyer." in tile
    for language, word in (("vi", "không rõ"), ("zh-hans", "未知")):
        page = official_client.get(
            f"/dashboards/sessions/{lhasa.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert f"<dd>{word}</dd>" in page.split('data-kpi="buyers"')[1].split("</div>")[0]
    table = official_client.get("/dashboards/sessions/", WHOLE).content.decode()
    row = table.split(f'data-session="{lhasa.pk}"')[1].split("</tr>")[0]
    assert '<td class="num" data-figure="buyers">unknown</td>' in row


def test_the_overview_shows_a_currency_whose_sessions_name_no_buyer_as_unknown(
    sold, official_client
):
    response = official_client.get("/dashboards/", WHOLE)
    kpis = {entry["currency"]: entry for entry in response.context["kpis"]}
    expected = period_figures(dt.date(2025, 5, 1), dt.date(2025, 9, 30))
    assert kpis["CNY"]["current"]["buyers"] is None
    assert kpis["CNY"]["change"]["buyers"] is None
    assert (kpis["VND"]["current"]["buyers"], kpis["VND"]["current"]["buyers_partial"]) == (
        len(expected["VND"]["buyer_hashes"]), False,
    )  # fmt: skip
    html = response.content.decode()
    cny = html.split('id="kpis-CNY"')[1].split("</section>")[0]
    assert "<dd>unknown</dd>" in cny.split('data-kpi="buyers"')[1].split("</div>")[0]


def test_buyers_known_for_some_orders_only_are_shown_as_a_lower_bound(sold, official_client):
    lhasa = sold["lhasa_live"]
    name_some_buyers(lhasa, ["buyer-a", "buyer-b", "buyer-a"])
    figures = session_figures(lhasa)
    assert buyers_shown(figures) == (2, True)
    sales = SessionSales.objects.get(session=lhasa)
    assert (sales.buyers, sales.orders_without_buyer) == (2, figures["orders"] - 3)

    page = official_client.get(f"/dashboards/sessions/{lhasa.pk}/")
    assert (page.context["buyers"], page.context["buyers_partial"]) == (2, True)
    assert "<dd>at least 2</dd>" in page.content.decode()

    # The same lower bound over a period; its change from the month before is not claimed.
    response = official_client.get("/dashboards/", SEPTEMBER)
    (entry,) = response.context["kpis"]
    expected = period_figures(dt.date(2025, 9, 1), dt.date(2025, 9, 30))["CNY"]
    assert (entry["current"]["buyers"], entry["current"]["buyers_partial"]) == buyers_shown(
        expected
    )
    assert entry["current"]["orders_without_buyer"] == expected["orders_without_buyer"]
    assert entry["change"]["buyers"] is None
    report = official_client.get("/dashboards/monthly-report/", {"month": "2025-09"})
    row = report.content.decode().split('data-figure="buyers"')[1].split("</tr>")[0]
    assert "at least 2" in row


def test_the_sessions_download_says_unknown_and_counts_the_orders_without_a_buyer(
    sold, official_client
):
    response = official_client.get("/dashboards/sessions/", {**WHOLE, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    by_title = {row["Session"]: row for row in rows}
    lhasa, megalive = sold["lhasa_live"], sold["megalive"]
    assert by_title[lhasa.title]["Buyers"] == "unknown"
    assert by_title[lhasa.title]["Orders without a buyer id"] == str(
        session_figures(lhasa)["orders"]
    )
    assert by_title[megalive.title]["Buyers"] == str(len(session_figures(megalive)["buyer_hashes"]))


def test_the_apis_give_null_buyers_for_the_douyin_session(sold, official, bureau_staff):
    lhasa, megalive = sold["lhasa_live"], sold["megalive"]
    body = api(bureau_staff).get(f"/api/v1/sessions/{lhasa.pk}/sales/").json()
    assert body["buyers"] is None and body["orders"] == session_figures(lhasa)["orders"]
    known = api(bureau_staff).get(f"/api/v1/sessions/{megalive.pk}/sales/").json()
    assert known["buyers"] == len(session_figures(megalive)["buyer_hashes"])

    report = api(official).get(f"/api/v1/reports/sessions/{lhasa.pk}/").json()
    assert report["buyers"] is None and report["buyers_partial"] is False
    assert report["orders_without_buyer"] == report["orders"]
    overview = api(official).get("/api/v1/reports/overview/", WHOLE).json()
    cny = next(entry for entry in overview["kpis"] if entry["currency"] == "CNY")
    assert cny["current"]["buyers"] is None and cny["change"]["buyers"] is None
