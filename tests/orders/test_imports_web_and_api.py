"""Uploading from the staff page and the API; following progress; the sales endpoint."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import ImportBatch, Order, SessionSales

from .conftest import GIA_LAI_ORDERS, read_rows, upload

pytestmark = pytest.mark.django_db

LATER = "tiktok_orders_gialai.csv"


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_upload_from_the_page_and_follow_the_progress_to_the_summary(
    staff_client, tiktok_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("orders:import-list"),
            {"channel": tiktok_channel.pk, "file": upload(LATER)},
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:import-detail", args=[batch.pk])
    page = staff_client.get(response["Location"])
    assert b"data-job-progress" in page.content
    status = staff_client.get(reverse("orders:import-status", args=[batch.pk])).json()
    assert status["finished"] is True
    assert status["status"] == "succeeded"
    assert status["done"] == len(read_rows(LATER)) + 1  # rows counted as a spreadsheet shows them
    assert any(f"orders created: {GIA_LAI_ORDERS}" in line for line in status["result"]["summary"])


def test_row_errors_download_as_csv_with_formula_cells_escaped(
    staff_client, importer, tiktok_channel
):
    from .conftest import export_path

    lines = export_path(LATER).read_text(encoding="utf-8-sig").split("\n")
    quantity = lines[0].split(",").index("Quantity")
    broken = lines[2].split(",")
    broken[quantity] = "=HYPERLINK(1)"
    lines[2] = ",".join(broken)
    batch = importer(tiktok_channel, "bad.csv", content="\n".join(lines).encode("utf-8-sig"))
    response = staff_client.get(reverse("orders:import-errors", args=[batch.pk]))
    body = response.getvalue().decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body
    assert ",=HYPERLINK" not in body


def test_other_roles_cannot_reach_the_import_pages(coop_client, official_client, tiktok_channel):
    for client in (coop_client, official_client):
        assert client.get(reverse("orders:import-list")).status_code == 404
        assert client.post(reverse("orders:import-list"), {}).status_code == 404


def test_the_api_accepts_an_upload_from_staff_and_reports_the_batch(
    bureau_staff, tiktok_channel, django_capture_on_commit_callbacks
):
    client = api_client_for(bureau_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/",
            {"channel": "gialai-tiktok", "file": upload(LATER)},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    batch_id = response.json()["id"]
    detail = client.get(f"/api/v1/imports/{batch_id}/").json()
    assert detail["status"] == "succeeded"
    assert detail["orders_created"] == Order.objects.count() == GIA_LAI_ORDERS


def test_officials_read_imports_but_cannot_upload(official, tiktok_channel):
    client = api_client_for(official)
    assert client.get("/api/v1/imports/").status_code == 200
    response = client.post(
        "/api/v1/imports/", {"channel": "gialai-tiktok", "file": upload(LATER)}, format="multipart"
    )
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_cooperative_members_and_anonymous_get_no_imports(coop_member, tiktok_channel):
    assert api_client_for(coop_member).get("/api/v1/imports/").status_code == 403
    assert APIClient().get("/api/v1/imports/").status_code in (401, 403)


def test_the_session_sales_endpoint_returns_the_figures_with_money_as_strings(
    bureau_staff, importer, tiktok_channel, megalive, gia_lai_listings
):
    importer(tiktok_channel, LATER)
    response = api_client_for(bureau_staff).get(f"/api/v1/sessions/{megalive.pk}/sales/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "session", "currency", "orders", "units", "buyers", "gross_gmv", "net_gmv",
        "cancelled_orders", "refunded_amount", "returns_pending", "unknown_status_orders",
        "ambiguous_orders", "products",
    }  # fmt: skip
    sales = SessionSales.objects.get(session=megalive)
    assert body["session"] == megalive.pk
    assert body["currency"] == "VND"
    assert body["gross_gmv"] == f"{sales.gross_gmv:.2f}"
    assert isinstance(body["net_gmv"], str)
    assert body["returns_pending"] == f"{sales.returns_pending:.2f}"
    assert body["unknown_status_orders"] == sales.unknown_status_orders == 0
    assert {"product", "seller_sku", "orders", "units", "gross_gmv", "net_gmv"} == set(
        body["products"][0]
    )


def test_the_sales_endpoint_refuses_cooperative_members(coop_member, megalive):
    assert (
        api_client_for(coop_member).get(f"/api/v1/sessions/{megalive.pk}/sales/").status_code == 403
    )


def test_staff_upload_through_the_admin_runs_the_same_pipeline(
    staff_client, tiktok_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:orders_importbatch_add"),
            {"channel": tiktok_channel.pk, "file": upload(LATER)},
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.uploaded_by.username == "bureau.staff"
    assert Order.objects.count() == GIA_LAI_ORDERS


def test_import_orders_prints_the_summary_and_fails_on_a_refused_file(tiktok_channel, capsys):
    from django.core.management import CommandError, call_command

    from .conftest import export_path

    call_command("import_orders", str(export_path(LATER)), "--channel", "gialai-tiktok")
    output = capsys.readouterr().out
    assert f"orders created: {GIA_LAI_ORDERS}" in output
    with pytest.raises(CommandError, match="TikTok Shop"):
        call_command(
            "import_orders",
            str(export_path("douyin_orders_lhasa.csv")),
            "--channel",
            "gialai-tiktok",
        )


def test_a_file_over_the_size_limit_is_refused_at_upload(staff_client, tiktok_channel, settings):
    settings.IMPORT_MAX_FILE_BYTES = 10_000
    response = staff_client.post(
        reverse("orders:import-list"), {"channel": tiktok_channel.pk, "file": upload(LATER)}
    )
    assert response.status_code == 200
    assert "the largest accepted is" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_binary_junk_is_refused_with_a_message_and_writes_nothing(importer, tiktok_channel):
    junk = bytes(range(256)) * 64
    batch = importer(tiktok_channel, "export.csv", content=junk)
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.message
    assert Order.objects.count() == 0


def test_the_sales_endpoint_counts_the_ambiguous_orders_waiting_on_the_session(
    bureau_staff, importer, tiktok_channel, megalive
):
    import datetime as dt

    from tests.livestreams.factories import SessionFactory

    from .conftest import GIA_LAI

    overlapping = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=dt.datetime(2025, 5, 20, 20, 0, tzinfo=GIA_LAI),
        scheduled_end=dt.datetime(2025, 5, 20, 22, 0, tzinfo=GIA_LAI),
    )
    unrelated = SessionFactory(channel=tiktok_channel)
    importer(tiktok_channel, LATER)
    # Orders placed from 20:00 local fall in both windows.
    waiting = [r for r in read_rows(LATER) if r["Created Time"].split(" ")[1] >= "20:00:00"]
    expected = len({r["Order ID"] for r in waiting})
    client = api_client_for(bureau_staff)
    assert (
        client.get(f"/api/v1/sessions/{megalive.pk}/sales/").json()["ambiguous_orders"] == expected
    )
    assert (
        client.get(f"/api/v1/sessions/{overlapping.pk}/sales/").json()["ambiguous_orders"]
        == expected
    )
    assert client.get(f"/api/v1/sessions/{unrelated.pk}/sales/").json()["ambiguous_orders"] == 0
