"""A cooperative's own sales page, and the CSV/XLSX downloads of the tables."""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from orders.models import OrderLine

from .conftest import LHASA_FILE, read_rows

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def test_a_member_sees_what_their_cooperative_sold_per_product_and_month(
    sold, coop_client, cooperative
):
    response = coop_client.get("/dashboards/my-cooperative/", follow=True)
    assert response.status_code == 200
    assert response.context["cooperative"] == cooperative
    lines = OrderLine.objects.filter(product__cooperative=cooperative, order__session__isnull=False)
    per_product: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines.select_related("product"):
        per_product[line.product.name] += line.line_value
    shown = {row["product__name"]: row["gross_gmv"] for row in response.context["products"]}
    assert shown == dict(per_product)
    (month,) = response.context["months"]
    assert month["currency"] == "CNY" and month["month"].month == 9
    assert month["gross_gmv"] == sum(per_product.values())
    # Every line of the Douyin file is matched to one of this cooperative's products.
    file_units = sum(int(row["商品数量"]) for row in read_rows(LHASA_FILE))
    assert month["unit_count"] == file_units
    (total,) = response.context["totals"]
    assert total["gross_gmv"] == month["gross_gmv"]


def test_a_member_never_sees_another_cooperatives_page(sold, coop_client, other_coop_client):
    gia_lai_cooperative = sold["megalive"].product_sales.exclude(cooperative=None)[0].cooperative
    assert coop_client.get(f"/dashboards/cooperatives/{gia_lai_cooperative.pk}/").status_code == 404
    response = other_coop_client.get("/dashboards/my-cooperative/", follow=True)
    assert response.context["products"] == [] and response.context["months"] == []
    assert coop_client.get("/dashboards/").status_code == 403
    assert coop_client.get("/dashboards/sessions/", {"format": "csv"}).status_code == 403


def test_an_official_reads_any_cooperative_but_changes_nothing(sold, official_client, cooperative):
    url = f"/dashboards/cooperatives/{cooperative.pk}/"
    assert official_client.get(url).status_code == 200
    assert official_client.post(url).status_code == 405
    assert official_client.post("/dashboards/sessions/").status_code == 405


HOSTILE = ['=HYPERLINK("http://x")', "+SUM(A1)", "-2+3", "@cmd"]


def test_csv_and_xlsx_downloads_escape_cells_that_would_start_a_formula(sold, staff_client):
    megalive = sold["megalive"]
    for title in HOSTILE:
        megalive.title = title
        megalive.save()
        csv_response = staff_client.get("/dashboards/sessions/", {**WHOLE, "format": "csv"})
        assert csv_response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
        assert ["'" + title] == [row[1] for row in rows[1:] if row[1].endswith(title)]
        xlsx_response = staff_client.get("/dashboards/sessions/", {**WHOLE, "format": "xlsx"})
        sheet = load_workbook(io.BytesIO(xlsx_response.getvalue())).worksheets[0]
        titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "'" + title in titles and title not in titles
        # Amounts stay numbers a spreadsheet can add up.
        assert all(
            isinstance(row[7], int | float) for row in sheet.iter_rows(min_row=2, values_only=True)
        )


def test_cooperative_tables_download_with_product_names_escaped(sold, coop_client, cooperative):
    product = cooperative.products.first()
    product.name = "=1+1"
    product.save()
    url = f"/dashboards/cooperatives/{cooperative.pk}/"
    response = coop_client.get(url, {"table": "products", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert "'=1+1" in [row[0] for row in rows[1:]]
    xlsx = coop_client.get(url, {"table": "months", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).worksheets[0]
    assert sheet.max_row == 2


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_cooperative_page_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    from dashboards.models import ProductSalesFact

    generated_sales(sessions=sessions)
    cooperative_id = ProductSalesFact.objects.exclude(cooperative=None).first().cooperative_id
    official_client.get("/dashboards/")
    # Queries: session, user, groups (3); the cooperative (1); months, products, sessions (3).
    with django_assert_num_queries(7):
        official_client.get(f"/dashboards/cooperatives/{cooperative_id}/")
