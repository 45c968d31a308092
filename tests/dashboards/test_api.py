"""/api/v1/reports/...: the pages' figures, with the pages' permissions, read-only."""

import pytest
from rest_framework.test import APIClient

from .expected import session_figures

WHOLE = {"start": "2025-05-01", "end": "2025-09-30"}
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_sessions_endpoint_lists_each_sessions_figures(sold, official):
    body = api(official).get("/api/v1/reports/sessions/", {**WHOLE, "sort": "date"}).json()
    assert [row["id"] for row in body["results"]] == [
        sold["megalive"].pk, sold["lhasa_live"].pk,
    ]  # fmt: skip
    for row, session in zip(body["results"], (sold["megalive"], sold["lhasa_live"]), strict=True):
        figures = session_figures(session)
        assert row["gross_gmv"] == f"{figures['gross_gmv']:.2f}"
        assert row["net_gmv"] == f"{figures['net_gmv']:.2f}"
        assert (row["orders"], row["units"]) == (figures["orders"], figures["units"])
        assert row["currency"] == session.channel.currency
    douyin = api(official).get("/api/v1/reports/sessions/", {**WHOLE, "platform": "douyin"})
    assert [row["id"] for row in douyin.json()["results"]] == [sold["lhasa_live"].pk]


def test_the_session_endpoint_gives_bins_that_add_up_to_its_orders(sold, official):
    megalive = sold["megalive"]
    body = api(official).get(f"/api/v1/reports/sessions/{megalive.pk}/").json()
    figures = session_figures(megalive)
    assert sum(point["orders"] for point in body["bins"]) == figures["orders"] == body["orders"]
    assert body["refunded_amount"] == f"{figures['refunded_amount']:.2f}"
    assert body["time_zone"] == "Asia/Ho_Chi_Minh"


def test_the_cooperative_endpoint_is_scoped_to_the_members_cooperative(
    sold, coop_member, other_coop_member, cooperative, official
):
    url = f"/api/v1/reports/cooperatives/{cooperative.pk}/"
    body = api(coop_member).get(url).json()
    (total,) = body["totals"]
    assert total["currency"] == "CNY"
    assert total["gross_gmv"] == f"{session_figures(sold['lhasa_live'])['gross_gmv']:.2f}"
    assert api(other_coop_member).get(url).status_code == 404
    assert api(official).get(url).status_code == 200
    assert api(coop_member).get("/api/v1/reports/overview/").status_code == 403
    assert api(coop_member).get("/api/v1/reports/sessions/").status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/api/v1/reports/overview/", "/api/v1/reports/sessions/", "/api/v1/reports/sessions/1/"],
)
def test_officials_and_staff_cannot_write_through_the_reports(path, official, bureau_staff, db):
    for user in (official, bureau_staff):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(api(user), method)(path, {}).status_code in (403, 405)


def test_anonymous_callers_get_nothing(db, sold, official):
    # The positive control: a signed-in official reads both.
    assert api(official).get("/api/v1/reports/overview/").status_code == 200
    assert api(official).get(f"/api/v1/reports/sessions/{sold['megalive'].pk}/").status_code == 200
    assert APIClient().get("/api/v1/reports/overview/").status_code in (401, 403)
    assert APIClient().get(f"/api/v1/reports/sessions/{sold['megalive'].pk}/").status_code in (
        401, 403,
    )  # fmt: skip


def test_the_hosts_deliveries_and_programme_endpoints_match_the_pages(
    sold, official, official_client
):
    client = api(official)
    for name, page, key in (
        ("hosts", "/dashboards/hosts/", "hosts"),
        ("deliveries", "/dashboards/deliveries/", "providers"),
    ):
        body = client.get(f"/api/v1/reports/{name}/", WHOLE).json()
        context = official_client.get(page, WHOLE).context
        assert len(body[key]) == len(context[key]) > 0
    host = next(row for row in client.get("/api/v1/reports/hosts/", WHOLE).json()["hosts"]
                if row["name"] == "KOL Gia Lai")  # fmt: skip
    assert host["gross_gmv"] == f"{session_figures(sold['megalive'])['gross_gmv']:.2f}"
    programme = client.get("/api/v1/reports/programme/", WHOLE).json()
    assert {row["currency"] for row in programme["platform"]} == {"VND", "CNY"}


def test_members_get_none_of_the_base_wide_reports(coop_member, db):
    for name in ("hosts", "deliveries", "programme"):
        assert api(coop_member).get(f"/api/v1/reports/{name}/").status_code == 403
        assert api(coop_member).post(f"/api/v1/reports/{name}/", {}).status_code == 403
