"""The list of every cooperative's sales, for officials and staff; members go to their own."""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cooperatives.models import Cooperative
from orders.models import OrderLine
from tests.conftest import client_for
from tests.cooperatives.factories import CooperativeFactory

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def expected_sales() -> dict[tuple[int, str], dict]:
    """Per cooperative and currency: gross GMV and units of its products' attributed lines."""
    sums: dict[tuple[int, str], dict] = defaultdict(lambda: {"gross": Decimal(0), "units": 0})
    for line in OrderLine.objects.filter(
        order__session__isnull=False, product__isnull=False
    ).select_related("product", "order"):
        entry = sums[(line.product.cooperative_id, line.order.currency)]
        entry["gross"] += line.line_value
        entry["units"] += line.quantity
    return dict(sums)


def test_officials_see_every_approved_cooperatives_sales_per_currency(
    sold, official_client, other_cooperative
):
    idle = CooperativeFactory(name="Idle cooperative", status=Cooperative.Status.APPROVED)
    pending = CooperativeFactory(name="Pending cooperative", status=Cooperative.Status.PENDING)
    response = official_client.get("/dashboards/cooperatives/", WHOLE)
    assert response.status_code == 200
    rows = response.context["rows"]
    shown = {
        (row["cooperative_id"], row["currency"]): {"gross": row["gross_gmv"],
                                                   "units": row["unit_count"]}
        for row in rows
        if row["currency"]
    }  # fmt: skip
    assert shown == expected_sales()
    zeros = {row["cooperative_id"] for row in rows if not row["currency"]}
    assert idle.pk in zeros and pending.pk not in {row["cooperative_id"] for row in rows}
    html = response.content.decode()
    for cooperative_id, _currency in shown:
        assert f'href="/dashboards/cooperatives/{cooperative_id}/"' in html
    # Nothing in another period.
    june = official_client.get("/dashboards/cooperatives/", {"start": "2025-06-01",
                                                             "end": "2025-06-30"})  # fmt: skip
    assert not any(row["currency"] for row in june.context["rows"])


def test_sorting_by_gmv_ranks_within_each_currency(sold, official_client):
    rows = official_client.get("/dashboards/cooperatives/", {**WHOLE, "sort": "gmv"}).context[
        "rows"
    ]
    sold_rows = [row for row in rows if row["currency"]]
    assert rows[: len(sold_rows)] == sold_rows
    for currency in ("VND", "CNY"):
        amounts = [row["gross_gmv"] for row in sold_rows if row["currency"] == currency]
        assert amounts == sorted(amounts, reverse=True) and amounts


def test_a_member_is_sent_to_their_own_cooperative_and_sees_no_other(
    sold, coop_client, cooperative, other_coop_client, other_cooperative, host_user, anonymous
):
    response = coop_client.get("/dashboards/cooperatives/")
    assert response.status_code == 302 and response.url == "/dashboards/my-cooperative/"
    followed = coop_client.get("/dashboards/cooperatives/", follow=True)
    assert followed.context["cooperative"] == cooperative
    other = other_coop_client.get("/dashboards/cooperatives/", follow=True)
    assert other.context["cooperative"] == other_cooperative
    assert coop_client.get(f"/dashboards/cooperatives/{other_cooperative.pk}/").status_code == 404
    assert coop_client.get("/dashboards/cooperatives/", {"format": "csv"}).status_code == 302
    assert client_for(host_user).get("/dashboards/cooperatives/").status_code == 403
    assert anonymous.get("/dashboards/cooperatives/").status_code == 302
    assert APIClient().get("/api/v1/reports/cooperatives/").status_code in (401, 403)


def test_the_list_downloads_with_names_escaped(sold, official_client, cooperative):
    Cooperative.objects.filter(pk=cooperative.pk).update(name="=2+5")
    response = official_client.get("/dashboards/cooperatives/", {**WHOLE, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert "'=2+5" in {row[0] for row in rows[1:]} and "=2+5" not in {row[0] for row in rows}
    xlsx = official_client.get("/dashboards/cooperatives/", {**WHOLE, "format": "xlsx"})
    sheet = list(
        load_workbook(io.BytesIO(xlsx.getvalue())).worksheets[0].iter_rows(values_only=True)
    )
    row = next(row for row in sheet if row[0] == "'=2+5")
    expected = expected_sales()[(cooperative.pk, "CNY")]
    assert (row[4], Decimal(str(row[5])), row[7]) == ("CNY", expected["gross"], expected["units"])


def test_the_endpoint_gives_the_same_rows_and_refuses_members(sold, official, coop_member):
    client = APIClient()
    client.force_authenticate(official)
    body = client.get("/api/v1/reports/cooperatives/", WHOLE).json()
    shown = {
        (row["cooperative_id"], row["currency"]): row["gross_gmv"]
        for row in body["cooperatives"]
        if row["currency"]
    }
    assert shown == {key: f"{value['gross']:.2f}" for key, value in expected_sales().items()}
    member = APIClient()
    member.force_authenticate(coop_member)
    assert member.get("/api/v1/reports/cooperatives/").status_code == 403


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_list_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=sessions)
    official_client.get("/dashboards/")
    # Queries: session, user, groups (3); the bases (1); the period's sales per cooperative
    # (1); the cooperatives (1).
    with django_assert_num_queries(6):
        response = official_client.get(
            "/dashboards/cooperatives/", {"start": "2025-06-01", "end": "2025-06-30"}
        )
    assert sum(row["sessions"] > 0 for row in response.context["rows"]) == 3
