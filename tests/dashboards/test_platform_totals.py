"""Platform-reported totals (#13): staff enter them on the web, through the API and in the
admin; every figure is optional, and an unknown one is "not reported", never zero."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dashboards.models import ReportedSessionTotals
from dashboards.services import save_reported_totals
from livestreams.models import Session
from tests.conftest import client_for
from tests.livestreams.factories import SessionFactory

from .expected import session_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_live(db):
    return SessionFactory(status=Session.Status.ENDED)


def totals_url(session) -> str:
    return f"/dashboards/sessions/{session.pk}/platform-totals/"


def api_url(session) -> str:
    return f"/api/v1/reports/sessions/{session.pk}/platform-totals/"


# --- web page


def test_staff_enter_some_figures_and_the_empty_ones_stay_unknown(staff_client, ended_live):
    response = staff_client.post(
        totals_url(ended_live), {"orders": "1234", "units": "", "gross_gmv": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dashboards/sessions/{ended_live.pk}/"
    totals = ReportedSessionTotals.objects.get(session=ended_live)
    assert (totals.orders, totals.units, totals.gross_gmv) == (1234, None, None)


def test_clearing_a_figure_on_the_page_makes_it_unknown_again(staff_client, ended_live):
    ReportedSessionTotals.objects.create(session=ended_live, orders=5, units=7, gross_gmv=10)
    page = staff_client.get(totals_url(ended_live))
    assert page.status_code == 200
    assert page.context["form"].initial["units"] == 7
    staff_client.post(totals_url(ended_live), {"orders": "5", "units": "", "gross_gmv": "12.5"})
    totals = ReportedSessionTotals.objects.get(session=ended_live)
    assert (totals.orders, totals.units, totals.gross_gmv) == (5, None, Decimal("12.50"))


def test_an_empty_form_makes_every_figure_unknown(staff_client, ended_live):
    ReportedSessionTotals.objects.create(session=ended_live, orders=5, units=7, gross_gmv=10)
    assert staff_client.post(totals_url(ended_live), {}).status_code == 302
    totals = ReportedSessionTotals.objects.get(session=ended_live)
    assert (totals.orders, totals.units, totals.gross_gmv) == (None, None, None)


def test_a_negative_figure_is_refused_on_the_page(staff_client, ended_live):
    response = staff_client.post(totals_url(ended_live), {"gross_gmv": "-1"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ReportedSessionTotals.objects.exists()


def test_only_staff_reach_the_totals_page(official_client, coop_client, ended_live):
    assert official_client.get(totals_url(ended_live)).status_code == 403
    assert coop_client.post(totals_url(ended_live), {"orders": "1"}).status_code == 403
    assert not ReportedSessionTotals.objects.exists()


def test_a_session_without_a_channel_has_no_totals_page(staff_client):
    meeting = SessionFactory(channel=None, kind=Session.Kind.MEETING)
    assert staff_client.get(totals_url(meeting)).status_code == 404


# --- the session page


def test_the_session_page_links_staff_to_the_totals_and_shows_unknown_as_not_reported(
    sold, staff_client, official_client
):
    megalive = sold["megalive"]
    figures = session_figures(megalive)
    ReportedSessionTotals.objects.create(session=megalive, orders=figures["orders"] + 1)
    page = staff_client.get(f"/dashboards/sessions/{megalive.pk}/")
    html = page.content.decode()
    assert totals_url(megalive) in html
    reported = re.search(r'<section class="panel" id="platform-totals">.*?</section>', html, re.S)
    assert reported is not None
    section = reported.group(0)
    assert re.search(r'data-reported="units"><dt>[^<]*</dt><dd><span class="muted">', section)
    assert re.search(r'data-reported="gross_gmv"><dt>[^<]*</dt><dd><span class="muted">', section)
    assert f"<dd>{figures['orders'] + 1}</dd>" in section
    # The comparison compares the known figure only: nothing is measured against a zero.
    assert [entry["name"] for entry in page.context["comparison"]] == ["orders"]
    assert 'data-figure="units"' not in html and 'data-figure="gross_gmv"' not in html
    # Officials read the totals but get no link to change them.
    official_html = official_client.get(f"/dashboards/sessions/{megalive.pk}/").content.decode()
    assert 'id="platform-totals"' in official_html
    assert totals_url(megalive) not in official_html


# --- API


def test_staff_put_figures_through_the_api_and_a_missing_one_becomes_unknown(
    bureau_staff, ended_live
):
    client = client_for(bureau_staff)
    ReportedSessionTotals.objects.create(session=ended_live, orders=3, units=4, gross_gmv=5)
    response = client.put(
        api_url(ended_live), {"orders": 1234, "gross_gmv": "133000000"}, "application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["orders"] == 1234 and body["units"] is None
    assert body["gross_gmv"] == "133000000.00" and body["currency"] == "VND"
    totals = ReportedSessionTotals.objects.get(session=ended_live)
    assert (totals.orders, totals.units) == (1234, None)


def test_patch_changes_only_the_figures_given_and_null_clears_one(bureau_staff, ended_live):
    client = client_for(bureau_staff)
    ReportedSessionTotals.objects.create(session=ended_live, orders=3, units=4, gross_gmv=5)
    response = client.patch(api_url(ended_live), {"units": None}, "application/json")
    assert response.status_code == 200
    totals = ReportedSessionTotals.objects.get(session=ended_live)
    assert (totals.orders, totals.units, totals.gross_gmv) == (3, None, Decimal(5))


def test_officials_read_nulls_before_anything_is_entered_and_cannot_write(official, ended_live):
    client = client_for(official)
    body = client.get(api_url(ended_live)).json()
    assert (body["orders"], body["units"], body["gross_gmv"]) == (None, None, None)
    assert client.patch(api_url(ended_live), {"orders": 1}, "application/json").status_code == 403
    assert not ReportedSessionTotals.objects.exists()


def test_a_negative_figure_is_refused_by_the_api(bureau_staff, ended_live):
    response = client_for(bureau_staff).patch(
        api_url(ended_live), {"orders": -1}, "application/json"
    )
    assert response.status_code == 400
    assert "orders" in response.json()


# --- service and admin


def test_the_service_refuses_negative_gmv_and_sessions_without_a_channel(ended_live):
    with pytest.raises(ValidationError):
        save_reported_totals(session=ended_live, gross_gmv=Decimal("-0.01"))
    with pytest.raises(ValidationError):
        save_reported_totals(session=SessionFactory(channel=None), orders=1)
    assert not ReportedSessionTotals.objects.exists()


def test_the_admin_form_requires_none_of_the_three_figures(staff_client, ended_live):
    response = staff_client.get("/admin/dashboards/reportedsessiontotals/add/")
    form = response.context["adminform"].form
    assert not any(form.fields[name].required for name in ("orders", "units", "gross_gmv"))
    response = staff_client.post(
        "/admin/dashboards/reportedsessiontotals/add/",
        {"session": ended_live.pk, "orders": "", "units": "390", "gross_gmv": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    totals = ReportedSessionTotals.objects.get(session=ended_live)
    assert (totals.orders, totals.units, totals.gross_gmv) == (None, 390, None)
