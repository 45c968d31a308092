"""Bases (#13): the hosts, cooperatives, deliveries and programme pages, their downloads and
their API endpoints show one base's figures (?base=<slug>) or every base's (?base=all); staff
of one base open on their base. The `sold` world: the test base sells in VND (the megalive),
the Lhasa base in CNY (the Lhasa live)."""

import pytest
from rest_framework.test import APIClient

from catalog.models import StaffBase
from tests.catalog.factories import BaseFactory
from tests.conftest import client_for

from .test_overview import WHOLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bases(sold, lhasa_channel):
    """The `sold` world with its Lhasa channel moved to a base of its own (as in
    test_bases)."""
    lhasa = BaseFactory(name="Lhasa base", slug="lhasa")
    lhasa_channel.base = lhasa
    lhasa_channel.save()
    return lhasa


def page(client, url: str, **params):
    response = client.get(url, {**WHOLE, **params})
    assert response.status_code == 200
    return response


def host_names(response) -> set[str]:
    return {row["name"] for row in response.context["hosts"]}


def test_the_hosts_comparison_filters_by_base(two_bases, official_client):
    every = page(official_client, "/dashboards/hosts/")
    assert host_names(every) == {"KOL Gia Lai", "Lhasa host"}
    assert "data-base-choice" in every.content.decode()
    lhasa = page(official_client, "/dashboards/hosts/", base="lhasa")
    assert lhasa.context["base"] == two_bases
    assert host_names(lhasa) == {"Lhasa host"}
    assert {row["currency"] for row in lhasa.context["hosts"]} == {"CNY"}
    assert host_names(page(official_client, "/dashboards/hosts/", base="test-base")) == {
        "KOL Gia Lai"
    }
    assert host_names(page(official_client, "/dashboards/hosts/", base="all")) == {
        "KOL Gia Lai",
        "Lhasa host",
    }
    # The download keeps the base chosen.
    download = official_client.get(
        "/dashboards/hosts/", {**WHOLE, "base": "lhasa", "format": "csv"}
    )
    text = download.getvalue().decode("utf-8-sig")
    assert "Lhasa host" in text and "KOL Gia Lai" not in text


def test_the_cooperatives_list_filters_by_base(two_bases, official_client):
    def sold(response) -> set[str]:
        return {row["currency"] for row in response.context["rows"] if row["currency"]}

    every = page(official_client, "/dashboards/cooperatives/")
    assert sold(every) == {"VND", "CNY"}
    lhasa = page(official_client, "/dashboards/cooperatives/", base="lhasa")
    assert sold(lhasa) == {"CNY"}
    assert "base=lhasa" in lhasa.context["period_query"]
    assert sold(page(official_client, "/dashboards/cooperatives/", base="test-base")) == {"VND"}
    # The Lhasa base's cooperatives' figures are the same with or without the filter.
    lhasa_rows = {row["cooperative_id"]: row for row in lhasa.context["rows"] if row["currency"]}
    for row in every.context["rows"]:
        if row["currency"] == "CNY":
            assert lhasa_rows[row["cooperative_id"]]["gross_gmv"] == row["gross_gmv"]


def test_the_deliveries_filter_by_base(two_bases, official_client):
    def orders(response) -> int:
        return sum(row["orders"] for row in response.context["providers"])

    every = page(official_client, "/dashboards/deliveries/")
    lhasa = page(official_client, "/dashboards/deliveries/", base="lhasa")
    test_base = page(official_client, "/dashboards/deliveries/", base="test-base")
    assert orders(lhasa) > 0 and orders(test_base) > 0
    assert orders(lhasa) + orders(test_base) == orders(every)
    # The download links carry the base.
    assert "table=providers&amp;start=2025-05-01&amp;end=2025-09-30&amp;base=lhasa" in (
        lhasa.content.decode()
    )


def test_the_programme_filters_by_base(two_bases, official_client):
    def currencies(response) -> set[str]:
        return {row["currency"] for row in response.context["sections"][3][2]}

    every = page(official_client, "/dashboards/programme/")
    assert currencies(every) == {"VND", "CNY"}
    lhasa = page(official_client, "/dashboards/programme/", base="lhasa")
    assert currencies(lhasa) == {"CNY"}
    assert "data-targets-every-base" in lhasa.content.decode()
    assert (
        "data-targets-every-base"
        not in page(official_client, "/dashboards/programme/", base="all").content.decode()
    )
    assert currencies(page(official_client, "/dashboards/programme/", base="test-base")) == {"VND"}


def test_staff_of_one_base_open_these_pages_on_their_base(two_bases, bureau_staff):
    StaffBase.objects.create(user=bureau_staff, base=two_bases)
    client = client_for(bureau_staff)
    assert host_names(page(client, "/dashboards/hosts/")) == {"Lhasa host"}
    assert host_names(page(client, "/dashboards/hosts/", base="all")) == {
        "KOL Gia Lai",
        "Lhasa host",
    }


@pytest.mark.parametrize(
    ("endpoint", "rows"),
    [
        ("hosts", lambda body: body["hosts"]),
        ("cooperatives", lambda body: [r for r in body["cooperatives"] if r["currency"]]),
        ("programme", lambda body: body["platform"]),
        ("overview", lambda body: body["kpis"]),
    ],
)
def test_the_report_api_filters_by_base(two_bases, official, endpoint, rows):
    client = APIClient()
    client.force_authenticate(official)

    def currencies(**params) -> set[str]:
        response = client.get(f"/api/v1/reports/{endpoint}/", {**WHOLE, **params})
        assert response.status_code == 200
        return {row["currency"] for row in rows(response.json())}

    assert currencies() == {"VND", "CNY"}
    assert currencies(base="lhasa") == {"CNY"}
    assert currencies(base="test-base") == {"VND"}
    assert currencies(base="all") == {"VND", "CNY"}


def test_the_sessions_and_deliveries_api_filter_by_base(two_bases, official):
    client = APIClient()
    client.force_authenticate(official)
    every = client.get("/api/v1/reports/sessions/", WHOLE).json()["results"]
    lhasa = client.get("/api/v1/reports/sessions/", {**WHOLE, "base": "lhasa"}).json()["results"]
    assert 0 < len(lhasa) < len(every)

    def orders(**params) -> int:
        body = client.get("/api/v1/reports/deliveries/", {**WHOLE, **params}).json()
        return sum(row["orders"] for row in body["providers"])

    assert 0 < orders(base="lhasa") < orders()
