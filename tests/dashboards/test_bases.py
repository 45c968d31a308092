"""Bases (#13): the overview compares the bases side by side, each base's figures the sum of
its channels' (each currency on its own), and shows no comparison when there is one base."""

import datetime as dt
from decimal import Decimal

import pytest

from catalog.models import StaffBase
from dashboards.selectors import Period
from tests.catalog.factories import BaseFactory
from tests.conftest import client_for

from .test_overview import WHOLE, overview

pytestmark = pytest.mark.django_db


def test_the_overview_compares_the_bases_from_their_channels(
    sold, tiktok_channel, lhasa_channel, official_client
):
    lhasa = BaseFactory(name="Lhasa base", slug="lhasa")
    lhasa_channel.base = lhasa
    lhasa_channel.save()
    response = overview(official_client, **WHOLE)
    channels = {row["channel"]: row for row in response.context["channel_sales"]}
    bases = {(row["base"], row["currency"]): row for row in response.context["base_sales"]}
    assert set(bases) == {("Test base", "VND"), ("Lhasa base", "CNY")}
    for (name, _currency), row in bases.items():
        mine = [channel for channel in channels.values() if channel["base"] == name]
        assert row["channels"] == len(mine) == 1
        assert row["all"]["orders"] == sum(channel["all"]["orders"] for channel in mine) > 0
        assert row["all"]["gross_gmv"] == sum(
            (channel["all"]["gross_gmv"] for channel in mine), Decimal(0)
        )
        assert row["sessions"]["orders"] == sum(channel["sessions"]["orders"] for channel in mine)
    page = response.content.decode()
    assert "The bases compared" in page
    assert 'data-base="Lhasa base"' in page


def test_one_base_shows_no_comparison(sold, official_client):
    response = overview(official_client, **WHOLE)
    # Both channels are the test base's (in two currencies): nothing to compare.
    assert response.context["base_sales"] == []
    assert "The bases compared" not in response.content.decode()


@pytest.fixture
def two_bases(sold, lhasa_channel):
    """The `sold` world with its Lhasa channel moved to a base of its own."""
    lhasa = BaseFactory(name="Lhasa base", slug="lhasa")
    lhasa_channel.base = lhasa
    lhasa_channel.save()
    return lhasa


def currencies(response) -> set[str]:
    return {entry["currency"] for entry in response.context["kpis"]}


def test_the_overview_filters_by_base(two_bases, official_client):
    every = overview(official_client, **WHOLE)
    assert currencies(every) == {"VND", "CNY"}
    assert "data-base-choice" in every.content.decode()

    lhasa = overview(official_client, **WHOLE, base="lhasa")
    assert lhasa.context["base"] == two_bases
    assert currencies(lhasa) == {"CNY"}
    assert {row["channel"] for row in lhasa.context["channel_sales"]} == {
        "Lhasa Excellent Products"
    }
    # Each figure of the base equals the same figure unfiltered (the other base sells in VND).
    (cny,) = [entry for entry in every.context["kpis"] if entry["currency"] == "CNY"]
    assert lhasa.context["kpis"][0]["current"] == cny["current"]
    assert "base=lhasa" in lhasa.context["period_query"]
    assert "Sales overview: Lhasa base" in lhasa.content.decode()

    test_base = overview(official_client, **WHOLE, base="test-base")
    assert currencies(test_base) == {"VND"}
    assert currencies(overview(official_client, **WHOLE, base="all")) == {"VND", "CNY"}


def test_staff_of_one_base_open_on_their_base_and_may_ask_for_all(two_bases, bureau_staff):
    StaffBase.objects.create(user=bureau_staff, base=two_bases)
    client = client_for(bureau_staff)
    assert currencies(overview(client, **WHOLE)) == {"CNY"}
    assert currencies(overview(client, **WHOLE, base="all")) == {"VND", "CNY"}


def test_the_monthly_report_filters_by_base(two_bases, official_client):
    # The `sold` world: the VND megalive in May 2025, the CNY live in September 2025.
    may = official_client.get("/dashboards/monthly-report/", {"month": "2025-05"})
    assert currencies(may) == {"VND"}
    lhasa_may = official_client.get(
        "/dashboards/monthly-report/", {"month": "2025-05", "base": "lhasa"}
    )
    assert currencies(lhasa_may) == set()
    lhasa_september = official_client.get(
        "/dashboards/monthly-report/", {"month": "2025-09", "base": "lhasa"}
    )
    assert currencies(lhasa_september) == {"CNY"}
    assert "Lhasa base: sales report for" in lhasa_september.content.decode()


def test_a_period_keeps_its_base_in_the_period_before():
    month = Period(dt.date(2025, 9, 1), dt.date(2025, 9, 30), base_id=7)
    assert month.is_whole_month
    assert month.previous() == Period(dt.date(2025, 8, 1), dt.date(2025, 8, 31), base_id=7)
    week = Period(dt.date(2025, 9, 8), dt.date(2025, 9, 14), base_id=7)
    assert week.previous() == Period(dt.date(2025, 9, 1), dt.date(2025, 9, 7), base_id=7)


def test_the_sessions_table_filters_by_base(two_bases, official_client):
    def channels(**params) -> set[str]:
        response = official_client.get("/dashboards/sessions/", {**WHOLE, **params})
        assert response.status_code == 200
        return {row["session"].channel.name for row in response.context["rows"]}

    everything = channels()
    assert "Lhasa Excellent Products" in everything and len(everything) == 2
    assert channels(base="lhasa") == {"Lhasa Excellent Products"}
    assert "Lhasa Excellent Products" not in channels(base="test-base")
