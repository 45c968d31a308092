"""What each channel sold in a period, on the overview page, its downloads and the API: all
imported orders, and the parts from sessions, ambiguous and not from a session.

Orders are made here with known lines, and the expected figures are summed from those lines
by DESIGN.md's definitions (never read back from the roll-up), then compared with what the
page, the CSV and XLSX downloads and the endpoint show.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from kombu.exceptions import OperationalError as BrokerUnreachable
from openpyxl import load_workbook
from rest_framework.test import APIClient

from catalog.models import Currency, Platform
from dashboards import tasks
from dashboards.models import ChannelDaySales
from dashboards.services import record_channel_sales
from dashboards.templatetags.dashboards import money as money_text
from dashboards.templatetags.dashboards import percent
from livestreams.models import Session
from orders import services as order_services
from orders.models import Order, OrderLine
from orders.services.sales import announce_orders_changed
from tests.catalog.factories import ChannelFactory
from tests.livestreams.factories import SessionFactory

from .test_overview import OVERVIEW_QUERIES

pytestmark = pytest.mark.django_db

HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7
SHANGHAI = ZoneInfo("Asia/Shanghai")  # UTC+8
DAY = dt.date(2025, 6, 10)
PERIOD = {"start": "2025-06-10", "end": "2025-06-10"}
PARTS = ("all", "sessions", "ambiguous", "unattributed")


# --- Orders with known lines, and the figures DESIGN.md gives for them ---------------------


@dataclass
class Line:
    quantity: int
    value: str
    returned: int = 0
    refund: str | None = None  # the platform's refund of this line
    pending: int = 0  # return asked for, not granted


@dataclass
class Spec:
    part: str  # where DESIGN.md puts the order: sessions, ambiguous or unattributed
    at: dt.datetime
    lines: list[Line]
    status: str = Order.Status.COMPLETED
    attribution: str = Order.Attribution.WINDOW
    in_session: bool = False
    order_refund: str | None = None
    external_id: str = field(default="")


def expected_figures(specs: list[Spec]) -> dict[str, dict]:
    """Orders, gross and net GMV per part, summed from the specs alone.

    gross = sum of line values whatever the status; net = gross minus the line values of
    cancelled orders minus the refunds of the rest (the platform's refund; else returned
    quantity x unit value). Each spec below has at most one way of being refunded.
    """
    figures = {part: {"orders": 0, "gross": Decimal(0), "net": Decimal(0)} for part in PARTS}
    for spec in specs:
        gross = sum(Decimal(line.value) for line in spec.lines)
        if spec.status == Order.Status.CANCELLED:
            lost = gross
        elif spec.order_refund is not None:
            lost = Decimal(spec.order_refund)
        else:
            lost = sum(
                Decimal(line.refund)
                if line.refund is not None
                else Decimal(line.value) * line.returned / line.quantity
                for line in spec.lines
            )
        for part in ("all", spec.part):
            figures[part]["orders"] += 1
            figures[part]["gross"] += gross
            figures[part]["net"] += gross - lost
    return figures


def make_orders(channel, specs: list[Spec], session: Session | None = None) -> list[Order]:
    made = []
    for number, spec in enumerate(specs):
        order = Order.objects.create(
            channel=channel, platform=channel.platform,
            external_id=spec.external_id or f"{channel.slug}-{number}", status=spec.status,
            placed_at=spec.at, currency=channel.currency,
            session=session if spec.in_session else None, attribution=spec.attribution,
            refund_amount=None if spec.order_refund is None else Decimal(spec.order_refund),
        )  # fmt: skip
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order, external_line_id=str(position), quantity=line.quantity,
                returned_quantity=line.returned, pending_return_quantity=line.pending,
                line_value=Decimal(line.value),
                refund_amount=None if line.refund is None else Decimal(line.refund),
            )
            for position, line in enumerate(spec.lines)
        )  # fmt: skip
        made.append(order)
    return made


def roll_up(channel, capture) -> None:
    """What orders does after an import: announce the changed orders; the dashboards'
    receiver then rewrites the channel's days (a task, run eagerly in the tests)."""
    with capture(execute=True):
        announce_orders_changed(Order.objects.filter(channel=channel))


def at(hour: int, minute: int = 0, second: int = 0, *, day: dt.date = DAY, zone=HO_CHI_MINH):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=zone)


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):.2f}"


def api_rows(user, params=PERIOD) -> list[dict]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/reports/overview/", params)
    assert response.status_code == 200
    return response.json()["channel_sales"]


@pytest.fixture
def gia_lai(db):
    return ChannelFactory(
        name="Gia Lai TikTok", slug="gia-lai-tiktok", currency=Currency.VND,
        time_zone="Asia/Ho_Chi_Minh",
    )  # fmt: skip


@pytest.fixture
def evening_live(gia_lai):
    return SessionFactory(
        channel=gia_lai, scheduled_start=at(19), scheduled_end=at(21),
        status=Session.Status.ENDED,
    )  # fmt: skip


# Every kind of order of one day: in a session (by window, named in the export, chosen by
# staff), ambiguous, not from a session (none, and staff's "none of them"), cancelled,
# refunded by the line, by the order and by returned quantity, a pending return and an
# unknown status.
DAY_SPECS = [
    Spec("sessions", at(19, 5), [Line(2, "200000"), Line(1, "50000")]),
    Spec("sessions", at(19, 10), [Line(1, "300000")], status=Order.Status.CANCELLED,
         attribution=Order.Attribution.EXPLICIT),
    Spec("sessions", at(19, 20), [Line(3, "300000", returned=1)], status=Order.Status.RETURNED,
         attribution=Order.Attribution.MANUAL),
    Spec("ambiguous", at(20, 40), [Line(1, "120000", refund="20000"), Line(2, "60000")],
         attribution=Order.Attribution.AMBIGUOUS),
    Spec("ambiguous", at(20, 45), [Line(1, "70000")], status=Order.Status.CANCELLED,
         attribution=Order.Attribution.AMBIGUOUS),
    Spec("unattributed", at(8), [Line(1, "80000")], attribution=Order.Attribution.NONE),
    Spec("unattributed", at(9), [Line(2, "90000", returned=1)], order_refund="10000",
         attribution=Order.Attribution.MANUAL),
    Spec("unattributed", at(23, 59, 59), [Line(4, "40000", pending=1)],
         status=Order.Status.UNKNOWN, attribution=Order.Attribution.NONE),
]  # fmt: skip
for _spec in DAY_SPECS:
    _spec.in_session = _spec.part == "sessions"


@pytest.fixture
def day_of_sales(gia_lai, evening_live, django_capture_on_commit_callbacks):
    """DAY_SPECS on the Gia Lai channel, with orders on the days either side that the period
    must leave out, and a CNY channel's orders of the same day."""
    outside = [
        Spec("unattributed", at(23, 59, 59, day=DAY - dt.timedelta(days=1)), [Line(1, "11000")],
             attribution=Order.Attribution.NONE, external_id="day-before"),
        Spec("unattributed", at(0, day=DAY + dt.timedelta(days=1)), [Line(1, "13000")],
             attribution=Order.Attribution.NONE, external_id="day-after"),
    ]  # fmt: skip
    make_orders(gia_lai, [*DAY_SPECS, *outside], session=evening_live)
    roll_up(gia_lai, django_capture_on_commit_callbacks)
    lhasa = ChannelFactory(
        platform=Platform.DOUYIN, name="Lhasa Douyin", slug="lhasa-douyin",
        currency=Currency.CNY, time_zone="Asia/Shanghai",
    )  # fmt: skip
    make_orders(lhasa, [Spec("unattributed", at(12, zone=SHANGHAI), [Line(1, "29.90")],
                             attribution=Order.Attribution.NONE)])  # fmt: skip
    roll_up(lhasa, django_capture_on_commit_callbacks)
    return {"gia_lai": gia_lai, "lhasa": lhasa}


# --- The figures ------------------------------------------------------------------------------


def test_the_channel_figures_equal_the_definitions_applied_to_the_orders_lines(
    day_of_sales, official
):
    expected = expected_figures(DAY_SPECS)
    rows = {row["channel"]: row for row in api_rows(official)}

    row = rows["Gia Lai TikTok"]
    assert row["currency"] == "VND"
    for part in PARTS:
        assert row[part] == {
            "orders": expected[part]["orders"],
            "gross_gmv": money(expected[part]["gross"]),
            "net_gmv": money(expected[part]["net"]),
        }, part
    # The parts add up to all orders: every order is in exactly one.
    for key in ("orders", "gross", "net"):
        assert expected["all"][key] == sum(expected[part][key] for part in PARTS[1:])
    share = expected["sessions"]["gross"] / expected["all"]["gross"]
    assert row["live_share"] == f"{share:.6f}"


def test_the_overview_page_shows_every_part_of_each_channel(day_of_sales, official_client):
    expected = expected_figures(DAY_SPECS)
    page = official_client.get("/dashboards/", PERIOD)
    content = page.content.decode()

    (vnd_row,) = [row for row in page.context["channel_sales"] if row["currency"] == "VND"]
    for part in PARTS:
        assert vnd_row[part]["orders"] == expected[part]["orders"]
        assert vnd_row[part]["gross_gmv"] == expected[part]["gross"]
        assert vnd_row[part]["net_gmv"] == expected[part]["net"]
    # The table: currency, orders, gross and net of each part, and the share from lives.
    row_html = content[content.index('<tr data-channel="Gia Lai TikTok">') :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "<td>VND</td>" in row_html
    for part in PARTS:
        assert f'data-part="{part}">{expected[part]["orders"]}<' in row_html
    for part in PARTS:
        for key in ("gross", "net"):
            assert money_text(expected[part][key], "VND") in row_html, (part, key)
    share = expected["sessions"]["gross"] / expected["all"]["gross"]
    assert f'<td class="num part-start" data-live-share>{percent(share)}</td>' in row_html
    # A chart per currency: stacked bars of each channel's gross GMV by part.
    assert 'id="channels-vnd-data"' in content and 'id="channels-cny-data"' in content


def test_the_channel_download_in_csv_and_xlsx_has_the_same_figures(day_of_sales, official_client):
    expected = expected_figures(DAY_SPECS)
    query = {**PERIOD, "table": "channels"}

    response = official_client.get("/dashboards/", {**query, "format": "csv"})
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    by_channel = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    vnd = by_channel["Gia Lai TikTok"]
    assert vnd["Currency"] == "VND"
    for label, part in (
        ("All orders", "all"),
        ("From sessions", "sessions"),
        ("Ambiguous", "ambiguous"),
        ("Not from a session", "unattributed"),
    ):
        assert int(vnd[f"{label}: Orders"]) == expected[part]["orders"]
        assert Decimal(vnd[f"{label}: Gross GMV"]) == expected[part]["gross"]
        assert Decimal(vnd[f"{label}: Net GMV"]) == expected[part]["net"]  # fmt: skip
    assert by_channel["Lhasa Douyin"]["Currency"] == "CNY"

    response = official_client.get("/dashboards/", {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header, *rows = sheet.iter_rows(values_only=True)
    xlsx = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    # Numbers stay numbers in the spreadsheet.
    assert xlsx["Gia Lai TikTok"]["All orders: Gross GMV"] == float(expected["all"]["gross"])
    assert (
        xlsx["Gia Lai TikTok"]["Not from a session: Orders"] == expected["unattributed"]["orders"]
    )


def test_a_channel_named_like_a_formula_downloads_as_text(
    official_client, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(name='=HYPERLINK("http://evil.example","x")', slug="formula")
    make_orders(channel, [Spec("unattributed", at(10), [Line(1, "1000")],
                               attribution=Order.Attribution.NONE)])  # fmt: skip
    roll_up(channel, django_capture_on_commit_callbacks)
    query = {**PERIOD, "table": "channels"}

    text = (
        official_client.get("/dashboards/", {**query, "format": "csv"})
        .getvalue()
        .decode("utf-8-sig")
    )
    (row,) = list(csv.reader(io.StringIO(text)))[1:]
    assert row[0] == "'" + channel.name
    sheet = load_workbook(
        io.BytesIO(official_client.get("/dashboards/", {**query, "format": "xlsx"}).getvalue())
    ).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value == "'" + channel.name


# --- The period -----------------------------------------------------------------------------


def test_the_period_is_whole_days_in_each_channels_own_time_zone(
    official, django_capture_on_commit_callbacks
):
    """An order belongs to the period by its placement time, dated in its channel's zone: the
    first instant of the first day counts, the first instant after the last day does not."""
    for zone_name, zone, slug in (("Asia/Ho_Chi_Minh", HO_CHI_MINH, "hcm"),
                                  ("Asia/Shanghai", SHANGHAI, "sh")):  # fmt: skip
        channel = ChannelFactory(name=f"Channel {slug}", slug=slug, time_zone=zone_name)
        first, last = dt.date(2025, 6, 10), dt.date(2025, 6, 12)
        instants = {
            "before": dt.datetime.combine(first, dt.time(), tzinfo=zone) - dt.timedelta(seconds=1),
            "first": dt.datetime.combine(first, dt.time(), tzinfo=zone),
            "last": dt.datetime.combine(last, dt.time(23, 59, 59, 999999), tzinfo=zone),
            "after": dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone),
        }
        make_orders(channel, [
            Spec("unattributed", moment, [Line(1, value)], attribution=Order.Attribution.NONE,
                 external_id=name)
            for (name, moment), value in zip(instants.items(), ("1", "10", "100", "1000"),
                                             strict=True)
        ])  # fmt: skip
        roll_up(channel, django_capture_on_commit_callbacks)
        # The first instant of the period is the evening before in UTC.
        assert instants["first"].astimezone(dt.UTC).date() == first - dt.timedelta(days=1)

    rows = api_rows(official, {"start": "2025-06-10", "end": "2025-06-12"})

    assert len(rows) == 2
    for row in rows:
        assert row["all"] == {"orders": 2, "gross_gmv": "110.00", "net_gmv": "110.00"}
    day_before = api_rows(official, {"start": "2025-06-09", "end": "2025-06-09"})
    assert [row["all"]["gross_gmv"] for row in day_before] == ["1.00", "1.00"]
    day_after = api_rows(official, {"start": "2025-06-13", "end": "2025-06-13"})
    assert [row["all"]["gross_gmv"] for row in day_after] == ["1000.00", "1000.00"]


# --- Currencies -------------------------------------------------------------------------------


def test_each_channel_is_a_row_in_its_own_currency_and_currencies_are_never_summed(
    day_of_sales, official, django_capture_on_commit_callbacks
):
    second_vnd = ChannelFactory(name="Kon Tum Shopee", slug="kon-tum", platform=Platform.SHOPEE)
    make_orders(second_vnd, [Spec("unattributed", at(10), [Line(1, "5000")],
                                  attribution=Order.Attribution.NONE)])  # fmt: skip
    roll_up(second_vnd, django_capture_on_commit_callbacks)

    rows = api_rows(official)

    assert sorted((row["channel"], row["currency"]) for row in rows) == [
        ("Gia Lai TikTok", "VND"), ("Kon Tum Shopee", "VND"), ("Lhasa Douyin", "CNY"),
    ]  # fmt: skip
    lhasa = next(row for row in rows if row["currency"] == "CNY")
    assert lhasa["all"] == {"orders": 1, "gross_gmv": "29.90", "net_gmv": "29.90"}
    # Two channels in one currency stay two rows: no total is made across channels either.
    assert {row["all"]["gross_gmv"] for row in rows if row["currency"] == "VND"} == {
        money(expected_figures(DAY_SPECS)["all"]["gross"]), "5000.00",
    }  # fmt: skip


def test_a_channel_whose_currency_changed_keeps_its_old_days_apart(
    gia_lai, official, django_capture_on_commit_callbacks
):
    make_orders(gia_lai, [Spec("unattributed", at(10), [Line(1, "5000")],
                               attribution=Order.Attribution.NONE)])  # fmt: skip
    roll_up(gia_lai, django_capture_on_commit_callbacks)
    gia_lai.currency = Currency.USD
    gia_lai.save(update_fields=["currency"])
    later = Spec("unattributed", at(10, day=DAY + dt.timedelta(days=1)), [Line(1, "7")],
                 attribution=Order.Attribution.NONE, external_id="in-dollars")  # fmt: skip
    make_orders(gia_lai, [later])
    # Only the day the new order is on is rewritten (in the new currency); the old day keeps
    # the currency its figures were summed in.
    with django_capture_on_commit_callbacks(execute=True):
        announce_orders_changed(Order.objects.filter(external_id="in-dollars"))

    rows = api_rows(official, {"start": "2025-06-10", "end": "2025-06-11"})

    assert sorted((row["currency"], row["all"]["gross_gmv"]) for row in rows) == [
        ("USD", "7.00"), ("VND", "5000.00"),
    ]  # fmt: skip


# --- Staff decisions and keeping in step -------------------------------------------------------


def test_staff_choosing_none_of_the_sessions_moves_an_ambiguous_order_to_unattributed(
    day_of_sales, bureau_staff, official, django_capture_on_commit_callbacks
):
    order = Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS).order_by("pk").first()
    before = next(row for row in api_rows(official) if row["currency"] == "VND")
    with django_capture_on_commit_callbacks(execute=True):
        order_services.choose_session_for_order(order=order, session=None, chosen_by=bureau_staff)

    after = next(row for row in api_rows(official) if row["currency"] == "VND")

    assert after["ambiguous"]["orders"] == before["ambiguous"]["orders"] - 1
    assert after["unattributed"]["orders"] == before["unattributed"]["orders"] + 1
    assert after["all"] == before["all"]


def test_the_sessions_part_equals_the_sessions_own_figures(
    gia_lai, evening_live, official, django_capture_on_commit_callbacks
):
    """The same rules as the session figures: a session's orders of one day, refunds shared
    over lines and a third of a line returned included, give the session's own roll-up."""
    specs = [spec for spec in DAY_SPECS if spec.part == "sessions"] + [
        Spec("sessions", at(19, 30), [Line(3, "100.00", returned=1), Line(1, "50.00")],
             status=Order.Status.RETURNED),
        Spec("sessions", at(19, 40), [Line(2, "80.00", returned=1), Line(1, "20.00")],
             order_refund="30.00"),
    ]  # fmt: skip
    for spec in specs:
        spec.in_session = True
    make_orders(gia_lai, specs, session=evening_live)
    order_services.recompute_session_sales(session_ids=[evening_live.pk])
    roll_up(gia_lai, django_capture_on_commit_callbacks)
    evening_live.sales.refresh_from_db()

    (row,) = api_rows(official)

    assert row["sessions"] == {
        "orders": evening_live.sales.orders,
        "gross_gmv": money(evening_live.sales.gross_gmv),
        "net_gmv": money(evening_live.sales.net_gmv),
    }
    assert row["all"] == row["sessions"] and row["live_share"] == "1.000000"


def test_the_days_are_summed_at_once_when_the_broker_cannot_be_reached(
    gia_lai, official, monkeypatch, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.record_channel_sales_task, "delay", unreachable)
    make_orders(gia_lai, [Spec("unattributed", at(10), [Line(1, "5000")],
                               attribution=Order.Attribution.NONE)])  # fmt: skip
    roll_up(gia_lai, django_capture_on_commit_callbacks)

    (row,) = api_rows(official)
    assert row["all"]["gross_gmv"] == "5000.00"


def test_rewriting_the_same_days_again_changes_nothing(day_of_sales):
    channel = day_of_sales["gia_lai"]

    def snapshot():
        return sorted(
            ChannelDaySales.objects.filter(channel=channel).values_list(
                "day", "part", "currency", "orders", "units", "cancelled_orders",
                "gross_gmv_cents", "net_gmv_cents",
            )
        )  # fmt: skip

    before = snapshot()
    span = {"first": at(0, day=DAY - dt.timedelta(days=3)), "last": at(23, day=DAY)}
    record_channel_sales(channel_id=channel.pk, **span)
    record_channel_sales(channel_id=channel.pk, **span)
    assert snapshot() == before


# --- Who sees it --------------------------------------------------------------------------------


def test_only_officials_and_bureau_staff_get_the_channel_figures(
    day_of_sales, official, bureau_staff, coop_member, other_coop_member, host_user, anonymous,
    official_client, coop_client,
):  # fmt: skip
    for user in (official, bureau_staff):
        assert len(api_rows(user)) == 2
    for user in (coop_member, other_coop_member, host_user):
        client = APIClient()
        client.force_authenticate(user)
        assert client.get("/api/v1/reports/overview/", PERIOD).status_code == 403
    assert APIClient().get("/api/v1/reports/overview/", PERIOD).status_code in (401, 403)
    # The page and its downloads likewise: members never see other cooperatives' channels.
    download = {**PERIOD, "table": "channels", "format": "csv"}
    assert coop_client.get("/dashboards/", download).status_code == 403
    assert anonymous.get("/dashboards/", download).status_code == 302
    assert official_client.get("/dashboards/", download).status_code == 200


# --- Query budget -----------------------------------------------------------------------------


def channels_with_sales(count: int, days: int) -> None:
    """`count` channels (VND and CNY), each with orders in every part on `days` days of June
    2025, rolled up as imports leave them."""
    for number in range(count):
        channel = ChannelFactory(
            currency=(Currency.VND, Currency.CNY)[number % 2],
            time_zone=("Asia/Ho_Chi_Minh", "Asia/Shanghai")[number % 2],
        )
        orders = Order.objects.bulk_create(
            Order(
                channel=channel, platform=channel.platform, external_id=f"{day}-{kind}",
                status=Order.Status.COMPLETED, currency=channel.currency,
                placed_at=dt.datetime(2025, 6, 1 + day, 12, tzinfo=dt.UTC),
                attribution=kind,
            )
            for day in range(days)
            for kind in (Order.Attribution.AMBIGUOUS, Order.Attribution.NONE,
                         Order.Attribution.MANUAL)
        )  # fmt: skip
        OrderLine.objects.bulk_create(
            OrderLine(order=order, external_line_id="1", quantity=1, line_value=Decimal(1000))
            for order in orders
        )
        record_channel_sales(
            channel_id=channel.pk,
            first=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
            last=dt.datetime(2025, 6, days, 23, tzinfo=dt.UTC),
        )


# Queries of the endpoint (force-authenticated: no session or user lookup): the user's groups
# for the role check (1); the bases (1); then the overview selector's: totals now and
# before (2), buyers now and before (1), sessions held (1), daily trend (1), top products,
# cooperatives, hosts and channels (4), upcoming sessions (1, no hosts' query without
# sessions), the channels' sales (1), meetings per agreement currency, trainings held and
# people trained (3).
OVERVIEW_API_QUERIES = 16


@pytest.mark.parametrize(("channels", "days"), [(2, 3), (12, 28)])
def test_the_overview_query_count_does_not_grow_with_the_channels_and_their_days(
    channels, days, official, official_client, django_assert_num_queries
):
    channels_with_sales(channels, days)
    official_client.get("/dashboards/")  # warm the session
    june = {"start": "2025-06-01", "end": "2025-06-30"}

    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = official_client.get("/dashboards/", june)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        download = official_client.get(
            "/dashboards/", {**june, "table": "channels", "format": "csv"}
        )
    client = APIClient()
    client.force_authenticate(official)
    with django_assert_num_queries(OVERVIEW_API_QUERIES):
        body = client.get("/api/v1/reports/overview/", june).json()

    assert len(page.context["channel_sales"]) == len(body["channel_sales"]) == channels
    assert len(download.getvalue().decode("utf-8-sig").splitlines()) == channels + 1
    for row in body["channel_sales"]:
        assert row["all"]["orders"] == 3 * days
        assert row["sessions"]["orders"] == 0 and row["live_share"] == "0.000000"
