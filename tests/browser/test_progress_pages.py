"""In a real browser (Debian's Chromium driven by Playwright), with a real worker: a job
started from a page reports its progress on that page until it has finished."""

import pytest

from tests.orders.conftest import GIA_LAI_ORDERS, export_path

from .support import needs_chromium, sign_in

pytestmark = [pytest.mark.integration, needs_chromium]


def test_the_system_check_page_follows_the_job_to_the_end(
    live_server, celery_worker_process, bureau_staff, browser_page
):
    page = browser_page
    sign_in(page, live_server, "bureau.staff")
    page.click("text=Run the system check")
    page.wait_for_selector("[data-job-result]:not([hidden])", timeout=90_000)
    assert page.locator("[data-job-field=status_label]").inner_text() == "Succeeded"
    assert page.locator("[data-job-progress]").get_attribute("value") == "100"
    assert "database_round_trip_ms" in page.locator("[data-job-result]").inner_text()


def test_an_upload_is_imported_by_the_worker_while_its_page_shows_progress(
    live_server, celery_worker_process, bureau_staff, browser_page
):
    from tests.catalog.factories import ChannelFactory

    channel = ChannelFactory(name="Gia Lai OCOP TikTok", slug="gialai-tiktok")
    page = browser_page
    sign_in(page, live_server, "bureau.staff")
    page.goto(f"{live_server.url}/imports/")
    page.select_option("select[name=channel]", value=str(channel.pk))
    page.set_input_files("input[name=file]", str(export_path("tiktok_orders_gialai.csv")))
    page.click("text=Upload and import")
    page.wait_for_url("**/imports/*/")
    page.wait_for_selector("[data-job-result]:not([hidden])", timeout=90_000)
    summary = page.locator("[data-job-result]").inner_text()
    assert f"orders created: {GIA_LAI_ORDERS}" in summary
    assert page.locator("[data-job-progress]").get_attribute("value") == "100"
