"""Every dashboard table downloads as CSV and XLSX, with the page's figures, and with text a
spreadsheet would run as a formula (leading = + - @) escaped in both formats."""

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import Channel, Product
from cooperatives.models import Cooperative
from dashboards.models import ReportedSessionTotals
from livestreams.models import Host, Session
from orders.models import OrderLine
from orders.services import recompute_session_sales
from tests.livestreams.factories import LineupItemFactory, SessionFactory, SessionHostFactory

from .expected import period_figures, session_figures

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def both(client, url, params) -> tuple[list[list[str]], list[tuple]]:
    return (
        csv_rows(client.get(url, {**params, "format": "csv"})),
        xlsx_rows(client.get(url, {**params, "format": "xlsx"})),
    )


OVERVIEW_TABLES = ("kpis", "trend", "top_products", "top_cooperatives", "top_hosts",
                   "top_channels", "upcoming")  # fmt: skip
SESSION_TABLES = ("figures", "bins", "lineup", "products", "cooperatives", "comparison")


@pytest.fixture
def hostile(sold):
    """Names a spreadsheet would run: a product, a cooperative, a host, a channel, a session."""
    megalive = sold["megalive"]
    line = OrderLine.objects.filter(order__session=megalive, product__isnull=False).first()
    Product.objects.filter(pk=line.product_id).update(name='=HYPERLINK("http://x")')
    Cooperative.objects.filter(pk=line.product.cooperative_id).update(name="+SUM(A1)")
    Host.objects.filter(pk=megalive.hosts.get().pk).update(display_name="-2+3")
    Channel.objects.filter(pk=megalive.channel_id).update(name="@cmd")
    upcoming = SessionFactory(
        title="=cmd|' /C calc'!A0",
        channel=megalive.channel,
        scheduled_start=timezone.now() + dt.timedelta(days=1),
    )
    SessionHostFactory(session=upcoming)
    LineupItemFactory(session=megalive, product_id=line.product_id, position=1)
    ReportedSessionTotals.objects.create(session=megalive, orders=1, gross_gmv=Decimal(1))
    return line.product_id


HOSTILE = ('=HYPERLINK("http://x")', "+SUM(A1)", "-2+3", "@cmd", "=cmd|' /C calc'!A0")


def test_every_overview_table_downloads_with_formulas_escaped(hostile, official_client):
    seen: set[str] = set()
    for table in OVERVIEW_TABLES:
        rows, sheet = both(official_client, "/dashboards/", {**WHOLE, "table": table})
        assert len(rows) > 1 and len(sheet) == len(rows), table
        for value in [cell for row in rows for cell in row] + [
            cell for row in sheet for cell in row if isinstance(cell, str)
        ]:
            assert value not in HOSTILE, (table, value)
            if value.startswith("'") and value[1:] in HOSTILE:
                seen.add(value[1:])
    assert seen == set(HOSTILE)


def test_the_overview_rankings_download_the_figures_shown(hostile, official_client):
    response = official_client.get("/dashboards/", WHOLE)
    for name in ("top_products", "top_cooperatives", "top_hosts", "top_channels"):
        sheet = xlsx_rows(official_client.get("/dashboards/", {**WHOLE, "table": name,
                                                               "format": "xlsx"}))  # fmt: skip
        header = list(sheet[0])
        gross = header.index("Gross GMV")
        shown = [
            (currency, Decimal(str(row["gross_gmv"])))
            for currency, rows in response.context[name].items()
            for row in rows
        ]
        assert [(row[0], Decimal(str(row[gross]))) for row in sheet[1:]] == shown, name
        # Amounts stay numbers a spreadsheet can add up.
        assert all(isinstance(row[gross], int | float) for row in sheet[1:])
    # And the products ranking, against the order lines themselves.
    rows = csv_rows(official_client.get("/dashboards/", {**WHOLE, "table": "top_products",
                                                         "format": "csv"}))  # fmt: skip
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in OrderLine.objects.filter(order__session__isnull=False, product__isnull=False):
        totals[line.product_id] += line.line_value
    top_vnd = sorted(
        (value for pk, value in totals.items()
         if Product.objects.get(pk=pk).currency == "VND"), reverse=True,
    )[:5]  # fmt: skip
    assert [Decimal(row[4]) for row in rows[1:] if row[0] == "VND"] == top_vnd


def test_the_kpi_download_gives_each_currencys_figures_and_unknown_buyers(sold, official_client):
    rows = csv_rows(official_client.get("/dashboards/", {**WHOLE, "table": "kpis",
                                                         "format": "csv"}))  # fmt: skip
    figures = {(row[0], row[1]): row[2] for row in rows[1:]}
    expected = period_figures(dt.date(2025, 5, 1), dt.date(2025, 9, 30))
    for currency in ("VND", "CNY"):
        assert Decimal(figures[(currency, "Gross GMV")]) == expected[currency]["gross_gmv"]
        assert int(figures[(currency, "Orders")]) == expected[currency]["orders"]
    assert figures[("CNY", "Buyers")] == "unknown"
    assert int(figures[("VND", "Buyers")]) == len(expected["VND"]["buyer_hashes"])
    # Never a row adding the two currencies together.
    assert {row[0] for row in rows[1:]} == {"VND", "CNY"}


def test_every_session_table_downloads_with_the_pages_figures(hostile, official_client):
    megalive = Session.objects.get(title="Gia Lai megalive")
    url = f"/dashboards/sessions/{megalive.pk}/"
    for table in SESSION_TABLES:
        rows, sheet = both(official_client, url, {"table": table})
        assert len(rows) > 1 and len(sheet) == len(rows), table
        assert not {cell for row in rows for cell in row} & set(HOSTILE), table
    figures = session_figures(megalive)
    download = official_client.get(url, {"table": "figures", "format": "csv"})
    kpis = {row[0]: row[1] for row in csv_rows(download)}
    assert Decimal(kpis["Gross GMV"]) == figures["gross_gmv"]
    assert Decimal(kpis["Net GMV"]) == figures["net_gmv"]
    assert int(kpis["Units"]) == figures["units"]

    products = csv_rows(official_client.get(url, {"table": "products", "format": "csv"}))
    per_product: Counter = Counter()
    for line in OrderLine.objects.filter(order__session=megalive).select_related("product"):
        per_product[line.product.name if line.product else "Not matched yet"] += line.quantity
    assert {row[0].removeprefix("'"): int(row[3]) for row in products[1:]} == dict(per_product)
    assert '\'=HYPERLINK("http://x")' in {row[0] for row in products[1:]}

    bins = csv_rows(official_client.get(url, {"table": "bins", "format": "csv"}))
    assert sum(int(row[1]) for row in bins[1:]) == figures["orders"]
    lineup = xlsx_rows(official_client.get(url, {"table": "lineup", "format": "xlsx"}))
    assert lineup[1][1] == '\'=HYPERLINK("http://x")'
    # Not rolled up with its line-up yet: the slot figures are unknown, not zero.
    assert lineup[1][4:12] == (None,) * 8
    recompute_session_sales(session_ids=[megalive.pk])
    lineup = xlsx_rows(official_client.get(url, {"table": "lineup", "format": "xlsx"}))
    # Never on air: every unit sold outside its (empty) slot.
    assert (lineup[1][5], lineup[1][9]) == (0, per_product['=HYPERLINK("http://x")'])


def test_the_monthly_report_tables_download(sold, official_client):
    rows = csv_rows(
        official_client.get(
            "/dashboards/monthly-report/", {"month": "2025-05", "table": "kpis", "format": "csv"}
        )
    )
    gross = next(row for row in rows if row[1] == "Gross GMV")
    assert Decimal(gross[2]) == session_figures(sold["megalive"])["gross_gmv"]
    products = csv_rows(
        official_client.get(
            "/dashboards/monthly-report/",
            {"month": "2025-05", "table": "top_products", "format": "csv"},
        )
    )
    assert len(products) == 11  # the report's top ten, and the header
    assert (
        "table=top_products&amp;month=2025-05&amp;format=csv"
        in official_client.get("/dashboards/monthly-report/", {"month": "2025-05"}).content.decode()
    )


def test_the_pages_link_each_tables_downloads(sold, official_client):
    page = official_client.get("/dashboards/", WHOLE).content.decode()
    for table in OVERVIEW_TABLES[:-1]:
        assert f"table={table}&amp;start=2025-05-01&amp;end=2025-09-30&amp;format=xlsx" in page
    session = official_client.get(f"/dashboards/sessions/{sold['megalive'].pk}/").content.decode()
    for table in ("figures", "bins", "products", "cooperatives"):
        assert f"?table={table}&amp;format=csv" in session


def test_members_download_none_of_the_base_wide_tables(sold, coop_client):
    for url in ("/dashboards/", "/dashboards/monthly-report/",
                f"/dashboards/sessions/{sold['megalive'].pk}/"):  # fmt: skip
        assert coop_client.get(url, {"table": "kpis", "format": "csv"}).status_code == 403
