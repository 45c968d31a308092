"""The public window in a real browser, at a phone's width (390 px) and a desk's (1280 px):
the schedule and the week fit the screen, the week is one column on the phone and seven on the
desk, the watch and feed links are on screen; and the schedule, the week and a QR page with
its buy and watch buttons pass axe-core."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from catalog.models import Platform
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.livestreams.factories import LineupItemFactory, SessionFactory

from .support import PHONE_WIDTH, needs_chromium
from .test_accessibility import axe_page, axe_violations, describe  # noqa: F401  (fixture)

pytestmark = [pytest.mark.integration, pytest.mark.slow, needs_chromium]

DESK_WIDTH = 1280
TIKTOK_LIVE = "https://www.tiktok.com/@gialai.ocop/live"


@pytest.fixture
def next_week(transactional_db) -> datetime.date:
    zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    today = timezone.localdate(timezone=zone)
    monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=1)
    channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, name="Gia Lai OCOP")
    for day in range(7):
        start = datetime.datetime.combine(
            monday + datetime.timedelta(days=day), datetime.time(19), tzinfo=zone
        )
        SessionFactory(
            title=f"Robusta and pepper from the Central Highlands, evening {day + 1}",
            channel=channel,
            scheduled_start=start,
            scheduled_end=start + datetime.timedelta(hours=2),
            live_room_url=TIKTOK_LIVE,
        )
    return monday


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESK_WIDTH])
def test_the_schedule_fits_the_screen_at_both_widths(live_server, browser_page, next_week, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})
    for path in ("/schedule/", f"/schedule/week/?week={next_week.isoformat()}"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert page.locator("a.ls-watch").first.is_visible()
        assert page.locator("a.ls-feed-link").is_visible()


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESK_WIDTH])
def test_the_qr_pages_buttons_fit_the_screen_at_both_widths(
    live_server, browser_page, next_week, width
):
    product = ProductFactory(name="Chu Se robusta", slug="chu-se-robusta")
    PlatformListingFactory(
        product=product, platform=Platform.SHOPEE, url="https://shopee.vn/Ca-phe-i.1.2"
    )
    LineupItemFactory(session=SessionFactory(live_room_url=TIKTOK_LIVE), product=product)
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/showcase/products/chu-se-robusta/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    buy = page.get_by_role("link", name="Buy on Shopee")
    watch = page.get_by_role("link", name="Watch the next live")
    assert buy.is_visible()
    assert watch.get_attribute("href") == TIKTOK_LIVE
    if width == PHONE_WIDTH:
        # Full-width buttons on a phone: easy to hit with a thumb.
        assert buy.bounding_box()["width"] > PHONE_WIDTH * 0.7


@pytest.mark.parametrize(("width", "columns"), [(PHONE_WIDTH, 1), (DESK_WIDTH, 7)])
def test_the_week_is_one_column_on_a_phone_and_seven_on_a_desk(
    live_server, browser_page, next_week, width, columns
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/schedule/week/?week={next_week.isoformat()}")
    tops = page.eval_on_selector_all(
        ".ls-week .ls-day", "days => days.map(day => Math.round(day.getBoundingClientRect().top))"
    )
    assert len(tops) == 7
    # Days side by side share their top; stacked days each have their own.
    assert len(set(tops)) == (7 // columns)
    assert page.locator("a[rel=next]").is_visible()


def test_the_public_window_passes_axe_with_sales_to_buy_and_watch(
    live_server,
    next_week,
    axe_page,  # noqa: F811
):
    product = ProductFactory(name="Chu Se robusta", slug="chu-se-robusta")
    for platform, url in (
        (Platform.TIKTOK_SHOP, "https://shop.tiktok.com/view/product/1729384756"),
        (Platform.SHOPEE, "https://shopee.vn/Ca-phe-Chu-Se-i.12345.67890"),
        (Platform.LAZADA, "https://www.lazada.vn/products/ca-phe-i123-s456.html"),
        (Platform.DOUYIN, "https://v.douyin.com/iRNBho6u/"),
    ):
        PlatformListingFactory(product=product, platform=platform, url=url)
    LineupItemFactory(session=SessionFactory(live_room_url=TIKTOK_LIVE), product=product)
    failures = []
    for path in (
        "/schedule/",
        f"/schedule/week/?week={next_week.isoformat()}",
        "/showcase/products/chu-se-robusta/",
    ):
        axe_page.goto(live_server.url + path)
        axe_page.wait_for_load_state("load")
        violations = axe_violations(axe_page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
    assert not failures, "axe-core found WCAG 2 A/AA violations:\n" + "\n".join(failures)
    assert axe_page.locator("a.buy-button").count() == 4
