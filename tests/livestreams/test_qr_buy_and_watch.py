"""A visitor scans a showroom QR card and lands on the product's public page, which leads to
"Buy on TikTok Shop / Shopee / Douyin / Lazada" (one button per listing with an address) and
"Watch the next live" (the next public live sale featuring the product that has a live-room
address), with clear words when there is neither."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from catalog.demo import CHANNELS, DEMO_PRODUCT_PAGES
from catalog.models import Channel, Currency, Platform
from catalog.platform_urls import validate_platform_url
from livestreams.demo import _live_room_url
from livestreams.models import Session, check_live_room_url
from tests.catalog.factories import (
    ChannelFactory,
    DisplayFactory,
    PlatformListingFactory,
    ProductFactory,
)
from tests.livestreams.factories import LineupItemFactory, SessionFactory

TIKTOK_PAGE = "https://shop.tiktok.com/view/product/1729384756?region=VN"
SHOPEE_PAGE = "https://shopee.vn/Ca-phe-Chu-Se-i.12345.67890"
TIKTOK_LIVE = "https://www.tiktok.com/@gialai.ocop/live"
DOUYIN_LIVE = "https://live.douyin.com/428764021753"


def in_days(days: float) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


@pytest.fixture
def product(db):
    return ProductFactory(name="Chu Se robusta", slug="chu-se-robusta")


@pytest.fixture
def tiktok(db):
    return ChannelFactory(platform=Platform.TIKTOK_SHOP, name="Gia Lai OCOP")


def product_page(client, product) -> str:
    response = client.get(reverse("catalog:showcase-product", args=[product.slug]))
    assert response.status_code == 200
    return response.content.decode()


def featuring(product, **session_fields) -> Session:
    session = SessionFactory(**session_fields)
    LineupItemFactory(session=session, product=product)
    return session


def test_the_qr_card_leads_to_the_page_with_the_buy_buttons(anonymous, product, tiktok):
    PlatformListingFactory(product=product, platform=Platform.TIKTOK_SHOP, url=TIKTOK_PAGE)
    display = DisplayFactory(product=product)
    card = anonymous.get(reverse("catalog:display-qr", args=[display.pk])).content.decode()
    product_url = reverse("catalog:showcase-product", args=[product.slug])
    assert f"http://testserver{product_url}" in card
    page = anonymous.get(product_url).content.decode()
    assert f'href="{TIKTOK_PAGE.replace("&", "&amp;")}"' in page
    assert "Buy on TikTok Shop" in page


def test_one_buy_button_per_listing_with_an_address_labelled_by_platform(anonymous, product):
    PlatformListingFactory(product=product, platform=Platform.TIKTOK_SHOP, url=TIKTOK_PAGE)
    PlatformListingFactory(product=product, platform=Platform.SHOPEE, url=SHOPEE_PAGE)
    PlatformListingFactory(
        product=product, platform=Platform.DOUYIN, url="https://v.douyin.com/iRNBho6u/"
    )
    PlatformListingFactory(
        product=product,
        platform=Platform.LAZADA,
        url="https://www.lazada.vn/products/ca-phe-i123-s456.html",
    )
    # A listing kept for the order importer only (no address) gives no button.
    PlatformListingFactory(product=product, platform=Platform.FACEBOOK)
    page = product_page(anonymous, product)
    buttons = re.findall(r'class="button buy-button[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert [label for _href, label in buttons] == [
        "Buy on TikTok Shop",
        "Buy on Douyin",
        "Buy on Shopee",
        "Buy on Lazada",
    ]
    assert SHOPEE_PAGE in dict(buttons)
    assert "Buy on Facebook" not in page
    assert "Not for sale online yet" not in page


def test_another_products_listing_gives_no_button(anonymous, product):
    PlatformListingFactory(platform=Platform.SHOPEE, url=SHOPEE_PAGE)
    page = product_page(anonymous, product)
    assert "buy-button" not in page
    assert "Not for sale online yet" in page


def test_watch_the_next_live_featuring_the_product_with_its_time(anonymous, product, tiktok):
    session = featuring(
        product,
        title="Coffee harvest live",
        channel=tiktok,
        scheduled_start=in_days(2),
        live_room_url=TIKTOK_LIVE,
    )
    page = product_page(anonymous, product)
    assert "Watch the next live" in page
    assert f'href="{TIKTOK_LIVE}"' in page
    assert "Coffee harvest live" in page
    start = timezone.localtime(session.scheduled_start)
    assert f'datetime="{start.isoformat()}"' in page
    assert "No live sale of this product is scheduled yet" not in page


def test_the_time_is_the_channels_own(anonymous, product):
    douyin = ChannelFactory(
        platform=Platform.DOUYIN, currency=Currency.CNY, time_zone="Asia/Shanghai"
    )
    session = featuring(product, channel=douyin, live_room_url=DOUYIN_LIVE)
    page = product_page(anonymous, product)
    shanghai = session.scheduled_start.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f'datetime="{shanghai.isoformat()}"' in page
    assert "(Asia/Shanghai)" in page


def test_a_later_watchable_live_is_offered_when_the_next_has_no_address_yet(
    anonymous, product, tiktok
):
    featuring(product, title="Sooner, no link yet", channel=tiktok, scheduled_start=in_days(1))
    featuring(
        product,
        title="Later with a link",
        channel=tiktok,
        scheduled_start=in_days(5),
        live_room_url=TIKTOK_LIVE,
    )
    response = anonymous.get(reverse("catalog:showcase-product", args=[product.slug]))
    page = response.content.decode()
    assert response.context["upcoming_session"].title == "Sooner, no link yet"
    assert response.context["watchable_session"].title == "Later with a link"
    assert "Sooner, no link yet" in page
    assert "The link to watch it will be here before it starts." in page
    assert f'href="{TIKTOK_LIVE}"' in page


def test_sessions_the_public_may_not_see_are_never_offered(anonymous, product, tiktok):
    for hidden in (
        {"status": Session.Status.DRAFT},
        {"status": Session.Status.CANCELLED},
        {"is_rehearsal": True},
        {"kind": Session.Kind.TRAINING},
        {"scheduled_start": in_days(-3)},
    ):
        featuring(product, channel=tiktok, live_room_url=TIKTOK_LIVE, **hidden)
    # A public live with an address, but without this product in its line-up.
    SessionFactory(channel=tiktok, live_room_url=TIKTOK_LIVE)
    page = product_page(anonymous, product)
    assert "Watch the next live" not in page
    assert TIKTOK_LIVE not in page
    assert "No live sale of this product is scheduled yet" in page
    assert f'href="{reverse("livestreams:public-schedule")}"' in page


def test_a_live_on_air_now_is_offered_to_watch_now(anonymous, product, tiktok):
    featuring(
        product,
        channel=tiktok,
        status=Session.Status.LIVE,
        scheduled_start=timezone.now() - datetime.timedelta(minutes=20),
        scheduled_end=timezone.now() + datetime.timedelta(minutes=100),
        live_room_url=TIKTOK_LIVE,
    )
    page = product_page(anonymous, product)
    assert "On air now" in page
    assert "Watch the live now" in page


def test_with_nothing_to_buy_or_watch_the_page_says_so(anonymous, product):
    page = product_page(anonymous, product)
    assert "Not for sale online yet" in page
    assert "No live sale of this product is scheduled yet" in page
    assert "buy-button" not in page
    assert "watch-button" not in page


def test_the_product_page_has_a_fixed_query_budget(
    anonymous, product, tiktok, django_assert_num_queries
):
    for platform, url in ((Platform.TIKTOK_SHOP, TIKTOK_PAGE), (Platform.SHOPEE, SHOPEE_PAGE)):
        PlatformListingFactory(product=product, platform=platform, url=url, channel=tiktok)
    featuring(product, channel=tiktok, scheduled_start=in_days(1))
    featuring(product, channel=tiktok, scheduled_start=in_days(3), live_room_url=TIKTOK_LIVE)
    # 1 the product with cooperative and category, 2 photos, 3 certifications, 4 listings with
    # an address and their channel, 5 the cooperative's certifications, 6 the next public
    # session, 7 the next one with a live-room address.
    with django_assert_num_queries(7):
        page = product_page(anonymous, product)
    assert page.count("buy-button") == 2


@pytest.mark.parametrize("phone", [False, True])
def test_the_page_works_on_a_phone_and_a_desk(anonymous, product, tiktok, phone):
    """One responsive page: the viewport meta, the stylesheet whose buttons go full width
    under 480 px (a 390 px phone), the same buttons and links at either width."""
    PlatformListingFactory(product=product, platform=Platform.SHOPEE, url=SHOPEE_PAGE)
    featuring(product, channel=tiktok, live_room_url=TIKTOK_LIVE)
    agent = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"
        if phone
        else "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0"
    )
    response = anonymous.get(
        reverse("catalog:showcase-product", args=[product.slug]), HTTP_USER_AGENT=agent
    )
    page = response.content.decode()
    assert 'name="viewport" content="width=device-width' in page
    assert "css/catalog.css" in page
    assert "Buy on Shopee" in page
    assert "Watch the next live" in page
    css = Path(finders.find("css/catalog.css")).read_text(encoding="utf-8")
    assert re.search(
        r"@media \(max-width: 480px\) \{ \.buy-button, \.watch-button \{ width: 100%", css
    )


def test_the_demos_buy_and_watch_addresses_are_on_the_platforms_own_sites():
    """The demo's listings and upcoming sessions carry addresses the policy accepts."""
    for _slug, platform, _name, handle, shop_id, _currency, _zone in CHANNELS:
        channel = Channel(platform=platform, handle=handle, shop_id=shop_id)
        check_live_room_url(_live_room_url(channel), channel=channel)
        page = DEMO_PRODUCT_PAGES[platform].format(sku_id="1729384756001")
        validate_platform_url(page, platform=platform)
