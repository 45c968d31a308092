"""Programme roll-ups: by origin, category, platform and OCOP rating, per currency; monthly
targets set by staff against what each month sold; the share of the province's declared
production capacity the base sold."""

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from rest_framework.test import APIClient

from catalog.models import Product
from dashboards.models import ProgrammeTarget
from orders.models import OrderLine
from tests.catalog.factories import CertificationFactory, ProductFactory

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
SEPTEMBER = {"start": "2025-09-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(sold, lhasa_listings, cooperative):
    """The Lhasa products come from two districts; one holds a five-star OCOP rating."""
    products = [listing.product for listing in lhasa_listings.values()]
    for index, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(
            origin_district="Chengguan" if index % 2 else "Doilungdeqen",
            origin_commune=f"Commune {index % 3}",
        )
    CertificationFactory(
        cooperative=cooperative,
        product=products[0],
        stars=5,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2027, 1, 1),
    )
    return products[0]


def sold_lines(start: dt.date, end: dt.date):
    """Attributed lines of sessions held in [start, end], read straight from the orders."""
    return [
        line
        for line in OrderLine.objects.filter(order__session__isnull=False).select_related(
            "product__category", "order__session__channel"
        )
        if start <= local_day(line.order.session) <= end
    ]


def local_day(session) -> dt.date:
    from .expected import local_day as day

    return day(session)


def expected_by(key, start=dt.date(2025, 5, 1), end=dt.date(2025, 9, 30)) -> dict:
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in sold_lines(start, end):
        if line.product_id is not None:
            sums[(key(line), line.order.currency)] += line.line_value
    return dict(sums)


def test_each_grouping_equals_the_lines_of_the_sessions_orders(rated, official_client):
    response = official_client.get("/dashboards/programme/", WHOLE)
    assert response.status_code == 200
    sections = {key: rows for key, _title, rows in response.context["sections"]}

    def shown(key):
        return {(row["value"], row["currency"]): row["gross_gmv"] for row in sections[key]}

    assert shown("district") == expected_by(lambda line: line.product.origin_district)
    assert shown("category") == expected_by(lambda line: line.product.category_id)
    assert shown("stars") == expected_by(lambda line: 5 if line.product_id == rated.pk else None)
    platforms = shown("platform")
    assert {currency for _name, currency in platforms} == {"VND", "CNY"}
    assert ("douyin", "CNY") in platforms and ("tiktok_shop", "VND") in platforms
    labels = {row["label"] for row in sections["platform"]}
    assert {"Douyin", "TikTok Shop"} <= labels
    assert {row["label"] for row in sections["stars"]} == {"OCOP 5★", "No OCOP rating"}


def test_programme_tables_download_and_are_not_for_members(rated, official_client, coop_client):
    response = official_client.get(
        "/dashboards/programme/", {**WHOLE, "table": "district", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Chengguan" in response.getvalue().decode("utf-8-sig")
    assert coop_client.get("/dashboards/programme/").status_code == 403
    assert coop_client.get("/dashboards/programme/targets/").status_code == 403


# --- Plan and actual ---------------------------------------------------------------------


def test_staff_set_monthly_targets_and_the_page_shows_plan_against_actual(
    rated, staff_client, official_client, lhasa_listings
):
    products = [listing.product for listing in lhasa_listings.values()]
    category = products[1].category
    for data in (
        {"dimension": "all", "currency": "CNY", "target_gmv": "5000"},
        {"dimension": "district", "district": "Chengguan", "currency": "CNY",
         "target_units": "40"},
        {"dimension": "platform", "platform": "douyin", "currency": "CNY", "target_gmv": "100",
         "target_units": "10"},
        {"dimension": "stars", "stars": "5", "currency": "CNY", "target_units": "3"},
        {"dimension": "category", "category": str(category.pk), "currency": "CNY",
         "target_gmv": "250.50"},
        # A target in another currency for the same month: compared with VND sales only.
        {"dimension": "all", "currency": "VND", "target_gmv": "1000000"},
    ):  # fmt: skip
        response = staff_client.post(
            "/dashboards/programme/targets/new/", {"month": "2025-09", **data}
        )
        assert response.status_code == 302, response.context["form"].errors
    assert ProgrammeTarget.objects.count() == 6
    assert set(ProgrammeTarget.objects.values_list("month", flat=True)) == {dt.date(2025, 9, 1)}

    # Independently: September's lines (the Lhasa live); no VND session that month.
    lines = sold_lines(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    gross = sum((line.line_value for line in lines), Decimal(0))
    chengguan_units = sum(
        line.quantity for line in lines if line.product and line.product.origin_district
        == "Chengguan"
    )  # fmt: skip
    rated_units = sum(line.quantity for line in lines if line.product_id == rated.pk)
    category_gross = sum(
        (line.line_value for line in lines if line.product and line.product.category == category),
        Decimal(0),
    )
    units = sum(line.quantity for line in lines)

    response = official_client.get("/dashboards/programme/", SEPTEMBER)
    plan = {(row["dimension"], row["currency"]): row for row in response.context["plan"]}
    assert plan[("all", "CNY")]["actual_gmv"] == gross
    assert plan[("all", "CNY")]["gmv_achieved"] == gross / 5000
    assert plan[("all", "VND")]["actual_gmv"] == 0
    assert plan[("district", "CNY")]["actual_units"] == chengguan_units
    assert plan[("district", "CNY")]["units_achieved"] == Decimal(chengguan_units) / 40
    assert plan[("district", "CNY")]["gmv_achieved"] is None
    assert plan[("platform", "CNY")]["actual_units"] == units
    assert plan[("platform", "CNY")]["actual_gmv"] == gross
    assert plan[("stars", "CNY")]["actual_units"] == rated_units
    assert plan[("category", "CNY")]["actual_gmv"] == category_gross
    assert plan[("category", "CNY")]["label"] == category.name
    html = response.content.decode()
    assert 'id="programme-plan"' in html and "Chengguan" in html

    # A period of the month's second half still sets the targets against the whole month.
    half = official_client.get(
        "/dashboards/programme/", {"start": "2025-09-25", "end": "2025-09-30"}
    )
    assert [row["actual_gmv"] for row in half.context["plan"]] == [
        row["actual_gmv"] for row in response.context["plan"]
    ]
    # Months without a target show none.
    assert official_client.get("/dashboards/programme/", WHOLE).context["plan"] != []
    may = official_client.get(
        "/dashboards/programme/", {"start": "2025-05-01", "end": "2025-05-31"}
    )
    assert may.context["plan"] == []

    download = official_client.get("/dashboards/programme/", {**SEPTEMBER, "table": "plan",
                                                               "format": "xlsx"})  # fmt: skip
    sheet = load_workbook(io.BytesIO(download.getvalue())).worksheets[0]
    assert sheet.max_row == 7


def test_officials_read_the_targets_but_cannot_set_change_or_delete_them(
    db, official_client, staff_client
):
    target = ProgrammeTarget.objects.create(
        dimension="all", month=dt.date(2025, 9, 1), currency="VND", target_gmv=Decimal(10)
    )
    assert official_client.get("/dashboards/programme/targets/").status_code == 200
    assert official_client.get("/dashboards/programme/targets/new/").status_code == 403
    new = {"dimension": "all", "month": "2025-10", "currency": "VND", "target_gmv": "5"}
    assert official_client.post("/dashboards/programme/targets/new/", new).status_code == 403
    edit = f"/dashboards/programme/targets/{target.pk}/"
    assert official_client.post(edit, {**new, "month": "2025-09"}).status_code == 403
    assert official_client.post(f"{edit}delete/").status_code == 403
    assert ProgrammeTarget.objects.count() == 1
    page = official_client.get("/dashboards/programme/targets/").content.decode()
    assert "/dashboards/programme/targets/new/" not in page and edit not in page

    assert (
        staff_client.post(edit, {**new, "month": "2025-09", "target_gmv": "7"}).status_code == 302
    )
    target.refresh_from_db()
    assert target.target_gmv == 7
    assert staff_client.post(f"{edit}delete/").status_code == 302
    assert not ProgrammeTarget.objects.exists()


def test_the_target_form_refuses_a_second_target_for_the_same_group_and_month(
    db, staff_client, bureau_staff
):
    data = {"dimension": "platform", "platform": "douyin", "month": "2025-09", "currency": "CNY",
            "target_units": "10"}  # fmt: skip
    assert staff_client.post("/dashboards/programme/targets/new/", data).status_code == 302
    assert ProgrammeTarget.objects.get().set_by == bureau_staff
    again = staff_client.post("/dashboards/programme/targets/new/", data)
    assert again.status_code == 200
    assert "There is already a target for this group, month and currency." in str(
        again.context["form"].errors
    )
    missing = staff_client.post(
        "/dashboards/programme/targets/new/",
        {"dimension": "district", "month": "2025-09", "currency": "CNY", "target_units": "1"},
    )
    assert "district" in missing.context["form"].errors
    empty = staff_client.post(
        "/dashboards/programme/targets/new/",
        {"dimension": "all", "month": "2025-09", "currency": "CNY"},
    )
    assert empty.status_code == 200 and ProgrammeTarget.objects.count() == 1


def test_the_database_holds_the_targets_rules(db):
    base = {"month": dt.date(2025, 9, 1), "currency": "VND", "target_gmv": Decimal(1)}
    for bad in (
        {"dimension": "stars", "value": "6"},
        {"dimension": "platform", "value": "myspace"},
        {"dimension": "district", "value": ""},
        {"dimension": "all", "value": "x"},
        {"dimension": "category", "value": ""},
        {"dimension": "all", "month": dt.date(2025, 9, 2)},
        {"dimension": "all", "target_gmv": None},
        {"dimension": "all", "target_gmv": Decimal(-1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgrammeTarget.objects.create(**{**base, **bad})
    ProgrammeTarget.objects.create(dimension="stars", value="5", **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTarget.objects.create(dimension="stars", value="5", **base)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_targets_endpoint_is_written_by_staff_and_read_by_officials(
    db, bureau_staff, official, coop_member
):
    url = "/api/v1/reports/programme/targets/"
    data = {"dimension": "stars", "value": "4", "month": "2025-09-01", "currency": "VND",
            "target_gmv": "1500000"}  # fmt: skip
    created = api(bureau_staff).post(url, data, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["group_label"] == "OCOP 4★"
    assert api(bureau_staff).post(url, data, format="json").status_code == 400
    bad = api(bureau_staff).post(url, {**data, "value": "7"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()
    assert api(official).get(url).json()["results"][0]["target_gmv"] == "1500000.00"
    assert api(official).get("/api/v1/").json()["reports-programme-targets"].endswith(url)
    assert api(official).post(url, {**data, "value": "3"}, format="json").status_code == 403
    target_url = f"{url}{created.json()['id']}/"
    assert api(official).patch(target_url, {"target_gmv": "1"}, format="json").status_code == 403
    assert api(official).delete(target_url).status_code == 403
    assert api(coop_member).get(url).status_code == 403
    changed = api(bureau_staff).patch(target_url, {"target_units": 50}, format="json")
    assert changed.status_code == 200 and changed.json()["target_units"] == 50
    assert api(bureau_staff).delete(target_url).status_code == 204


def test_the_programme_endpoint_gives_plan_and_capacity(rated, official):
    ProgrammeTarget.objects.create(
        dimension="all", month=dt.date(2025, 9, 1), currency="CNY", target_gmv=Decimal(100)
    )
    body = api(official).get("/api/v1/reports/programme/", SEPTEMBER).json()
    (entry,) = body["plan"]
    lines = sold_lines(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    gross = sum((line.line_value for line in lines), Decimal(0))
    assert entry["actual_gmv"] == f"{gross:.2f}" and entry["target_gmv"] == "100.00"
    assert set(body["capacity"]) == {"all", "district", "commune", "category", "stars"}


# --- Production capacity --------------------------------------------------------------------


def test_the_share_of_capacity_sold_is_units_over_the_declared_monthly_capacity(
    rated, official_client, lhasa_listings
):
    products = [listing.product for listing in lhasa_listings.values()]
    capacities = {product.pk: 100 + 10 * index for index, product in enumerate(products[:3])}
    for pk, capacity in capacities.items():
        Product.objects.filter(pk=pk).update(monthly_capacity=capacity)
    # An approved product with a capacity that sold nothing counts in the capacity; a draft
    # one does not.
    idle = ProductFactory(monthly_capacity=500, origin_district="Chengguan")
    ProductFactory(monthly_capacity=9999, status=Product.Status.DRAFT)

    lines = sold_lines(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    sold = sum(line.quantity for line in lines if line.product_id in capacities)
    total = sum(capacities.values()) + 500

    response = official_client.get("/dashboards/programme/", SEPTEMBER)
    capacity = {key: rows for key, _title, rows in response.context["capacity"]}
    (whole,) = capacity["all"]
    assert (whole["units_sold"], whole["capacity"], whole["products"]) == (sold, total, 4)
    assert whole["share"] == Decimal(sold) / total
    districts = {row["value"]: row for row in capacity["district"]}
    chengguan = [pk for pk in capacities if Product.objects.get(pk=pk).origin_district
                 == "Chengguan"]  # fmt: skip
    assert districts["Chengguan"]["capacity"] == sum(capacities[pk] for pk in chengguan) + 500
    assert districts["Chengguan"]["units_sold"] == sum(
        line.quantity for line in lines if line.product_id in chengguan
    )
    assert idle.pk not in capacities

    # Half of September: half the monthly capacity.
    half = official_client.get(
        "/dashboards/programme/", {"start": "2025-09-16", "end": "2025-09-30"}
    )
    (half_whole,) = {key: rows for key, _t, rows in half.context["capacity"]}["all"]
    assert half_whole["capacity"] == Decimal(total * 15) / 30
    download = official_client.get(
        "/dashboards/programme/", {**SEPTEMBER, "table": "capacity-all", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert rows[1][1:3] == ["4", str(sold)]


def test_the_targets_list_downloads_with_notes_escaped(db, official_client):
    ProgrammeTarget.objects.create(
        dimension="all", month=dt.date(2025, 9, 1), currency="VND", target_gmv=Decimal(10),
        note="=HYPERLINK(\"http://x\")",
    )  # fmt: skip
    response = official_client.get("/dashboards/programme/targets/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[1][-1] == '\'=HYPERLINK("http://x")'


def test_bureau_staff_manage_targets_in_the_admin(db, staff_client, bureau_staff):
    response = staff_client.post(
        "/admin/dashboards/programmetarget/add/",
        {"dimension": "platform", "value": "lazada", "month": "2025-10-01", "currency": "VND",
         "target_gmv": "2000000", "target_units": "", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    target = ProgrammeTarget.objects.get()
    assert (target.value, target.set_by) == ("lazada", bureau_staff)
    assert staff_client.get("/admin/dashboards/programmetarget/").status_code == 200


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_programme_query_count_does_not_grow_with_the_data(
    sessions, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=sessions)
    for product in Product.objects.all():
        product.monthly_capacity = 1000
        product.save()
    ProgrammeTarget.objects.create(
        dimension="all", month=dt.date(2025, 6, 1), currency="VND", target_gmv=Decimal(10)
    )
    ProgrammeTarget.objects.create(
        dimension="platform", value="tiktok_shop", month=dt.date(2025, 6, 1), currency="VND",
        target_units=10,
    )  # fmt: skip
    official_client.get("/dashboards/")
    # Queries: session, user, groups (3); product roll-ups, OCOP ratings, capacities and
    # targets (4); the targets' months' sales (1); the bases (1).
    with django_assert_num_queries(9):
        response = official_client.get(
            "/dashboards/programme/", {"start": "2025-06-01", "end": "2025-06-30"}
        )
    assert len(response.context["plan"]) == 2
