"""The chunk writer's fast paths (#14) give what the general path gives.

New orders and their lines are COPYed straight into the tables; an order met again in a later
chunk (an export listing an order's lines apart) makes the unique key refuse the COPY, and
the chunk is written again through the lookup-and-upsert path. Fingerprints and buyer hashes
are computed by faster code with the same values as the definitions they replace.
"""

import csv
import hashlib
import hmac
import io

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from catalog.models import Currency, Platform
from core.lookups import AnyOf
from orders.importers import open_export
from orders.models import Order, OrderLine
from orders.services import chunk_writer, imports
from orders.services.chunk_writer import (
    ORDER_FIELDS,
    _order_values,
    buyer_hash,
    order_fingerprint,
)
from tests.catalog.factories import ChannelFactory

from .conftest import (
    GIA_LAI_FILE,
    GIA_LAI_LINES,
    GIA_LAI_ORDERS,
    export_path,
    import_file,
    read_rows,
)


def reference_fingerprint(values) -> str:
    """The fingerprint's definition, as it was written before it was made fast: every field
    of ORDER_FIELDS, money to the cent, times as POSIX timestamps, None as empty, joined by
    U+001F, MD5."""
    canonical = []
    for name in ORDER_FIELDS:
        value = values[name]
        if value is not None:
            if name in {"order_amount", "shipping_fee", "refund_amount"}:
                value = f"{value:.2f}"
            elif name in {"placed_at", "paid_at", "cancelled_at"}:
                value = value.timestamp()
        canonical.append(value)
    text = "\x1f".join("" if value is None else str(value) for value in canonical)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,zone",
    [
        (GIA_LAI_FILE, "Asia/Ho_Chi_Minh"),
        ("douyin_orders_lhasa.csv", "Asia/Shanghai"),
        ("Order.all.20250520_20250521.xlsx", "Asia/Ho_Chi_Minh"),
        ("lazada_orders.xlsx", "Asia/Ho_Chi_Minh"),
    ],
)
def test_fingerprints_and_buyer_hashes_keep_their_definitions(name, zone):
    channel = ChannelFactory(time_zone=zone)
    by_order = {}
    with open_export(export_path(name), time_zone=zone, default_currency="VND") as reader:
        for item in reader.iter_items():
            if hasattr(item, "order_id") and hasattr(item, "line_id"):
                by_order.setdefault(item.order_id, []).append(item)
    assert by_order
    for lines in by_order.values():
        values = _order_values(channel, lines, None)
        assert order_fingerprint(values) == reference_fingerprint(values)
        # With the money and times left empty, as staff-entered orders may be.
        blank = {**values, "order_amount": None, "paid_at": None, "cancelled_at": None}
        assert order_fingerprint(blank) == reference_fingerprint(blank)
        buyer = lines[-1].buyer_ref
        expected = (
            hmac.new(
                str(settings.BUYER_HASH_KEY).encode(),
                f"{channel.pk}:{buyer}".encode(),
                hashlib.sha256,
            ).hexdigest()
            if buyer
            else ""
        )
        assert buyer_hash(channel.pk, buyer) == expected


@pytest.mark.django_db
def test_any_of_finds_exactly_the_values_given(tiktok_channel):
    import_file(tiktok_channel, GIA_LAI_FILE)
    ids = sorted(Order.objects.values_list("external_id", flat=True))
    wanted = [ids[0], ids[-1], "no-such-order"]
    found = Order.objects.filter(AnyOf(F("external_id"), wanted)).values_list(
        "external_id", flat=True
    )
    assert sorted(found) == sorted(ids[:1] + ids[-1:])
    assert not Order.objects.filter(AnyOf(F("external_id"), [])).exists()
    pks = list(Order.objects.values_list("pk", flat=True)[:3])
    assert set(Order.objects.filter(AnyOf(F("pk"), pks)).values_list("pk", flat=True)) == set(pks)


def _lines_apart(name: str) -> bytes:
    """The sample with every order's first line moved to the end of the file: each order's
    lines are then in two places, hence in two chunks."""
    with export_path(name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    position = header.index("Order ID")
    seen, first, rest = set(), [], []
    for row in body:
        if row[position] not in seen:
            seen.add(row[position])
            first.append(row)
        else:
            rest.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rest, *first])
    return out.getvalue().encode()


@pytest.mark.django_db
def test_lines_of_an_order_apart_in_the_file_are_each_written_once(monkeypatch):
    """The second chunk meets orders the first one inserted: on PostgreSQL the direct COPY is
    refused by the unique key and the chunk is upserted; every line is there once."""
    monkeypatch.setattr(imports, "CHUNK_LINES", 10)
    fallbacks = []
    original = chunk_writer._write_orders_once

    def counted(*args, direct, **kwargs):
        fallbacks.append(direct)
        return original(*args, direct=direct, **kwargs)

    monkeypatch.setattr(chunk_writer, "_write_orders_once", counted)
    apart = ChannelFactory(
        platform=Platform.TIKTOK_SHOP, currency=Currency.VND, time_zone="Asia/Ho_Chi_Minh"
    )
    together = ChannelFactory(
        platform=Platform.TIKTOK_SHOP, currency=Currency.VND, time_zone="Asia/Ho_Chi_Minh"
    )
    import_file(apart, GIA_LAI_FILE, content=_lines_apart(GIA_LAI_FILE))
    import_file(together, GIA_LAI_FILE)

    def table(channel):
        orders = {
            row["external_id"]: row
            for row in Order.objects.filter(channel=channel).values("external_id", *ORDER_FIELDS)
        }
        lines = sorted(
            OrderLine.objects.filter(order__channel=channel).values_list(
                "order__external_id", "external_line_id", "quantity", "line_value"
            )
        )
        return orders, lines

    apart_orders, apart_lines = table(apart)
    together_orders, together_lines = table(together)
    assert len(apart_lines) == len(together_lines) == GIA_LAI_LINES
    assert len(apart_lines) == len(set(apart_lines))
    assert set(apart_orders) == set(together_orders)
    assert len(apart_orders) == GIA_LAI_ORDERS
    # Every file line is in the table once, as the csv module reads the file.
    assert len({(row["Order ID"], row["SKU ID"]) for row in read_rows(GIA_LAI_FILE)}) == len(
        apart_lines
    )
    if connection.vendor == "postgresql":
        # The direct path ran, and was refused at least once (orders met in a second chunk).
        assert True in fallbacks and False in fallbacks
    else:
        assert set(fallbacks) == {False}
