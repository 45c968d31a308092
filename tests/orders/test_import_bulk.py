"""The upsert the import writes with: every value arrives intact, on either database."""

import datetime as dt
from decimal import Decimal

import pytest

from orders.models import Order, OrderLine
from orders.services.bulk import upsert

TRICKY = [
    "plain",
    "",
    "tab\there",
    "new\nline and\r\nreturn",
    "back\\slash",
    "\\N",
    "\\",
    "Cà phê Ê Đê “robusta” 咖啡",
    "=1+2",
    "\x1f",
    "unit\x1fseparator",
]


def _order(channel, external_id="O-1", **extra) -> dict:
    now = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    return {
        "channel_id": channel.pk, "external_id": external_id, "platform": channel.platform,
        "status": "paid", "raw_status": "To ship", "placed_at": now, "paid_at": None,
        "cancelled_at": None, "currency": "VND", "order_amount": Decimal("1800000.00"),
        "shipping_fee": None, "refund_amount": None, "buyer_hash": "", "province": "Gia Lai",
        "city": "", "shipping_provider": "", "live_room_id": "", "creator_handle": "",
        "content_type": "", "attribution": "none", "candidate_session_ids": [],
        "session_id": None, "attributed_by_id": None, "fingerprint": "f", "last_batch_id": None,
        "created_at": now, "updated_at": now, **extra,
    }  # fmt: skip


@pytest.mark.django_db
def test_values_with_separators_backslashes_and_nulls_survive_the_upsert(tiktok_channel):
    [(order_id,)] = upsert(
        Order, [_order(tiktok_channel, candidate_session_ids=[3, 7])],
        unique_fields=["channel", "external_id"], update_fields=["status"], returning=["id"],
    )  # fmt: skip
    rows = [
        {
            "order_id": order_id,
            "external_line_id": f"L{index}",
            "sku_id": "",
            "seller_sku": "",
            "product_name": text,
            "variation": text,
            "product_id": None,
            "quantity": 2,
            "returned_quantity": 0,
            "unit_price": None,
            "line_value": Decimal("12.50"),
            "refund_amount": None,
            "lineup_item_id": None,
            "fingerprint": "",
        }  # fmt: skip
        for index, text in enumerate(TRICKY)
    ]
    upsert(OrderLine, rows, unique_fields=["order", "external_line_id"], update_fields=["quantity"])

    stored = {line.external_line_id: line for line in OrderLine.objects.filter(order_id=order_id)}
    assert [stored[f"L{i}"].product_name for i in range(len(TRICKY))] == TRICKY
    assert stored["L5"].variation == "\\N"  # a backslash-N text is text, not NULL
    assert stored["L9"].variation == "\x1f"  # nor is the marker COPY reads NULLs by
    assert stored["L0"].unit_price is None and stored["L0"].line_value == Decimal("12.50")
    order = Order.objects.get(pk=order_id)
    assert order.candidate_session_ids == [3, 7]
    assert order.paid_at is None
    assert order.placed_at == dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    assert order.order_amount == Decimal("1800000.00")


@pytest.mark.django_db
def test_an_existing_key_is_updated_not_duplicated_and_its_id_returned(tiktok_channel):
    [(first_id,)] = upsert(
        Order, [_order(tiktok_channel)], unique_fields=["channel", "external_id"],
        update_fields=["status", "refund_amount"], returning=["id"],
    )  # fmt: skip
    returned = upsert(
        Order,
        [
            _order(tiktok_channel, status="refunded", refund_amount=Decimal("5.00")),
            _order(tiktok_channel, external_id="O-2"),
        ],
        unique_fields=["channel", "external_id"],
        update_fields=["status", "refund_amount"],
        returning=["external_id", "id"],
    )
    assert dict(returned)["O-1"] == first_id
    assert Order.objects.filter(channel=tiktok_channel).count() == 2
    updated = Order.objects.get(pk=first_id)
    assert (updated.status, updated.refund_amount) == ("refunded", Decimal("5.00"))
