"""RELIABILITY.md R11: properties of attribution and session sales over generated orders,
session windows, refunds and time zones.

Each example is a channel in some time zone with a grace period, a few sessions (some
cancelled, rehearsals, with or without actual times and live ids, some starting exactly where
another's window ends), and orders written as a TikTok export whose naive times are the
channel's wall-clock time. Order times are drawn at random and at every window's edges. The
export goes through the real pipeline (file, batch, import, attribution, roll-up); what it must
give is computed here from DESIGN.md's definitions alone, never by calling the roll-up code.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from catalog.models import Currency, Platform
from devtools.exportgen import TIKTOK_HEADER
from livestreams.models import Session
from orders import services
from orders.models import ImportBatch, Order, OrderLine, SessionProductSales, SessionSales
from tests.catalog.factories import ChannelFactory, PlatformListingFactory, ProductFactory
from tests.livestreams.factories import SessionFactory

# Slow: generated examples by the hundred (make test-quick leaves them out; make test runs them).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

UTC = dt.UTC
# Zones with one offset all year, odd offsets, daylight saving time (examples fall on its
# change days), and Morocco's Ramadan change of offset.
ZONES = ("Asia/Ho_Chi_Minh", "Asia/Shanghai", "UTC", "Asia/Kathmandu", "America/New_York",
         "Europe/London", "Australia/Lord_Howe", "Africa/Casablanca")  # fmt: skip
DAYS = (dt.date(2025, 5, 20), dt.date(2025, 3, 9), dt.date(2025, 11, 2), dt.date(2025, 3, 30),
        dt.date(2025, 10, 26), dt.date(2025, 4, 6), dt.date(2025, 2, 23))  # fmt: skip
SKUS = ("SKU-A", "SKU-B", "SKU-C")
# Only SKU-A is listed: its lines make a product row, the others are unmatched.
LISTED_SKU = "SKU-A"
STATUSES = {
    "completed": ("Completed", "Completed"),
    "delivered": ("Completed", "Delivered"),
    "to_ship": ("To ship", "Awaiting shipment"),
    "shipped": ("Shipped", "In transit"),
    "unpaid": ("Unpaid", "Unpaid"),
    "cancelled": ("Canceled", "Canceled"),
}
# Drafts count like any non-cancelled session (DESIGN.md names only cancelled sessions and
# rehearsals as left out).
SESSION_STATUSES = (
    Session.Status.ENDED,
    Session.Status.ENDED,
    Session.Status.LIVE,
    Session.Status.SCHEDULED,
    Session.Status.DRAFT,
    Session.Status.CANCELLED,
)
CENT = Decimal("0.01")
# Each example imports a file: shrinking a failure took over five minutes, so a failing
# example is reported as generated (scenarios are small: four sessions, twelve orders at most).
PROPERTIES = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class SessionSpec:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    status: str
    is_rehearsal: bool
    live_id: str

    @property
    def eligible(self) -> bool:
        """DESIGN.md: windows of non-cancelled, non-rehearsal sessions only."""
        return self.status != Session.Status.CANCELLED and not self.is_rehearsal

    def window(self, grace: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
        """[start, end + grace): actual times when recorded, else scheduled ones."""
        return (self.actual_start or self.start, (self.actual_end or self.end) + grace)


@dataclass(frozen=True)
class LineSpec:
    sku: str
    quantity: int
    unit_price: int
    discount: int
    returned: int
    platform_refund: int | None

    @property
    def value(self) -> int:
        """The line's subtotal after all discounts."""
        return self.unit_price * self.quantity - self.discount


@dataclass(frozen=True)
class OrderSpec:
    number: int
    created: dt.datetime  # naive, the channel's wall-clock time
    status: str
    buyer: str
    live_id: str
    lines: tuple[LineSpec, ...]

    @property
    def external_id(self) -> str:
        return f"58{self.number:016d}"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass
class Scenario:
    zone: str
    grace_minutes: int
    sessions: list[SessionSpec]
    orders: list[OrderSpec] = field(default_factory=list)

    @property
    def grace(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.grace_minutes)

    def utc(self, naive: dt.datetime) -> dt.datetime:
        """DESIGN.md: naive export times are read in the channel's time zone."""
        return naive.replace(tzinfo=ZoneInfo(self.zone)).astimezone(UTC)

    def wall_clock(self, moment: dt.datetime) -> dt.datetime:
        # An export's text has no fold: the hour repeated when clocks go back reads as its
        # first occurrence.
        return moment.astimezone(ZoneInfo(self.zone)).replace(tzinfo=None, microsecond=0, fold=0)


@st.composite
def session_specs(draw, day_start: dt.datetime, previous: list[SessionSpec], grace: dt.timedelta):
    if previous and draw(st.booleans()):
        # Starts exactly where an earlier window ends: an order at that instant is the later
        # session's only.
        earlier = draw(st.sampled_from(previous))
        start = (earlier.actual_end or earlier.end) + grace
    else:
        # Within the first hours of the day: windows overlap often, and clocks change then.
        start = day_start + dt.timedelta(minutes=draw(st.integers(0, 4 * 60)))
    # Mostly an hour or more (windows overlap), sometimes a few minutes.
    end = start + dt.timedelta(minutes=draw(st.one_of(st.integers(60, 180), st.integers(1, 180))))
    actual_start = actual_end = None
    if draw(st.booleans()):
        actual_start = start + dt.timedelta(minutes=draw(st.integers(-15, 15)))
    if draw(st.booleans()):
        actual_end = (actual_start or start) + dt.timedelta(minutes=draw(st.integers(1, 200)))
    return SessionSpec(
        start=start,
        end=end,
        actual_start=actual_start,
        actual_end=actual_end,
        status=draw(st.sampled_from(SESSION_STATUSES)),
        is_rehearsal=draw(st.integers(0, 5)) == 0,
        live_id=draw(st.sampled_from(["", "", "L1", "L2"])),
    )


@st.composite
def line_specs(draw, sku: str, cancelled: bool, refunds_given: bool):
    quantity = draw(st.integers(1, 5))
    unit_price = draw(st.integers(1, 500)) * 1000
    discount = unit_price * quantity * draw(st.sampled_from([0, 0, 3, 5, 10])) // 100
    value = unit_price * quantity - discount
    returned = 0 if cancelled else draw(st.sampled_from([0, 0, 0, 1, quantity]))
    platform_refund = None
    if cancelled and refunds_given:
        # TikTok shows a cancelled order's lines as refunded in full.
        platform_refund = value
    elif returned and refunds_given:
        platform_refund = draw(st.integers(1, value)) if value else 0
    return LineSpec(sku, quantity, unit_price, discount, returned, platform_refund)


@st.composite
def scenarios(draw, max_orders: int = 12) -> Scenario:
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.sampled_from(DAYS))
    grace_minutes = draw(st.sampled_from([0, 1, 30, 30, 45, 90]))
    grace = dt.timedelta(minutes=grace_minutes)
    day_start = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    sessions: list[SessionSpec] = []
    for _ in range(draw(st.integers(2, 4))):
        sessions.append(draw(session_specs(day_start, sessions, grace)))
    scenario = Scenario(zone=zone, grace_minutes=grace_minutes, sessions=sessions)

    edges = []
    for session in sessions:
        start, end = session.window(grace)
        edges += [start, start - dt.timedelta(seconds=1), end, end - dt.timedelta(seconds=1),
                  session.actual_end or session.end]  # fmt: skip
    moments = st.one_of(
        st.sampled_from(edges),
        st.integers(-3600, 8 * 3600).map(lambda seconds: day_start + dt.timedelta(seconds=seconds)),
    )
    for number in range(draw(st.integers(1, max_orders))):
        status = draw(st.sampled_from(list(STATUSES)))
        refunds_given = draw(st.booleans())
        skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=3, unique=True))
        scenario.orders.append(
            OrderSpec(
                number=number,
                created=scenario.wall_clock(draw(moments)),
                status=status,
                buyer=draw(st.sampled_from(["a****1", "b****2", "c****3", "d****4"])),
                live_id=draw(st.sampled_from(["", "", "", "L1", "L2", "L3"])),
                lines=tuple(
                    draw(line_specs(sku, status == "cancelled", refunds_given)) for sku in skus
                ),
            )
        )
    return scenario


def export(scenario: Scenario) -> bytes:
    """The scenario's orders as a TikTok Shop CSV, with the live room id column."""
    header = [*TIKTOK_HEADER, "LIVE ID"]
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)

    def when(moment: dt.datetime | None) -> str:
        return f"{moment:%d/%m/%Y %H:%M:%S}\t" if moment else "\t"

    for order in scenario.orders:
        status, substatus = STATUSES[order.status]
        total = sum(line.value for line in order.lines)
        for line in order.lines:
            kind = "Cancel" if order.cancelled else ("Return/Refund" if line.returned else "")
            values = {
                "Order ID": f"{order.external_id}\t",
                "Order Status": status,
                "Order Substatus": substatus,
                "Cancelation/Return Type": kind,
                "Normal or Pre-order": "Normal",
                "SKU ID": f"17{SKUS.index(line.sku):017d}\t",
                "Seller SKU": line.sku,
                "Product Name": f"Product {line.sku}",
                "Quantity": str(line.quantity),
                "Sku Quantity of return": str(line.returned),
                "SKU Unit Original Price": str(line.unit_price),
                "SKU Subtotal Before Discount": str(line.unit_price * line.quantity),
                "SKU Platform Discount": "0",
                "SKU Seller Discount": str(line.discount),
                "SKU Subtotal After Discount": str(line.value),
                "Shipping Fee After Discount": "0",
                "Order Amount": str(total),
                "Order Refund Amount": (
                    "" if line.platform_refund is None else str(line.platform_refund)
                ),
                "Created Time": when(order.created),
                "Paid Time": when(None if order.status == "unpaid" else order.created),
                "Cancelled Time": when(
                    order.created + dt.timedelta(hours=1) if order.cancelled else None
                ),
                "Buyer Username": order.buyer,
                "Country": "Việt Nam",
                "LIVE ID": f"{order.live_id}\t" if order.live_id else "",
            }
            writer.writerow([values.get(name, "") for name in header])
    return text.getvalue().encode("utf-8-sig")


def expected_session(scenario: Scenario, order: OrderSpec) -> tuple[str, int | None]:
    """DESIGN.md's attribution: (rule, index of the session or None)."""
    eligible = [i for i, s in enumerate(scenario.sessions) if s.eligible]
    if order.live_id:
        named = [i for i in eligible if scenario.sessions[i].live_id == order.live_id]
        if len(named) == 1:
            return Order.Attribution.EXPLICIT, named[0]
    placed = scenario.utc(order.created)
    inside = [
        i
        for i in eligible
        if scenario.sessions[i].window(scenario.grace)[0]
        <= placed
        < scenario.sessions[i].window(scenario.grace)[1]
    ]
    if len(inside) == 1:
        return Order.Attribution.WINDOW, inside[0]
    if len(inside) > 1:
        return Order.Attribution.AMBIGUOUS, None
    return Order.Attribution.NONE, None


def line_refund(order: OrderSpec, line: LineSpec) -> Fraction:
    """DESIGN.md: the platform's refund amount, else returned quantity x unit value; nothing
    for a cancelled order (its whole value is lost instead)."""
    if order.cancelled:
        return Fraction(0)
    if line.platform_refund is not None:
        return Fraction(line.platform_refund)
    return Fraction(line.returned * line.value, line.quantity)


def money(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_figures(scenario: Scenario, orders: list[OrderSpec]) -> dict:
    """A session's figures by DESIGN.md's definitions, from the orders attributed to it."""
    lines = [(order, line) for order in orders for line in order.lines]
    gross = sum((Fraction(line.value) for _, line in lines), Fraction(0))
    lost = sum(
        (Fraction(line.value) if order.cancelled else line_refund(order, line))
        for order, line in lines
    )
    return {
        "orders": len(orders),
        "units": sum(line.quantity for _, line in lines),
        "buyers": len({order.buyer for order in orders}),
        "gross_gmv": money(gross),
        "net_gmv": money(gross - lost),
        "cancelled_orders": sum(order.cancelled for order in orders),
        "refunded_amount": money(sum((line_refund(o, line) for o, line in lines), Fraction(0))),
        "unmatched_lines": sum(line.sku != LISTED_SKU for _, line in lines),
    }


def build(scenario: Scenario):
    """The channel, its sessions (and a session of another channel over the whole day, naming
    the same live ids), the listing of SKU-A, and the imported export."""
    channel = ChannelFactory(
        platform=Platform.TIKTOK_SHOP,
        currency=Currency.VND,
        time_zone=scenario.zone,
        grace_minutes=scenario.grace_minutes,
    )
    sessions = [
        SessionFactory(
            channel=channel,
            scheduled_start=spec.start,
            scheduled_end=spec.end,
            actual_start=spec.actual_start,
            actual_end=spec.actual_end,
            status=spec.status,
            is_rehearsal=spec.is_rehearsal,
            platform_live_id=spec.live_id,
        )
        for spec in scenario.sessions
    ]
    first = min(spec.start for spec in scenario.sessions) - dt.timedelta(days=1)
    for live_id in ("L1", "L2", "L3"):
        SessionFactory(
            channel=ChannelFactory(platform=Platform.TIKTOK_SHOP, time_zone=scenario.zone),
            scheduled_start=first,
            scheduled_end=first + dt.timedelta(days=3),
            status=Session.Status.ENDED,
            platform_live_id=live_id,
        )
    product = ProductFactory(name="Product A")
    PlatformListingFactory(
        platform=Platform.TIKTOK_SHOP,
        sku_id=f"17{SKUS.index(LISTED_SKU):017d}",
        seller_sku=LISTED_SKU,
        product=product,
    )
    batch = import_export(channel, export(scenario))
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.error_count == 0
    return channel, sessions, product


def import_export(channel, content: bytes, *, force: bool = False) -> ImportBatch:
    batch = services.create_import_batch(
        channel=channel, upload=SimpleUploadedFile("orders.csv", content), force=force
    )
    services.run_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def roll_up(sessions) -> None:
    services.recompute_session_sales(session_ids=[session.pk for session in sessions])


def figures(session) -> dict:
    sales = SessionSales.objects.get(session=session)
    return {name: getattr(sales, name) for name in
            ("orders", "units", "buyers", "gross_gmv", "net_gmv", "cancelled_orders",
             "refunded_amount", "unmatched_lines")}  # fmt: skip


def in_a_rolled_back_transaction(test):
    """Each example starts from an empty database: its rows are rolled back after it."""

    def run(scenario: Scenario) -> None:
        with transaction.atomic():
            test(scenario)
            transaction.set_rollback(True)

    run.__name__ = test.__name__
    return run


@PROPERTIES
@given(scenarios())
@in_a_rolled_back_transaction
def test_session_sales_are_the_lines_inside_the_windows(scenario: Scenario):
    channel, sessions, product = build(scenario)
    roll_up(sessions)

    attributed: dict[int, list[OrderSpec]] = {index: [] for index in range(len(sessions))}
    stored = {
        order.external_id: order
        for order in Order.objects.filter(channel=channel).only(
            "external_id", "attribution", "session_id", "candidate_session_ids", "placed_at"
        )
    }
    for spec in scenario.orders:
        rule, index = expected_session(scenario, spec)
        order = stored[spec.external_id]
        # Times in the channel's zone are stored as the UTC instant they name.
        assert order.placed_at == scenario.utc(spec.created)
        assert order.placed_at.utcoffset() == dt.timedelta(0)
        assert (order.attribution, order.session_id) == (
            rule,
            None if index is None else sessions[index].pk,
        ), (spec, scenario.sessions)
        if rule == Order.Attribution.AMBIGUOUS:
            assert order.candidate_session_ids == sorted(
                session.pk
                for session, other in zip(sessions, scenario.sessions, strict=True)
                if other.eligible
                and other.window(scenario.grace)[0]
                <= scenario.utc(spec.created)
                < other.window(scenario.grace)[1]
            )
        if index is not None:
            attributed[index].append(spec)
        # What the examples covered (pytest --hypothesis-show-statistics).
        event(f"attribution {rule}")
        edges = {edge for s in scenario.sessions for edge in s.window(scenario.grace)}
        if scenario.utc(spec.created) in edges:
            event("an order exactly at a window's start or end + grace")

    for index, session in enumerate(sessions):
        assert figures(session) == expected_figures(scenario, attributed[index]), index
        product_row = SessionProductSales.objects.filter(session=session, product=product)
        product_lines = [
            (order, line)
            for order in attributed[index]
            for line in order.lines
            if line.sku == LISTED_SKU
        ]
        if product_lines:
            row = product_row.get()
            assert row.units == sum(line.quantity for _, line in product_lines)
            assert row.gross_gmv == sum(line.value for _, line in product_lines)
        else:
            assert not product_row.exists()
        if not scenario.sessions[index].eligible:
            assert not attributed[index]

    # Summed over the sessions, the figures are those of the lines of orders inside exactly
    # one window (or naming one live): each counted once, those at an edge included.
    counted = [spec for specs in attributed.values() for spec in specs]
    assert sum(figures(session)["orders"] for session in sessions) == len(counted)
    assert sum(figures(session)["units"] for session in sessions) == sum(
        line.quantity for spec in counted for line in spec.lines
    )
    assert sum(figures(session)["gross_gmv"] for session in sessions) == sum(
        line.value for spec in counted for line in spec.lines
    )
    assert OrderLine.objects.filter(order__channel=channel).count() == sum(
        len(spec.lines) for spec in scenario.orders
    )


@PROPERTIES
@given(scenarios())
@in_a_rolled_back_transaction
def test_rolling_up_attributing_and_importing_again_change_nothing(scenario: Scenario):
    channel, sessions, _product = build(scenario)
    roll_up(sessions)

    def state():
        return (
            [figures(session) for session in sessions],
            sorted(
                SessionProductSales.objects.filter(session__in=sessions).values_list(
                    "session_id", "product_id", "seller_sku", "orders", "units", "gross_gmv",
                    "net_gmv",
                ),
                key=str,
            ),
            sorted(
                Order.objects.filter(channel=channel).values_list(
                    "external_id", "attribution", "session_id", "candidate_session_ids",
                    "status", "placed_at",
                ),
                key=str,
            ),
            sorted(
                OrderLine.objects.filter(order__channel=channel).values_list(
                    "pk", "order_id", "external_line_id", "quantity", "returned_quantity",
                    "line_value", "refund_amount", "product_id",
                ),
                key=str,
            ),
        )  # fmt: skip

    before = state()
    roll_up(sessions)
    assert state() == before
    services.attribute_orders(channel=channel)
    roll_up(sessions)
    assert state() == before
    again = import_export(channel, export(scenario), force=True)
    assert again.status == ImportBatch.Status.SUCCEEDED, again.message
    assert (again.orders_created, again.orders_updated, again.lines_written) == (0, 0, 0)
    roll_up(sessions)
    assert state() == before


@st.composite
def wall_clock_times(draw):
    """A zone and naive times all over a day on which its offset may change."""
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.sampled_from(DAYS))
    start = dt.datetime.combine(day, dt.time(0))
    seconds = st.integers(0, 24 * 3600 - 1)
    # Around the change of offset, most zones change between 00:00 and 03:00.
    early = st.integers(0, 4 * 3600)
    times = draw(
        st.lists(st.one_of(seconds, early), min_size=1, max_size=20, unique=True).map(
            lambda offsets: [start + dt.timedelta(seconds=offset) for offset in sorted(offsets)]
        )
    )
    return zone, times


@PROPERTIES
@given(wall_clock_times())
@in_a_rolled_back_transaction
def test_export_times_are_read_in_the_channels_zone_and_stored_in_utc(example):
    zone, times = example
    scenario = Scenario(
        zone=zone,
        grace_minutes=30,
        sessions=[],
        orders=[
            OrderSpec(
                number=number,
                created=moment,
                status="cancelled",
                buyer="a****1",
                live_id="",
                lines=(LineSpec("SKU-B", 1, 1000, 0, 0, 1000),),
            )
            for number, moment in enumerate(times)
        ],
    )
    channel = ChannelFactory(platform=Platform.TIKTOK_SHOP, time_zone=zone)
    batch = import_export(channel, export(scenario))
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    stored = dict(Order.objects.filter(channel=channel).values_list("external_id", "placed_at"))
    cancelled = dict(
        Order.objects.filter(channel=channel).values_list("external_id", "cancelled_at")
    )
    for spec in scenario.orders:
        # Computed here from the zone database, not by the importer's own conversion.
        expected = spec.created.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        assert stored[spec.external_id] == expected, (zone, spec.created)
        assert stored[spec.external_id].utcoffset() == dt.timedelta(0)
        # The cancellation time is the wall-clock hour after, read in the zone too.
        later = spec.created + dt.timedelta(hours=1)
        assert cancelled[spec.external_id] == scenario.utc(later), (zone, later)
