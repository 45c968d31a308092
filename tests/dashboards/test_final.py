"""Provisional and final figures (DESIGN.md): provisional until the session has ended and the
last import that touched its orders is older than the channel's settlement delay; then final.
A later change to final figures is recorded and shown, and the figures stay final."""

import csv
import datetime as dt
import io

import pytest
from django.db.models import F
from rest_framework.test import APIClient

from dashboards.models import FinalFigureChange, SessionSalesFact
from dashboards.money import to_cents
from livestreams.models import Session
from orders.models import ImportBatch, SessionSales
from orders.services import recompute_session_sales

from .conftest import GIA_LAI_FILE
from .expected import session_figures

pytestmark = pytest.mark.django_db
EARLY_FILE = "tiktok_orders_gialai_early.csv"


def age_imports(channel, days: int) -> None:
    """Pretend the channel's imports finished `days` ago, and recompute its sessions now (a
    recompute is not an import: it must not restart the settlement delay)."""
    delta = dt.timedelta(days=days)
    ImportBatch.objects.filter(channel=channel).update(
        finished_at=F("finished_at") - delta,
        started_at=F("started_at") - delta,
        created_at=F("created_at") - delta,
    )
    recompute_session_sales(
        session_ids=Session.objects.filter(channel=channel).values_list("pk", flat=True)
    )


def final_flags(client) -> dict[int, bool]:
    rows = client.get("/dashboards/sessions/", {"start": "2025-05-01", "end": "2025-09-30"})
    return {row["session"].pk: row["is_final"] for row in rows.context["rows"]}


def test_figures_turn_final_when_the_last_import_is_older_than_the_settlement_delay(
    sold, official, official_client, tiktok_channel
):
    megalive, lhasa = sold["megalive"], sold["lhasa_live"]
    assert final_flags(official_client) == {megalive.pk: False, lhasa.pk: False}
    # The TikTok import is three days old (the delay is two); the Douyin one is new. The
    # recompute just now would have kept both provisional under a last-recompute rule.
    age_imports(tiktok_channel, days=3)
    sales = SessionSales.objects.get(session=megalive)
    batch = ImportBatch.objects.get(channel=tiktok_channel)
    assert sales.last_import_at == batch.finished_at
    assert sales.computed_at > batch.finished_at + dt.timedelta(days=2)
    assert final_flags(official_client) == {megalive.pk: True, lhasa.pk: False}
    page = official_client.get(f"/dashboards/sessions/{megalive.pk}/")
    assert page.context["is_final"]
    assert page.context["final_at"] == batch.finished_at + dt.timedelta(days=2)
    client = APIClient()
    client.force_authenticate(official)
    body = client.get(f"/api/v1/reports/sessions/{megalive.pk}/").json()
    assert body["is_final"] is True


def test_an_unended_session_or_a_longer_delay_keeps_figures_provisional(
    sold, official_client, tiktok_channel
):
    megalive = sold["megalive"]
    tiktok_channel.settlement_delay_days = 5
    tiktok_channel.save()
    age_imports(tiktok_channel, days=3)
    assert not final_flags(official_client)[megalive.pk]
    age_imports(tiktok_channel, days=3)  # six days now
    assert final_flags(official_client)[megalive.pk]
    Session.objects.filter(pk=megalive.pk).update(status=Session.Status.LIVE)
    SessionSalesFact.objects.filter(session=megalive).update(final_at=None)
    assert not final_flags(official_client)[megalive.pk]


def test_a_later_import_that_changes_final_figures_records_the_change(
    importer, tiktok_channel, megalive, gia_lai_listings, official, official_client
):
    importer(tiktok_channel, EARLY_FILE)
    before = session_figures(megalive)
    age_imports(tiktok_channel, days=3)
    assert final_flags(official_client)[megalive.pk]
    assert not FinalFigureChange.objects.exists()

    importer(tiktok_channel, GIA_LAI_FILE)
    after = session_figures(megalive)
    assert after["net_gmv"] != before["net_gmv"]
    (change,) = FinalFigureChange.objects.filter(session=megalive)
    assert (change.previous_gross_gmv_cents, change.gross_gmv_cents) == (
        to_cents(before["gross_gmv"]), to_cents(after["gross_gmv"]),
    )  # fmt: skip
    assert (change.previous_net_gmv_cents, change.net_gmv_cents) == (
        to_cents(before["net_gmv"]), to_cents(after["net_gmv"]),
    )  # fmt: skip
    assert (change.previous_orders, change.orders) == (before["orders"], after["orders"])
    early_batch = ImportBatch.objects.filter(channel=tiktok_channel).order_by("pk").first()
    assert change.final_at == early_batch.finished_at + dt.timedelta(days=2)
    # Still final, though the last import is new: the change is recorded, not hidden.
    assert final_flags(official_client)[megalive.pk]
    fact = SessionSalesFact.objects.get(session=megalive)
    assert fact.changed_after_final_at == change.recorded_at

    page = official_client.get(f"/dashboards/sessions/{megalive.pk}/")
    (shown,) = page.context["changes_after_final"]
    figures = {figure["name"]: (figure["before"], figure["after"]) for figure in shown["figures"]}
    assert figures["net_gmv"] == (before["net_gmv"], after["net_gmv"])
    html = page.content.decode()
    assert 'id="changes-after-final"' in html and "data-changed-after-final" in html
    table = official_client.get("/dashboards/sessions/", {"start": "2025-05-01",
                                                          "end": "2025-05-31"})  # fmt: skip
    assert "data-changed-after-final" in table.content.decode()
    download = official_client.get(
        f"/dashboards/sessions/{megalive.pk}/", {"table": "changes", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    net = next(row for row in rows if row[2] == "Net GMV")
    assert (net[3], net[4]) == (f"{before['net_gmv']:.2f}", f"{after['net_gmv']:.2f}")

    client = APIClient()
    client.force_authenticate(official)
    body = client.get(f"/api/v1/reports/sessions/{megalive.pk}/").json()
    assert body["changed_after_final_at"] is not None
    (api_change,) = body["changes_after_final"]
    net = next(figure for figure in api_change["figures"] if figure["name"] == "net_gmv")
    assert net["after"] == f"{after['net_gmv']:.2f}"


def test_an_import_that_changes_nothing_records_nothing(
    importer, tiktok_channel, megalive, gia_lai_listings, official_client
):
    importer(tiktok_channel, GIA_LAI_FILE)
    age_imports(tiktok_channel, days=3)
    last_import = SessionSales.objects.get(session=megalive).last_import_at
    importer(tiktok_channel, GIA_LAI_FILE, force=True)
    recompute_session_sales(session_ids=[megalive.pk])
    assert SessionSales.objects.get(session=megalive).last_import_at == last_import
    assert not FinalFigureChange.objects.exists()
    assert final_flags(official_client)[megalive.pk]


def test_a_session_no_import_touched_stays_provisional(generated_sales, official_client):
    generated_sales(sessions=2)
    rows = official_client.get("/dashboards/sessions/", {"start": "2025-06-01",
                                                         "end": "2025-06-30"})  # fmt: skip
    assert [row["is_final"] for row in rows.context["rows"]] == [False, False]
