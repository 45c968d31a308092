"""Bases (#13): the overview compares the bases side by side, each base's figures the sum of
its channels' (each currency on its own), and shows no comparison when there is one base."""

from decimal import Decimal

import pytest

from tests.catalog.factories import BaseFactory

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
