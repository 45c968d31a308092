"""Per-slot results (#13): what each line-up product sold while it was on air and outside its
slot, checked against the imported orders by DESIGN.md's definitions; the lines slotted again
when a SKU is mapped or an on-air time changes."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dashboards.models import LineupSlotFact
from dashboards.templatetags.dashboards import percent
from livestreams import services as livestreams_services
from livestreams.models import LineupItem, Session
from orders import services
from orders.models import Order, OrderLine
from orders.services.attribution import assign_lineup_slots
from orders.services.slots import reslot_session_lines
from tests.catalog.factories import ProductFactory
from tests.livestreams.factories import LineupItemFactory, SessionFactory
from tests.orders.conftest import GIA_LAI

from .expected import CENT

pytestmark = pytest.mark.django_db


# --- The independent side: DESIGN.md's definitions with plain reads ---------------------------


def line_refunds(order: Order, lines: list[OrderLine]) -> dict[int, Decimal]:
    """What each line of the order gave back: nothing when cancelled (its whole value is
    lost instead); the platform's line refund; else the order's refund, up to its value,
    shared by returned value (by value when nothing was returned); else returned units."""
    if order.status == Order.Status.CANCELLED:
        return {line.pk: Decimal(0) for line in lines}
    if any(line.refund_amount is not None for line in lines):
        return {line.pk: line.refund_amount or Decimal(0) for line in lines}

    def returned(line: OrderLine) -> Decimal:
        return line.line_value * line.returned_quantity / line.quantity if line.quantity else 0

    if order.refund_amount:
        basis = {line.pk: Decimal(returned(line)) for line in lines}
        if not any(basis.values()):
            basis = {line.pk: line.line_value for line in lines}
        total = sum(basis.values(), Decimal(0))
        capped = min(order.refund_amount, sum((line.line_value for line in lines), Decimal(0)))
        return {pk: capped * share / total if total else Decimal(0) for pk, share in basis.items()}
    return {line.pk: Decimal(returned(line)) for line in lines}


def expected_slots(session: Session) -> dict[int, dict[str, dict]]:
    """For each line-up item with air times: the product's orders, units, gross and net GMV
    with the order created in [on air from, on air until) and outside that, from the orders'
    own times (never from the lines' stored slot)."""
    orders = {order.pk: order for order in Order.objects.filter(session=session)}
    by_order: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order__session=session):
        by_order[line.order_id].append(line)
    refunds: dict[int, Decimal] = {}
    for order_id, lines in by_order.items():
        refunds.update(line_refunds(orders[order_id], lines))
    result = {}
    for item in session.lineup.all():
        start, end = item.on_air_started_at, item.on_air_ended_at or session.ends_at
        parts = {
            name: {"orders": set(), "units": 0, "gross": Decimal(0), "net": Decimal(0)}
            for name in ("on_air", "outside")
        }
        for order_id, lines in by_order.items():
            order = orders[order_id]
            for line in lines:
                if line.product_id != item.product_id:
                    continue
                inside = start is not None and start <= order.placed_at < end
                part = parts["on_air" if inside else "outside"]
                part["orders"].add(order_id)
                part["units"] += line.quantity
                part["gross"] += line.line_value
                cancelled = order.status == Order.Status.CANCELLED
                part["net"] += Decimal(0) if cancelled else line.line_value - refunds[line.pk]
        result[item.pk] = {
            name: {
                "orders": len(part["orders"]),
                "units": part["units"],
                "gross_gmv": part["gross"].quantize(CENT, ROUND_HALF_UP),
                "net_gmv": part["net"].quantize(CENT, ROUND_HALF_UP),
            }
            for name, part in parts.items()
        }
    return result


def stored_slots(session: Session) -> dict[int, dict[str, dict]]:
    def money(cents: int) -> Decimal:
        return (Decimal(cents) / 100).quantize(CENT)

    return {
        fact.lineup_item_id: {
            part: {
                "orders": getattr(fact, f"{part}_orders"),
                "units": getattr(fact, f"{part}_units"),
                "gross_gmv": money(getattr(fact, f"{part}_gross_gmv_cents")),
                "net_gmv": money(getattr(fact, f"{part}_net_gmv_cents")),
            }
            for part in ("on_air", "outside")
        }
        for fact in LineupSlotFact.objects.filter(session=session)
    }


# --- A megalive whose best sellers were each on air for five minutes -------------------------


def best_sellers(listings, count: int) -> list:
    from .conftest import GIA_LAI_FILE, read_rows

    units = Counter()
    for row in read_rows(GIA_LAI_FILE):
        if row["SKU ID"] in listings:
            units[row["SKU ID"]] += int(row["Quantity"])
    return [listings[sku].product for sku, _units in units.most_common(count)]


def placed_times(product) -> list[dt.datetime]:
    return sorted(
        OrderLine.objects.filter(product=product).values_list("order__placed_at", flat=True)
    )


def five_minutes_around(moment: dt.datetime) -> dict:
    start = moment - dt.timedelta(minutes=2)
    return {"on_air_started_at": start, "on_air_ended_at": start + dt.timedelta(minutes=5)}


def sample_times(listing) -> list[dt.datetime]:
    """When the sample's orders of a listing were created, read from the file itself."""
    from .conftest import GIA_LAI_FILE, read_rows

    return sorted(
        dt.datetime.strptime(row["Created Time"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=GIA_LAI)
        for row in read_rows(GIA_LAI_FILE)
        if row["SKU ID"] == listing.sku_id
    )


@pytest.fixture
def slotted(importer, tiktok_channel, megalive, gia_lai_listings):
    """The Gia Lai megalive's line-up: its three best sellers, each on air five minutes around
    the middle of its sales; then the sample imported, which gives the lines their slots."""
    items = []
    products = best_sellers(gia_lai_listings, 3)
    for position, product in enumerate(products, start=1):
        (listing,) = [entry for entry in gia_lai_listings.values() if entry.product == product]
        times = sample_times(listing)
        items.append(
            LineupItemFactory(
                session=megalive, product=product, position=position,
                **five_minutes_around(times[len(times) // 2]),
            )
        )  # fmt: skip
    batch = importer(tiktok_channel, "tiktok_orders_gialai.csv")
    assert batch.status == "succeeded", batch.message
    return items


def test_each_lineup_product_sold_inside_and_outside_its_slot_by_the_definitions(slotted, megalive):
    expected = expected_slots(megalive)
    assert stored_slots(megalive) == expected
    for item in slotted:
        # The sample sells each best seller both in its five minutes and outside them.
        assert expected[item.pk]["on_air"]["units"] > 0
        assert expected[item.pk]["outside"]["units"] > 0
        # The two parts are the product's whole session.
        product_units = sum(
            OrderLine.objects.filter(order__session=megalive, product=item.product).values_list(
                "quantity", flat=True
            )
        )
        parts = expected[item.pk]
        assert parts["on_air"]["units"] + parts["outside"]["units"] == product_units
    # Cancellations take nothing off gross GMV and all of the line off net GMV.
    assert any(
        parts["outside"]["net_gmv"] < parts["outside"]["gross_gmv"] for parts in expected.values()
    )


def test_the_session_page_shows_each_products_slot_and_its_sales_per_minute(
    slotted, megalive, official_client
):
    response = official_client.get(f"/dashboards/sessions/{megalive.pk}/")
    assert response.status_code == 200
    expected = expected_slots(megalive)
    rows = {row["item"].pk: row for row in response.context["lineup"]}
    html = response.content.decode()
    # The seed's question, answered in a sentence above the table.
    assert response.context["sold_on_air"] == 3
    assert "3 of the 3 products on air sold during their slots." in html
    for item in slotted:
        row, parts = rows[item.pk], expected[item.pk]
        assert row["on_air"] == parts["on_air"] and row["outside"] == parts["outside"]
        assert row["actual_minutes"] == Decimal("5.0")
        # Units sold in the slot over its minutes, never the whole session's units.
        assert row["units_per_minute"] == (Decimal(parts["on_air"]["units"]) / 5).quantize(CENT)
        assert row["gmv_per_minute"] == (parts["on_air"]["gross_gmv"] / 5).quantize(CENT)
        total = parts["on_air"]["units"] + parts["outside"]["units"]
        assert row["share_on_air"] == Decimal(parts["on_air"]["units"]) / total
        assert row["units"] == total
        # The share, as a percentage, in the product's row of the line-up table.
        line = html.split(f'<tr data-product="{item.product_id}"')[1].split("</tr>")[0]
        assert percent(row["share_on_air"]) in line
        assert f'data-on-air-units="{parts["on_air"]["units"]}"' in line


def test_the_session_api_and_download_carry_the_per_slot_figures(slotted, megalive, official):
    from rest_framework.test import APIClient

    from tests.conftest import client_for

    client = APIClient()
    client.force_authenticate(official)
    body = client.get(f"/api/v1/reports/sessions/{megalive.pk}/").json()
    expected = expected_slots(megalive)
    for row, item in zip(body["lineup"], slotted, strict=True):
        parts = expected[item.pk]
        assert row["on_air"] == {
            "orders": parts["on_air"]["orders"],
            "units": parts["on_air"]["units"],
            "gross_gmv": f"{parts['on_air']['gross_gmv']:.2f}",
            "net_gmv": f"{parts['on_air']['net_gmv']:.2f}",
        }
        assert row["outside"]["units"] == parts["outside"]["units"]
        assert row["units_per_minute"] == f"{Decimal(parts['on_air']['units']) / 5:.2f}"

    csv_text = (
        client_for(official)
        .get(f"/dashboards/sessions/{megalive.pk}/", {"table": "lineup", "format": "csv"})
        .getvalue()
        .decode("utf-8-sig")
    )
    header, *lines = [line for line in csv_text.splitlines() if line]
    assert "Units on air" in header and "Units outside the slot" in header
    assert "Share of its units sold on air" in header
    first = expected[slotted[0].pk]
    assert f",{first['on_air']['units']},{first['on_air']['gross_gmv']}," in lines[0]


# --- Slotted again ---------------------------------------------------------------------------


def test_mapping_an_unmatched_sku_gives_its_lines_their_slot_and_rolls_the_session_up(
    importer, tiktok_channel, megalive, gia_lai_listings, bureau_staff,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from .conftest import GIA_LAI_FILE, read_rows

    honey_rows = [row for row in read_rows(GIA_LAI_FILE) if row["Seller SKU"] == "GL-HNY-500"]
    honey = ProductFactory(name="Kon Chu Rang honey")
    importer(tiktok_channel, GIA_LAI_FILE)
    honey_lines = OrderLine.objects.filter(seller_sku="GL-HNY-500", order__session=megalive)
    times = sorted(honey_lines.values_list("order__placed_at", flat=True))
    item = LineupItemFactory(
        session=megalive, product=honey, position=1, **five_minutes_around(times[len(times) // 2])
    )
    services.recompute_session_sales(session_ids=[megalive.pk])
    assert stored_slots(megalive)[item.pk]["on_air"]["units"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.map_skus_to_product(
            platform=tiktok_channel.platform, product=honey,
            skus=[(honey_rows[0]["SKU ID"], "GL-HNY-500")], actor=bureau_staff,
        )  # fmt: skip

    on_air = [
        line
        for line in honey_lines.select_related("order")
        if item.on_air_started_at <= line.order.placed_at < item.on_air_ended_at
    ]
    assert on_air, "the honey sold in its slot"
    assert {line.lineup_item_id for line in on_air} == {item.pk}
    assert not honey_lines.exclude(pk__in=[line.pk for line in on_air]).filter(
        lineup_item__isnull=False
    )
    # The session's per-slot figures were rolled up again with the mapped lines.
    assert stored_slots(megalive) == expected_slots(megalive)
    assert stored_slots(megalive)[item.pk]["on_air"]["units"] > 0


def test_taking_a_product_off_air_slots_its_later_lines_out_and_rolls_the_session_up(
    importer, tiktok_channel, megalive, gia_lai_listings, django_capture_on_commit_callbacks
):
    (product,) = best_sellers(gia_lai_listings, 1)
    importer(tiktok_channel, "tiktok_orders_gialai.csv")
    times = placed_times(product)
    # On air from before its first sale, never taken off: its slot runs to the session's end.
    item = LineupItemFactory(
        session=megalive, product=product, position=1,
        on_air_started_at=times[0] - dt.timedelta(minutes=1),
    )  # fmt: skip
    assign_lineup_slots(order_ids=list(Order.objects.values_list("pk", flat=True)))
    lines = OrderLine.objects.filter(product=product, order__session=megalive)
    assert lines.filter(lineup_item=item).count() == lines.count()

    off_air = times[len(times) // 2]
    with django_capture_on_commit_callbacks(execute=True):
        assert livestreams_services.mark_off_air(item=item, at=off_air)

    item.refresh_from_db()
    assert set(
        lines.filter(order__placed_at__lt=off_air).values_list("lineup_item", flat=True)
    ) == {item.pk}
    assert not lines.filter(order__placed_at__gte=off_air, lineup_item__isnull=False).exists()
    assert stored_slots(megalive) == expected_slots(megalive)
    assert stored_slots(megalive)[item.pk]["outside"]["units"] > 0


def test_moving_on_air_times_in_the_admin_slots_the_lines_again(
    importer, tiktok_channel, megalive, gia_lai_listings, django_capture_on_commit_callbacks
):
    """The admin saves the session with its line-up rows: the session's change re-slots."""
    (product,) = best_sellers(gia_lai_listings, 1)
    importer(tiktok_channel, "tiktok_orders_gialai.csv")
    times = placed_times(product)
    early, late = times[len(times) // 4], times[3 * len(times) // 4]
    item = LineupItemFactory(
        session=megalive, product=product, position=1, **five_minutes_around(early)
    )
    assign_lineup_slots(order_ids=list(Order.objects.values_list("pk", flat=True)))
    lines = OrderLine.objects.filter(product=product, order__session=megalive)
    before = set(lines.filter(lineup_item=item).values_list("pk", flat=True))
    assert before

    with django_capture_on_commit_callbacks(execute=True):
        moved = five_minutes_around(late)
        LineupItem.objects.filter(pk=item.pk).update(**moved)
        Session.objects.get(pk=megalive.pk).save()

    now = set(lines.filter(lineup_item=item).values_list("pk", flat=True))
    expected = set(
        lines.filter(
            order__placed_at__gte=moved["on_air_started_at"],
            order__placed_at__lt=moved["on_air_ended_at"],
        ).values_list("pk", flat=True)
    )
    assert now == expected and now and now != before
    assert stored_slots(megalive) == expected_slots(megalive)


def test_reslotting_a_session_matches_the_import_rule_line_for_line(
    importer, tiktok_channel, megalive, gia_lai_listings
):
    """The set-based re-slot and the import's per-line rule agree, a product on air twice
    included (its lines go to the first slot that holds them)."""
    product, other = best_sellers(gia_lai_listings, 2)
    importer(tiktok_channel, "tiktok_orders_gialai.csv")
    times = placed_times(product)
    first = LineupItemFactory(
        session=megalive, product=product, position=1, **five_minutes_around(times[2])
    )
    LineupItemFactory(
        session=megalive, product=product, position=2,
        on_air_started_at=first.on_air_started_at + dt.timedelta(minutes=3),
        on_air_ended_at=first.on_air_started_at + dt.timedelta(minutes=40),
    )  # fmt: skip
    other_times = placed_times(other)
    LineupItemFactory(
        session=megalive, product=other, position=3,
        on_air_started_at=other_times[1],
    )  # fmt: skip
    # A line slotted in another session's line-up keeps none once it is in this one.
    elsewhere = LineupItemFactory(
        session=SessionFactory(channel=tiktok_channel), product=product, position=1
    )
    stray = OrderLine.objects.filter(product=product, order__session=megalive).last()
    OrderLine.objects.filter(pk=stray.pk).update(lineup_item=elsewhere)

    reslot_session_lines(session_id=megalive.pk)
    by_set = dict(OrderLine.objects.values_list("pk", "lineup_item_id"))
    OrderLine.objects.update(lineup_item=None)
    assign_lineup_slots(order_ids=list(Order.objects.values_list("pk", flat=True)))
    by_line = dict(OrderLine.objects.values_list("pk", "lineup_item_id"))
    assert by_set == by_line
    assert len({slot for slot in by_line.values() if slot}) == 3
    # Run again, nothing moves.
    assert reslot_session_lines(session_id=megalive.pk) == 0


# --- The page's query budget -----------------------------------------------------------------

# Queries: session, user, groups (3); session with its roll-ups (1) and hosts (1); bins,
# line-up with its slot figures, products, cooperatives, ambiguous orders, changes after
# final (6).
PAGE_QUERIES = 11


@pytest.mark.parametrize("products", [2, 16])
def test_the_session_page_reads_every_slot_with_its_line_up(
    products, generated_sales, official_client, django_assert_num_queries
):
    generated_sales(sessions=1, orders_per_session=20)
    session = Session.objects.get()
    start = session.scheduled_start
    for position in range(1, products + 1):
        on_air = start + dt.timedelta(minutes=5 * (position - 1))
        LineupItemFactory(
            session=session, position=position,
            on_air_started_at=on_air, on_air_ended_at=on_air + dt.timedelta(minutes=5),
        )  # fmt: skip
    services.recompute_session_sales(session_ids=[session.pk])
    assert LineupSlotFact.objects.filter(session=session).count() == products
    official_client.get("/dashboards/")
    with django_assert_num_queries(PAGE_QUERIES):
        response = official_client.get(f"/dashboards/sessions/{session.pk}/")
    assert len(response.context["lineup"]) == products
    assert all(row["on_air"] is not None for row in response.context["lineup"])
    # Products with no sale at all: none sold in its slot.
    assert response.context["sold_on_air"] == 0
    assert f"0 of the {products} products on air sold" in response.content.decode()


# --- The order chart with its bands ----------------------------------------------------------


def test_the_order_chart_draws_each_slot_as_a_band_with_its_times_as_a_table(
    slotted, megalive, official_client
):
    from .test_charts import assert_csp_safe, chart_spec

    html = official_client.get(f"/dashboards/sessions/{megalive.pk}/").content.decode()
    assert_csp_safe(html)
    spec = chart_spec(html, "session-bins-data")
    # One series, the orders; the slots are bands behind it, not series of their own.
    assert [dataset["label"] for dataset in spec["datasets"]] == ["Orders"]
    # The first bin is the live's start, 19:00 in Gia Lai.
    assert spec["labels"][0] == "19:00"
    start = megalive.scheduled_start
    assert [band["label"] for band in spec["bands"]] == [str(item.position) for item in slotted]
    for band, item in zip(spec["bands"], slotted, strict=True):
        assert band["name"] == item.product.name
        minutes = (item.on_air_started_at - start).total_seconds() / 60
        # Edges in bins from the first bin's middle; five minutes on air is one bin wide.
        assert band["from"] == pytest.approx(minutes / 5 - 0.5)
        assert band["to"] - band["from"] == pytest.approx(1.0)
        # The bar the band starts over is the bin holding its first minute on air.
        local = item.on_air_started_at.astimezone(GIA_LAI)
        bar = int(band["from"] + 0.5)
        assert spec["labels"][bar] == f"{local:%H}:{local.minute // 5 * 5:02d}"
    # The same, as a table beside the chart: each product's times on air, in local time.
    table = html.split('id="on-air-bands"')[1].split("</table>")[0]
    for item in slotted:
        local = item.on_air_started_at.astimezone(GIA_LAI)
        assert (
            f"<td>{item.position}</td><td>{item.product.name}</td><td>{local:%H:%M}</td>" in table
        )


def test_slot_figures_follow_cancellations_refunds_and_returns(tiktok_channel):
    """Worked by hand: an order refund shared over its lines by returned value, a cancelled
    order, a line's own refund, and a line sold in the grace after the live."""
    start = dt.datetime(2025, 5, 20, 19, 0, tzinfo=GIA_LAI)
    session = SessionFactory(
        channel=tiktok_channel,
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(hours=1),
        status=Session.Status.ENDED,
    )
    coffee, pepper = ProductFactory(name="Coffee"), ProductFactory(name="Pepper")
    slot = LineupItemFactory(
        session=session, product=coffee, position=1,
        on_air_started_at=start + dt.timedelta(minutes=10),
        on_air_ended_at=start + dt.timedelta(minutes=15),
    )  # fmt: skip

    def order(number, minute, status="completed", refund=None, lines=()):
        made = Order.objects.create(
            channel=tiktok_channel, platform=tiktok_channel.platform, external_id=f"S-{number}",
            status=status, placed_at=start + dt.timedelta(minutes=minute), currency="VND",
            session=session, attribution=Order.Attribution.WINDOW, refund_amount=refund,
        )  # fmt: skip
        for index, (product, quantity, value, returned, line_refund) in enumerate(lines):
            OrderLine.objects.create(
                order=made, external_line_id=str(index), product=product, quantity=quantity,
                line_value=Decimal(value), returned_quantity=returned,
                refund_amount=None if line_refund is None else Decimal(line_refund),
            )  # fmt: skip

    # In the slot: 2 coffee (200,000) and 1 pepper (100,000), one coffee returned; the order's
    # 150,000 refund is shared by returned value: all of it on the coffee line.
    order(
        1, 11, refund=Decimal(150_000),
        lines=[(coffee, 2, 200_000, 1, None), (pepper, 1, 100_000, 0, None)],
    )  # fmt: skip
    # In the slot, cancelled: counted in units and gross GMV, nothing in net GMV.
    order(2, 12, status="cancelled", lines=[(coffee, 3, 300_000, 0, None)])
    # At the slot's end (outside: the slot is half-open), a line refund of its own.
    order(3, 15, lines=[(coffee, 1, 100_000, 0, "40000")])
    # In the session's grace, after the live's end.
    order(4, 75, lines=[(coffee, 4, 400_000, 0, None)])
    assign_lineup_slots(order_ids=list(Order.objects.values_list("pk", flat=True)))
    services.recompute_session_sales(session_ids=[session.pk])

    assert stored_slots(session)[slot.pk] == {
        "on_air": {
            "orders": 2,
            "units": 5,
            "gross_gmv": Decimal("500000.00"),
            "net_gmv": Decimal("50000.00"),
        },
        "outside": {
            "orders": 2,
            "units": 5,
            "gross_gmv": Decimal("500000.00"),
            "net_gmv": Decimal("460000.00"),
        },
    }
    assert stored_slots(session) == expected_slots(session)
