"""The seven journeys of the platform, end to end, in a real Chromium on a real worker.

Each test walks the whole story once, at one screen width (a desktop's, then a phone's), as
the people who live it would: a cooperative registers and adds a product with a photo (a),
staff approve it and place it in the showroom (b), schedule a session with a line-up (c),
upload the session's order export and watch a worker import it (d), map an unmatched SKU and
resolve the ambiguous orders (e); an official opens the session's per-slot page and downloads
it as XLSX (f); a visitor scans the showroom's QR card and finds where to buy (g). Each
journey starts where the last one left the data, so only what nobody makes through a page is
set up by factories: the accounts of staff and officials, the channel, rooms, a host, the
showroom's slot and a second session that overlaps the first.

The screenshot of each journey's last page is kept in `JOURNEY_ARTEFACTS_DIR` (default
`var/test-artefacts/journeys/`, git-ignored), named `<journey>-<width>.png`; a journey that
fails leaves `<journey>-<width>-failed.png` instead.
"""

import contextlib
import datetime as dt
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import segno
from django.conf import settings

from catalog.models import Currency, Platform, Zone
from commerce_base.celery import app as celery_app
from core.roles import BUREAU_STAFF, OFFICIAL
from livestreams.models import Room, Session
from tests.catalog.factories import (
    CategoryFactory,
    ChannelFactory,
    DisplaySlotFactory,
    ZoneFactory,
    image_bytes,
)
from tests.core.factories import UserFactory
from tests.livestreams.factories import HostFactory, RoomFactory, SessionFactory
from tests.orders.conftest import GIA_LAI_FILE, export_path, read_rows
from tests.workers import WorkerProcess

from .support import CHROMIUM, needs_chromium

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    needs_chromium,
    # Both widths in one test process, so that they share one browser and one worker.
    pytest.mark.xdist_group("browser-journeys"),
]

PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(
    os.environ.get("JOURNEY_ARTEFACTS_DIR", PROJECT_DIR / "var" / "test-artefacts" / "journeys")
)
WIDTHS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
PASSWORD = "correct-horse-battery"
GIA_LAI = ZoneInfo("Asia/Ho_Chi_Minh")

# The story's data, as the people type it.
COOPERATIVE = "Ia Pếch Coffee Blossom Honey Cooperative"
PRODUCT = "Mật ong hoa cà phê"
PRODUCT_EN = "Coffee blossom honey"
# The sample export's honey: lines that carry the seller SKU match the cooperative's listing
# at import; lines without it carry only the platform's SKU id, which staff map by hand.
HONEY_SKU_ID = "1729000000000024634"
HONEY_SELLER_SKU = "GL-HNY-500"
HONEY_PAGE = "https://shop.tiktok.com/view/product/1729000000000024634"
SESSION = "Gia Lai OCOP evening live"
# The session as the sample export saw it (20 May 2025, 19:00 to 21:00 in Gia Lai), the
# honey's 5 minutes on air, and a session on the same channel that starts before it ends.
SESSION_START = dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI)
SESSION_END = dt.datetime(2025, 5, 20, 21, 0, tzinfo=GIA_LAI)
HONEY_ON_AIR = (
    dt.datetime(2025, 5, 20, 19, 2, tzinfo=GIA_LAI),
    dt.datetime(2025, 5, 20, 19, 7, tzinfo=GIA_LAI),
)
OVERLAP_START = dt.datetime(2025, 5, 20, 20, 45, tzinfo=GIA_LAI)


# --- What the export holds, read with the csv module (not by the importer) -----------------


def _created(row: dict) -> dt.datetime:
    return dt.datetime.strptime(row["Created Time"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=GIA_LAI)


EXPORT_ROWS = read_rows(GIA_LAI_FILE)
EXPORT_ORDERS = len({row["Order ID"] for row in EXPORT_ROWS})
HONEY_ROWS = [row for row in EXPORT_ROWS if row["SKU ID"] == HONEY_SKU_ID]
HONEY_LINES_WITHOUT_SELLER_SKU = sum(1 for row in HONEY_ROWS if not row["Seller SKU"])
HONEY_ROWS_ON_AIR = [
    row for row in HONEY_ROWS if HONEY_ON_AIR[0] <= _created(row) < HONEY_ON_AIR[1]
]
HONEY_UNITS = sum(int(row["Quantity"]) for row in HONEY_ROWS)
HONEY_UNITS_ON_AIR = sum(int(row["Quantity"]) for row in HONEY_ROWS_ON_AIR)
# Line values in whole dong (VND has no minor unit), whatever the order's status.
HONEY_GROSS = sum(int(row["SKU Subtotal After Discount"]) for row in HONEY_ROWS)
HONEY_GROSS_ON_AIR = sum(int(row["SKU Subtotal After Discount"]) for row in HONEY_ROWS_ON_AIR)
AMBIGUOUS_ORDERS = len({row["Order ID"] for row in EXPORT_ROWS if _created(row) >= OVERLAP_START})


# --- One browser, one worker and one set-up per test ---------------------------------------


@pytest.fixture(scope="module")
def chromium():
    # Imported here, as tests/browser/conftest.py does, so that collecting the suite does not
    # load Playwright.
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of these tests
    # are plain sync code, so Django's async guard is lifted for them alone.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture(scope="module")
def journey_worker(django_db_setup, tmp_path_factory):
    """One real Celery worker for both widths: it reads the test database afresh each task,
    so the flush between the two tests does not concern it."""
    with celery_app.connection_for_write() as connection:
        for queue in ("default", "imports", "images"):
            connection.default_channel.queue_purge(queue)
    celery_app.conf.task_always_eager = False
    worker = WorkerProcess(tmp_path_factory.mktemp("journeys") / "worker.log").start()
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        worker.stop()


class World:
    """What the factories made, and what the journeys learn as they go."""

    def __init__(self):
        self.channel = ChannelFactory(
            name="Gia Lai OCOP TikTok",
            slug="gialai-ocop-tiktok",
            platform=Platform.TIKTOK_SHOP,
            currency=Currency.VND,
            time_zone="Asia/Ho_Chi_Minh",
            grace_minutes=30,
        )
        CategoryFactory(name="Honey", slug="honey")
        exhibition = ZoneFactory(
            floor=1, code="F1-EX", name="Exhibition floor", kind=Zone.Kind.EXHIBITION
        )
        self.slot = DisplaySlotFactory(zone=exhibition, code="F1-A-07")
        live_rooms = ZoneFactory(
            floor=2, code="F2-LIVE", name="Live rooms", kind=Zone.Kind.LIVE_ROOM
        )
        self.room = RoomFactory(
            zone=live_rooms, name="Excellent products studio", kind=Room.Kind.STUDIO
        )
        self.host = HostFactory(display_name="Y Linh (KOL)")
        # The night market live on the same channel, in the other studio, begins while the
        # evening live still runs: the orders of those minutes are ambiguous.
        SessionFactory(
            title="Pleiku night market live",
            channel=self.channel,
            room=RoomFactory(zone=live_rooms, name="Helping farmers studio", kind=Room.Kind.STUDIO),
            scheduled_start=OVERLAP_START,
            scheduled_end=OVERLAP_START + dt.timedelta(minutes=45),
            status=Session.Status.SCHEDULED,
        )
        UserFactory(username="bureau.staff", roles=[BUREAU_STAFF], is_staff=True)
        UserFactory(username="official", roles=[OFFICIAL])
        self.product_id: int | None = None
        self.session_id: int | None = None
        self.qr_card_url: str | None = None


@pytest.fixture
def world(transactional_db, journey_worker):
    return World()


class Journeys:
    """The browser side: a fresh context (cookies, storage) per person, at one width."""

    def __init__(self, browser, base_url: str, width: str, worker: WorkerProcess):
        self.browser = browser
        self.base_url = base_url
        self.width = width
        self.worker = worker
        self.contexts: list = []

    def person(self, username: str | None = None):
        context = self.browser.new_context(viewport=WIDTHS[self.width], accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.script_errors = errors
        if username:
            page.goto(f"{self.base_url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{self.base_url}/")
        return page

    @contextlib.contextmanager
    def journey(self, name: str, page) -> Iterator[None]:
        """Runs one journey on `page`; keeps a screenshot of the page it ended on."""
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        kept, failed = (ARTEFACTS / f"{name}-{self.width}{end}.png" for end in ("", "-failed"))
        for stale in (kept, failed):
            stale.unlink(missing_ok=True)
        try:
            yield
            assert page.script_errors == [], page.script_errors
            # Nothing makes the page wider than the screen; wide tables scroll in their box.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTHS[self.width]["width"], f"{page.url} is {width} px wide"
        except BaseException as error:
            page.screenshot(path=str(failed), full_page=True)
            error.add_note(f"in journey {name} at {self.width} width, on {page.url}")
            error.add_note(f"the worker's log ends:\n{self.worker.log_tail(1500)}")
            raise
        page.screenshot(path=str(kept), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def reload_until(page, predicate, *, seconds: float = 60) -> None:
    """Reload until the worker's result shows; the page itself does not poll."""
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "the worker's result never showed on the page"
        page.wait_for_timeout(500)
        page.reload()


@contextlib.contextmanager
def paused(worker: WorkerProcess) -> Iterator[None]:
    """SIGSTOP the worker for a moment: it takes no task until SIGCONT."""
    os.kill(worker.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(worker.process.pid, signal.SIGCONT)


def admin_datetime(page, field: str, value: dt.datetime) -> None:
    local = value.astimezone(GIA_LAI)
    page.fill(f"input[name={field}_0]", local.strftime("%Y-%m-%d"))
    page.fill(f"input[name={field}_1]", local.strftime("%H:%M:%S"))


# --- The journeys ----------------------------------------------------------------------------


def journey_a_cooperative_registers_and_adds_a_product(journeys: Journeys, world: World):
    member = journeys.person()
    with journeys.journey("a-cooperative-registers-and-adds-a-product", member):
        member.goto(f"{journeys.base_url}/cooperatives/register/")
        member.select_option("select[name=kind]", "cooperative")
        for name, value in {
            "name": COOPERATIVE,
            "registration_number": "GL-HTX-2025-117",
            "tax_number": "5901234567",
            "province": "Gia Lai",
            "district": "Ia Grai",
            "commune": "Ia Pếch",
            "address": "Village 2",
            "contact_name": "Rơ Châm H'Nhiên",
            "phone": "+84 905 123 456",
            "email": "honey@example.org",
            "description": "Honey from the coffee blossom of Ia Grai.",
            "username": "nhien.honey",
            "first_name": "H'Nhiên",
            "last_name": "Rơ Châm",
            "password": "a-long-honey-password",
            "password_again": "a-long-honey-password",
        }.items():
            member.fill(f"[name={name}]", value)
        member.click("text=Send the registration")
        member.wait_for_url("**/cooperatives/*/")
        assert "waits for the bureau's review" in member.locator("body").inner_text()

        # The new member goes from their cooperative to its products and adds one.
        member.click("a.button:has-text('Products')")
        member.click("a.button:has-text('New product')")
        member.select_option("select[name=category]", label="Honey")
        for name, value in {
            "name": PRODUCT,
            "name_en": PRODUCT_EN,
            "description": "Raw honey from the coffee flowers of March.",
            "origin_province": "Gia Lai",
            "origin_district": "Ia Grai",
            "net_weight_grams": "500",
            "price": "199500",
            "seasonality": "March to May",
            "monthly_capacity": "300",
        }.items():
            member.fill(f"[name={name}]", value)
        member.select_option("select[name=currency]", "VND")
        member.locator("form button[type=submit]").last.click()
        member.wait_for_url(re.compile(r".*/products/\d+/$"))
        world.product_id = int(re.search(r"/products/(\d+)/$", member.url).group(1))

        member.set_input_files(
            "input[name=image]",
            files=[
                {
                    "name": "honey.jpg",
                    "mimeType": "image/jpeg",
                    "buffer": image_bytes("JPEG", size=(1600, 1200), color=(214, 160, 40)),
                }
            ],
        )
        member.fill("[name=alt_text]", "A jar of coffee blossom honey")
        member.click("text=Upload the photo")
        # The worker makes the thumbnail (the images queue); the page then shows it.
        photo = member.locator("img[alt='A jar of coffee blossom honey']")
        reload_until(
            member,
            lambda: "/thumbnails/" in photo.get_attribute("src"),
        )

        member.click("text=Add a listing")
        member.select_option("select[name=platform]", Platform.TIKTOK_SHOP)
        member.fill("[name=seller_sku]", HONEY_SELLER_SKU)
        member.fill("[name=url]", HONEY_PAGE)
        member.locator("form button[type=submit]").last.click()
        member.wait_for_url(f"**/products/{world.product_id}/")
        assert member.locator(f"a[href='{HONEY_PAGE}']").count() == 1

        member.click("text=Submit for review")
        member.wait_for_load_state()
        assert "Submitted; the bureau will review it." in member.locator("body").inner_text()


def journey_b_staff_approve_and_place_in_the_showroom(journeys: Journeys, world: World):
    staff = journeys.person("bureau.staff")
    with journeys.journey("b-staff-approve-and-place-in-the-showroom", staff):
        staff.goto(f"{journeys.base_url}/cooperatives/?status=pending")
        staff.click(f"text={COOPERATIVE}")
        staff.select_option("select[name=decision]", "approved")
        staff.click("text=Record the decision")
        staff.wait_for_load_state()
        assert "Decision recorded" in staff.locator("body").inner_text()

        staff.goto(f"{journeys.base_url}/products/review/")
        staff.click(f"text={PRODUCT}")
        staff.wait_for_url(f"**/products/{world.product_id}/")
        staff.select_option("select[name=decision]", "approved")
        staff.click("text=Record the decision")
        staff.wait_for_load_state()
        assert "Decision recorded" in staff.locator("body").inner_text()

        staff.goto(f"{journeys.base_url}/showroom/")
        staff.select_option("select[name=slot]", str(world.slot.pk))
        staff.select_option("select[name=product]", str(world.product_id))
        staff.click("button:has-text('Place')")
        staff.wait_for_load_state()
        assert "Display placed." in staff.locator("body").inner_text()
        slot = staff.locator("li.slot", has_text=world.slot.code)
        assert PRODUCT in slot.inner_text()
        world.qr_card_url = slot.locator("a:has-text('QR card')").get_attribute("href")


def journey_c_staff_schedule_a_session_with_a_lineup(journeys: Journeys, world: World):
    staff = journeys.person("bureau.staff")
    with journeys.journey("c-staff-schedule-a-session-with-a-lineup", staff):
        staff.goto(f"{journeys.base_url}/admin/livestreams/session/add/")
        staff.fill("input[name=title]", SESSION)
        staff.select_option("select[name=kind]", Session.Kind.REGULAR)
        staff.select_option("select[name=room]", str(world.room.pk))
        staff.select_option("select[name=channel]", str(world.channel.pk))
        admin_datetime(staff, "scheduled_start", SESSION_START)
        admin_datetime(staff, "scheduled_end", SESSION_END)
        staff.select_option("select[name=status]", Session.Status.SCHEDULED)

        staff.click("#session_hosts-group .add-row a")
        staff.select_option("select[name='session_hosts-0-host']", str(world.host.pk))
        staff.click("#lineup-group .add-row a")
        staff.fill("input[name='lineup-0-position']", "1")
        staff.fill("input[name='lineup-0-product']", str(world.product_id))
        staff.fill("input[name='lineup-0-planned_minutes']", "5")
        staff.fill("input[name='lineup-0-promo_price']", "179000")
        admin_datetime(staff, "lineup-0-on_air_started_at", HONEY_ON_AIR[0])
        admin_datetime(staff, "lineup-0-on_air_ended_at", HONEY_ON_AIR[1])
        staff.click("input[name=_continue]")
        staff.wait_for_url(re.compile(r".*/admin/livestreams/session/\d+/change/$"))
        assert "was added successfully" in staff.locator(".messagelist").inner_text()
        world.session_id = int(re.search(r"/session/(\d+)/change/", staff.url).group(1))

        # The run-sheet the hosts print shows the line-up.
        staff.click("a:has-text('Run-sheet')")
        staff.wait_for_url(f"**/sessions/{world.session_id}/run-sheet/")
        sheet = staff.locator("body").inner_text()
        assert SESSION in sheet and PRODUCT in sheet and world.host.display_name in sheet


def journey_d_staff_upload_an_export_and_watch_it_import(journeys: Journeys, world: World):
    staff = journeys.person("bureau.staff")
    with journeys.journey("d-staff-upload-an-export-and-watch-its-progress", staff):
        staff.goto(f"{journeys.base_url}/imports/")
        staff.select_option("select[name=channel]", str(world.channel.pk))
        staff.set_input_files("input[name=file]", str(export_path(GIA_LAI_FILE)))
        # The worker is held while the page opens, so that the page is seen waiting, then
        # following the import by itself: no reload from here on.
        polls: list[str] = []
        staff.on("request", lambda request: "/status/" in request.url and polls.append(request.url))
        with paused(journeys.worker):
            staff.click("text=Upload and import")
            staff.wait_for_url("**/imports/*/")
            assert staff.locator("[data-job-result]").is_hidden()
            assert staff.locator("[data-job-progress]").get_attribute("value") == "0"
            waiting = staff.locator("[data-job-field=status_label]").inner_text()
        staff.wait_for_selector("[data-job-result]:not([hidden])", timeout=90_000)
        assert staff.locator("[data-job-field=status_label]").inner_text() != waiting
        assert polls, "the page never asked for the import's progress"
        assert staff.locator("[data-job-progress]").get_attribute("value") == "100"
        summary = staff.locator("[data-job-result]").inner_text()
        assert f"orders created: {EXPORT_ORDERS}" in summary


def journey_e_staff_map_a_sku_and_resolve_ambiguous_orders(journeys: Journeys, world: World):
    staff = journeys.person("bureau.staff")
    with journeys.journey("e-staff-map-a-sku-and-resolve-ambiguous-orders", staff):
        staff.goto(f"{journeys.base_url}/imports/unmatched/")
        row = staff.locator("tr", has=staff.locator(f"td:text-is('{HONEY_SKU_ID}')"))
        assert row.locator("td.num").first.inner_text() == str(HONEY_LINES_WITHOUT_SELLER_SKU)
        row.locator("select[name=product]").select_option(str(world.product_id))
        row.locator("button:has-text('Map')").click()
        staff.wait_for_load_state()
        assert (
            f"{HONEY_LINES_WITHOUT_SELLER_SKU} lines now count for"
            in staff.locator("body").inner_text()
        )
        assert staff.locator(f"td:text-is('{HONEY_SKU_ID}')").count() == 0

        staff.goto(f"{journeys.base_url}/imports/ambiguous/")
        body = staff.locator("body").inner_text()
        assert f"{AMBIGUOUS_ORDERS} orders wait for a choice." in body
        for checkbox in staff.locator("input[name=orders]").all():
            checkbox.check()
        staff.select_option("#bulk-session", str(world.session_id))
        staff.click("text=Apply to the selected orders")
        staff.wait_for_load_state()
        body = staff.locator("body").inner_text()
        assert f"{AMBIGUOUS_ORDERS} orders attributed." in body
        assert "No order waits for a choice." in body


def journey_f_official_opens_the_session_and_downloads_xlsx(journeys: Journeys, world: World):
    official = journeys.person("official")
    with journeys.journey("f-official-opens-the-per-slot-session-page", official):
        official.goto(f"{journeys.base_url}/dashboards/sessions/")
        # The list opens on a recent period; the official asks for the month of the live.
        official.fill("input[name=start]", "2025-05-01")
        official.fill("input[name=end]", "2025-05-31")
        official.click("button:has-text('Filter')")
        official.click(f"a:has-text('{SESSION}')")
        official.wait_for_url(f"**/dashboards/sessions/{world.session_id}/")
        honey = official.locator(f"#lineup tr[data-product='{world.product_id}']")
        # The worker recomputes the session's sales after the mapping and the choices.
        reload_until(
            official,
            lambda: honey.get_attribute("data-on-air-units") == str(HONEY_UNITS_ON_AIR),
        )
        cells = honey.locator("td.num").all_inner_texts()
        # planned, minutes on air, then on air: orders, units...; outside: orders, units...
        assert float(cells[0]) == float(cells[1]) == 5
        assert cells[3] == str(HONEY_UNITS_ON_AIR)
        assert cells[7] == str(HONEY_UNITS - HONEY_UNITS_ON_AIR)
        # The seed's question, answered above the line-up.
        assert official.locator("[data-sold-on-air]").inner_text() == (
            "1 of the 1 product on air sold during its slot."
        )
        # The order chart is drawn, with the slot as a band listed beside it.
        assert official.evaluate(
            "Boolean(window.Chart.getChart(document.querySelector('canvas[data-chart=session-bins-data]')))"
        )
        official.click("text=Show the figures as a table")
        band = official.locator("#on-air-bands tbody tr")
        assert band.count() == 1
        assert band.locator("td").all_inner_texts() == [
            "1",
            PRODUCT,
            *(moment.strftime("%H:%M") for moment in HONEY_ON_AIR),
        ]

        with official.expect_download() as download_info:
            official.click("#lineup-slots a:text-is('XLSX')")
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        # Kept beside the screenshots: the file the official takes away.
        kept = ARTEFACTS / f"f-session-lineup-{journeys.width}.xlsx"
        download.save_as(kept)
        header, *rows = openpyxl.load_workbook(kept, read_only=True).active.iter_rows(
            values_only=True
        )
        assert [row[header.index("Product")] for row in rows] == [PRODUCT]
        figures = dict(zip(header, rows[0], strict=True))
        assert figures["Units on air"] == HONEY_UNITS_ON_AIR
        assert figures["Gross GMV on air"] == HONEY_GROSS_ON_AIR
        assert figures["Units outside the slot"] == HONEY_UNITS - HONEY_UNITS_ON_AIR
        assert figures["Gross GMV outside the slot"] == HONEY_GROSS - HONEY_GROSS_ON_AIR


def journey_g_visitor_scans_the_qr_page_and_finds_the_buy_link(journeys: Journeys, world: World):
    visitor = journeys.person()
    with journeys.journey("g-visitor-scans-a-qr-page-and-finds-the-buy-link", visitor):
        visitor.goto(journeys.base_url + world.qr_card_url)
        card = visitor.locator(".qr-card")
        address = card.locator("p", has_text=journeys.base_url).inner_text().strip()
        # What a phone's camera reads: the code drawn on the card encodes that address.
        drawn = card.locator("svg path").first.get_attribute("d")
        expected = re.search(
            r' d="([^"]+)"',
            segno.make(address, error="m").svg_inline(scale=8, border=2, omitsize=True),
        ).group(1)
        assert drawn == expected

        visitor.goto(address)
        assert visitor.locator("h1").inner_text() == PRODUCT_EN
        buy = visitor.locator(".buy-links a")
        assert buy.count() == 1
        assert buy.inner_text() == "Buy on TikTok Shop"
        assert buy.get_attribute("href") == HONEY_PAGE
        assert buy.is_visible()
        # The evening live is over: nothing to watch, and the page says so.
        assert visitor.locator(".watch-button").count() == 0
        assert (
            "No live sale of this product is scheduled yet."
            in visitor.locator(".buy-watch").inner_text()
        )


JOURNEYS = [
    journey_a_cooperative_registers_and_adds_a_product,
    journey_b_staff_approve_and_place_in_the_showroom,
    journey_c_staff_schedule_a_session_with_a_lineup,
    journey_d_staff_upload_an_export_and_watch_it_import,
    journey_e_staff_map_a_sku_and_resolve_ambiguous_orders,
    journey_f_official_opens_the_session_and_downloads_xlsx,
    journey_g_visitor_scans_the_qr_page_and_finds_the_buy_link,
]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_seven_journeys_in_chromium_with_a_real_worker(
    width, live_server, world, journey_worker, chromium
):
    journeys = Journeys(chromium, live_server.url, width, journey_worker)
    try:
        for journey in JOURNEYS:
            journey(journeys, world)
    finally:
        journeys.close()
