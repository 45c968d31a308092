"""The live analytics import page and endpoint (#13): staff upload, see every row's fate, and
name the columns of a layout we do not know (remembered for the channel)."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Currency, Platform
from livestreams.models import Session, SessionMetrics
from tests.catalog.factories import ChannelFactory
from tests.conftest import client_for
from tests.livestreams.factories import SessionFactory

from .analytics_files import csv_file, tiktok_row, tiktok_workbook

pytestmark = pytest.mark.django_db
URL = "/sessions/analytics/"
API_URL = "/api/v1/analytics-imports/"
GIA_LAI = ZoneInfo("Asia/Ho_Chi_Minh")
LHASA = ZoneInfo("Asia/Shanghai")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def channel(db):
    return ChannelFactory(platform=Platform.TIKTOK_SHOP, slug="gialai-tiktok")


@pytest.fixture
def douyin_channel(db):
    return ChannelFactory(
        platform=Platform.DOUYIN,
        slug="lhasa-douyin",
        currency=Currency.CNY,
        time_zone="Asia/Shanghai",
    )


def session_at(channel, start, **kwargs):
    return SessionFactory(
        channel=channel,
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(hours=2),
        status=Session.Status.ENDED,
        **kwargs,
    )


def upload(content: bytes, name="live_analytics.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


CUSTOM_HEADER = ["场次", "时间", "播放", "人数"]


def custom_csv(when="2025/09/19 19:05"):
    return csv_file(CUSTOM_HEADER, ["拉萨优品", when, "1.2万", "4,000"])


def test_staff_upload_a_tiktok_workbook_and_see_imported_and_unmatched_rows(staff_client, channel):
    session = session_at(
        channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI), title="Megalive"
    )
    content = tiktok_workbook(tiktok_row("2025-10-16 19:03"), tiktok_row("2025-10-30 09:00"))
    page = staff_client.post(URL, {"channel": channel.pk, "file": upload(content)})
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(rf'<tr data-row="4" data-session="{session.pk}">', html)
    # The unmatched row is shown with its reason, never dropped.
    assert re.search(r'<tr data-row="5" data-outcome="unmatched">.*?within 2 hours', html, re.S)
    assert SessionMetrics.objects.get(session=session).views == 29_000


def test_a_file_that_is_no_table_is_refused_on_the_form(staff_client, channel):
    page = staff_client.post(
        URL, {"channel": channel.pk, "file": upload(b"%PDF-1.4 not a table", "report.pdf")}
    )
    assert page.status_code == 200
    assert page.context["form"].errors["file"]
    assert not SessionMetrics.objects.exists()


def test_an_unknown_layout_asks_for_the_columns_then_remembers_them_for_the_channel(
    staff_client, douyin_channel
):
    first = session_at(douyin_channel, dt.datetime(2025, 9, 19, 19, 0, tzinfo=LHASA))
    asked = staff_client.post(
        URL, {"channel": douyin_channel.pk, "file": upload(custom_csv(), "review.csv")}
    )
    assert asked.templates[0].name == "livestreams/analytics_columns.html"
    form = asked.context["form"]
    assert [value for value, _label in form.fields["launched_at"].choices][1:] == CUSTOM_HEADER
    assert not SessionMetrics.objects.exists()

    chosen = staff_client.post(
        URL,
        {
            "channel": douyin_channel.pk,
            "upload": form.initial["upload"],
            "launched_at": "时间",
            "views": "播放",
            "unique_viewers": "人数",
        },
    )
    assert chosen.templates[0].name == "livestreams/analytics_result.html"
    metrics = SessionMetrics.objects.get(session=first)
    assert (metrics.views, metrics.unique_viewers) == (12_000, 4_000)

    # The next file of this channel in the same layout is read with the same columns.
    second = session_at(douyin_channel, dt.datetime(2025, 9, 26, 19, 0, tzinfo=LHASA))
    again = staff_client.post(
        URL,
        {"channel": douyin_channel.pk, "file": upload(custom_csv("2025/09/26 19:01"), "b.csv")},
    )
    assert again.templates[0].name == "livestreams/analytics_result.html"
    assert SessionMetrics.objects.get(session=second).views == 12_000


def test_a_tampered_upload_in_the_columns_form_is_refused(staff_client, douyin_channel):
    response = staff_client.post(
        URL, {"channel": douyin_channel.pk, "upload": "forged", "launched_at": "时间"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    assert not SessionMetrics.objects.exists()


def test_the_page_is_for_bureau_staff_only(official_client, coop_client, channel):
    assert official_client.get(URL).status_code == 404
    content = tiktok_workbook(tiktok_row("2025-10-16 19:03"))
    assert (
        coop_client.post(URL, {"channel": channel.pk, "file": upload(content)}).status_code == 404
    )


# --- API


def test_staff_upload_through_the_api_and_get_every_rows_outcome(bureau_staff, channel):
    session = session_at(channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI))
    content = tiktok_workbook(tiktok_row("2025-10-16 19:03"), tiktok_row("2025-10-30 09:00"))
    response = client_for(bureau_staff).post(
        API_URL, {"channel": channel.slug, "file": upload(content)}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["layout"] == "tiktok_live"
    assert [(row["row"], row["session"]) for row in body["imported"]] == [(4, session.pk)]
    assert body["imported"][0]["figures"]["views"] == 29_000
    assert [(row["row"], row["outcome"]) for row in body["reported"]] == [(5, "unmatched")]


def test_the_api_names_the_headers_when_columns_are_needed_and_reads_them_given(
    bureau_staff, douyin_channel
):
    session = session_at(douyin_channel, dt.datetime(2025, 9, 19, 19, 0, tzinfo=LHASA))
    client = client_for(bureau_staff)
    asked = client.post(
        API_URL, {"channel": douyin_channel.slug, "file": upload(custom_csv(), "r.csv")}
    )
    assert asked.status_code == 400 and asked.json()["headers"] == CUSTOM_HEADER
    columns = json.dumps({"launched_at": "时间", "views": "播放"})
    response = client.post(
        API_URL,
        {"channel": douyin_channel.slug, "file": upload(custom_csv(), "r.csv"), "columns": columns},
    )
    assert response.status_code == 200
    assert SessionMetrics.objects.get(session=session).views == 12_000


def test_officials_cannot_upload_through_the_api(official, channel):
    content = tiktok_workbook(tiktok_row("2025-10-16 19:03"))
    response = client_for(official).post(
        API_URL, {"channel": channel.slug, "file": upload(content)}
    )
    assert response.status_code == 403


def test_staff_find_the_page_in_the_navigation_and_officials_do_not(staff_client, official_client):
    staff_links = {item["url"] for item in staff_client.get("/").context["nav_items"]}
    official_links = {item["url"] for item in official_client.get("/").context["nav_items"]}
    assert URL in staff_links and URL not in official_links


def test_the_session_page_shows_imported_figures_and_their_source(staff_client, channel):
    session = session_at(channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI))
    content = tiktok_workbook(tiktok_row("2025-10-16 19:03"))
    staff_client.post(URL, {"channel": channel.pk, "file": upload(content)})
    html = staff_client.get(f"/sessions/{session.pk}/").content.decode()
    assert '<dd data-metric="average_concurrent_viewers">812</dd>' in html
    assert '<dd data-metric="source">Imported</dd>' in html


def test_staff_enter_average_concurrent_viewers_by_hand_too(staff_client, channel):
    session = session_at(channel, dt.datetime(2025, 10, 16, 19, 0, tzinfo=GIA_LAI))
    response = staff_client.post(
        f"/sessions/{session.pk}/metrics/",
        {
            "views": "100",
            "views_basis": "unknown",
            "average_concurrent_viewers": "42",
            "precision": "provisional",
        },
    )
    assert response.status_code == 302
    metrics = SessionMetrics.objects.get(session=session)
    assert (metrics.average_concurrent_viewers, metrics.source) == (42, "manual")
