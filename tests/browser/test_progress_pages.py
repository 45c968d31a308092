"""In a real browser (Debian's Chromium driven by Playwright), with a real worker: a job
started from a page reports its progress on that page until it has finished."""

from pathlib import Path

import pytest

from tests.orders.conftest import export_path

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it",
    ),
]


@pytest.fixture
def browser_page(tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of these tests
    # are plain sync code, so Django's async guard is lifted for them alone.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        try:
            yield page
        finally:
            page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
            browser.close()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


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
    assert "orders created: 78" in summary
    assert page.locator("[data-job-progress]").get_attribute("value") == "100"
