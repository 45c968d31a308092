"""The chunk writer of an import: one chunk of parsed rows -> order and line rows.

What one chunk of whole orders becomes in the database: the orders' values, fingerprints and
attribution decided in Python, then written with set-based upserts, lines matched to products
and given their on-air slot. Batches, checkpoints, ranges and workers are the business of
``imports``; everything here runs inside the transaction its caller holds.
"""

import datetime as dt
import functools
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Channel
from core.lookups import AnyOf

from ..importers import AffiliateLink as ExportAffiliateLink
from ..importers import OrderLine as ExportLine
from ..importers import RowError
from ..importers.base import Item
from ..models import AffiliateLink, ImportRowError, Order, OrderLine
from .attribution import ChannelWindows, assign_lineup_slots
from .bulk import allocate_ids, can_insert_directly, insert_new, upsert
from .matching import ListingIndex
from .statuses import StatusMappings

logger = logging.getLogger(__name__)

ORDER_FIELDS = (
    "platform",
    "status",
    "raw_status",
    "placed_at",
    "paid_at",
    "cancelled_at",
    "currency",
    "order_amount",
    "shipping_fee",
    "refund_amount",
    "buyer_hash",
    "province",
    "city",
    "shipping_provider",
    "live_room_id",
    "creator_handle",
    "content_type",
)
LINE_FIELDS = (
    "sku_id",
    "seller_sku",
    "product_name",
    "variation",
    "product_id",
    "quantity",
    "returned_quantity",
    "pending_return_quantity",
    "unit_price",
    "line_value",
    "refund_amount",
)


def _digest(values: list[object]) -> str:
    """A change detector over field values (not a security measure)."""
    text = "\x1f".join(["" if value is None else str(value) for value in values])
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _money_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _time_text(value: dt.datetime | None) -> str:
    return "" if value is None else str(value.timestamp())


def order_fingerprint(values: Mapping[str, Any]) -> str:
    """The change detector of an order's fields, the same whether the values come from an
    export or are read back from the database (money to the cent, times as UTC instants), so
    that an order changed after its import (an affiliate link, a status mapping) can be given
    the fingerprint its next export will have.

    ``ORDER_FIELDS`` in order, joined by U+001F, None as empty: spelt out field by field
    because this runs once per order of every import (a loop over the names cost 3x).
    """
    text = "\x1f".join(
        (
            values["platform"] or "",
            values["status"] or "",
            values["raw_status"] or "",
            _time_text(values["placed_at"]),
            _time_text(values["paid_at"]),
            _time_text(values["cancelled_at"]),
            values["currency"] or "",
            _money_text(values["order_amount"]),
            _money_text(values["shipping_fee"]),
            _money_text(values["refund_amount"]),
            values["buyer_hash"] or "",
            values["province"] or "",
            values["city"] or "",
            values["shipping_provider"] or "",
            values["live_room_id"] or "",
            values["creator_handle"] or "",
            values["content_type"] or "",
        )
    )
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def buyer_hash(channel_id: int, buyer_ref: str) -> str:
    """A keyed one-way hash: counts distinct buyers per channel without storing who they are.

    HMAC-SHA256 (RFC 2104), from the key's inner and outer SHA-256 states computed once: the
    same value as ``hmac.new(key, message, sha256)``, without building an HMAC per order.
    (``hmac.digest`` would be as quick alone, but it lets go of the GIL on every call and the
    import's parsing thread then kept the writer waiting: 30 us a call instead of 1.)
    """
    if not buyer_ref:
        return ""
    # Its own key, not SECRET_KEY: rotating the secret must not split the buyer counts.
    inner, outer = _hmac_states(str(settings.BUYER_HASH_KEY).encode())
    digest = inner.copy()
    digest.update(f"{channel_id}:{buyer_ref}".encode())
    result = outer.copy()
    result.update(digest.digest())
    return result.hexdigest()


@functools.lru_cache(maxsize=4)
def _hmac_states(key: bytes) -> tuple["hashlib._Hash", "hashlib._Hash"]:
    """SHA-256 fed with the key XOR ipad, and with the key XOR opad (RFC 2104)."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return (
        hashlib.sha256(bytes(byte ^ 0x36 for byte in key)),
        hashlib.sha256(bytes(byte ^ 0x5C for byte in key)),
    )


@dataclass
class ChunkCounts:
    rows_read: int = 0
    orders_created: int = 0
    orders_updated: int = 0
    orders_unchanged: int = 0
    lines_written: int = 0
    lines_matched: int = 0
    lines_unmatched: int = 0
    affiliate_links: int = 0
    error_count: int = 0
    # The file's orders in this chunk as they stand after it (not only those it changed).
    orders_attributed: int = 0
    orders_ambiguous: int = 0
    orders_unknown_status: int = 0
    # Orders whose values were older than what a newer export gave: newer values kept.
    orders_older: int = 0
    # Orders named by an affiliate file: attributed again at the end of the batch.
    linked_order_ids: set[int] = field(default_factory=set)
    # Sessions whose figures this chunk may have changed (old and new attributions).
    session_ids: set[int] = field(default_factory=set)
    # Order and line rows inserted or updated.
    rows_written: int = 0


@dataclass
class BatchContext:
    """What every chunk of one batch is written with."""

    batch_id: int
    channel: Channel
    listings: ListingIndex
    windows: ChannelWindows
    statuses: StatusMappings
    # The file's own time; None while it is still being learnt (nothing can be newer then).
    exported_at: dt.datetime | None
    replace_newer: bool
    # Whether the channel held orders other than this batch's when its first chunk was
    # written (learnt then): if not, a chunk's orders are taken to be new and inserted
    # without being looked up first (a unique key that says otherwise sends the chunk down the
    # lookup-and-upsert path).
    channel_had_orders: bool | None = None


def _order_status(
    lines: list[ExportLine], resolve: Callable[[str, str], str] | None = None
) -> tuple[str, str]:
    """An order's status from its lines: returns and cancellations can be per line.

    Cancelled when every line is; else unknown when a line's status is (staff decide); else
    returned when any line is; else the last line's. ``resolve(status, raw)`` applies staff's
    mappings of raw statuses first.
    """
    if len(lines) == 1:
        # Most orders: one line, whose status is the order's.
        line = lines[0]
        status = line.status if resolve is None else resolve(line.status, line.raw_status)
        return status, line.raw_status
    pairs = [
        (line.status if resolve is None else resolve(line.status, line.raw_status), line.raw_status)
        for line in lines
    ]
    if all(status == "cancelled" for status, _raw in pairs):
        return pairs[-1]
    for wanted in (Order.Status.UNKNOWN, "returned"):
        found = [pair for pair in pairs if pair[0] == wanted]
        if found:
            return found[-1]
    return [pair for pair in pairs if pair[0] != "cancelled"][-1]


def _apply_link(values: dict[str, Any], link: AffiliateLink | ExportAffiliateLink | None) -> None:
    """Fill what the order export left empty from its affiliate link: the LIVE room, the
    creator and the content type. Used for new imports and to enrich imported orders alike,
    so that both give an order the same values (and the same fingerprint)."""
    if link is None or link.content_type != "live" or values["live_room_id"]:
        return
    values["live_room_id"] = link.content_id[:64]
    values["creator_handle"] = values["creator_handle"] or link.creator_handle[:150]
    values["content_type"] = values["content_type"] or link.content_type[:32]


def _order_values(
    channel: Channel,
    lines: list[ExportLine],
    link: AffiliateLink | None,
    statuses: StatusMappings | None = None,
) -> dict[str, Any]:
    line = lines[-1]
    status, raw_status = _order_status(lines, statuses.resolve if statuses else None)
    shipping: Decimal | None = line.shipping_fee
    if shipping is None and any(item.line_shipping_fee is not None for item in lines):
        # Lazada puts the order's shipping on its first unit only.
        shipping = sum((item.line_shipping_fee or Decimal(0) for item in lines), Decimal(0))
    values = {
        "platform": line.platform if line.platform != "other" else channel.platform,
        "status": status,
        "raw_status": raw_status[:300],
        "placed_at": line.created_at,
        "paid_at": line.paid_at,
        "cancelled_at": line.cancelled_at,
        "currency": line.currency or channel.currency,
        "order_amount": line.order_amount,
        "shipping_fee": shipping,
        "refund_amount": line.order_refund_amount,
        "buyer_hash": buyer_hash(channel.pk, line.buyer_ref),
        "province": line.province[:100],
        "city": line.city[:100],
        "shipping_provider": line.shipping_provider[:100],
        "live_room_id": line.live_room_id[:64],
        "creator_handle": line.creator_handle[:150],
        "content_type": line.content_type[:32],
    }
    _apply_link(values, link)
    return values


def write_items(context: BatchContext, items: list[Item]) -> ChunkCounts:
    """Write a chunk's row errors, affiliate links, orders and lines (the caller holds the
    transaction and moves the checkpoint in it); returns what the chunk counted."""
    counts = ChunkCounts(rows_read=len(items))
    lines = [item for item in items if isinstance(item, ExportLine)]
    links = [item for item in items if isinstance(item, ExportAffiliateLink)]
    errors = [item for item in items if isinstance(item, RowError)]

    if errors:
        ImportRowError.objects.bulk_create(
            [
                ImportRowError(
                    batch_id=context.batch_id,
                    row_number=error.row_number,
                    column=error.column[:200],
                    value=str(error.value)[:500],
                    reason=error.reason[:500],
                )
                for error in errors
            ],
            ignore_conflicts=True,
        )
        counts.error_count = len(errors)
    if links:
        counts.affiliate_links = len(links)
        counts.linked_order_ids |= _write_affiliate_links(context.channel, links)
    if lines:
        _write_orders_and_lines(context, lines, counts)
    return counts


_LINK_FIELDS = ("live_room_id", "creator_handle", "content_type", "fingerprint")


def _write_affiliate_links(channel: Channel, links: list[ExportAffiliateLink]) -> set[int]:
    """Store the links, and give already imported orders their live room and creator.

    Returns every imported order the links name, so that the batch attributes them again.
    """
    latest = {(link.order_id, link.sku_id): link for link in links}
    AffiliateLink.objects.bulk_create(
        [
            AffiliateLink(
                channel=channel,
                order_external_id=order_id,
                sku_id=sku_id,
                content_type=link.content_type[:32],
                content_id=link.content_id[:64],
                creator_handle=link.creator_handle[:150],
            )
            for (order_id, sku_id), link in latest.items()
        ],
        update_conflicts=True,
        unique_fields=["channel", "order_external_id", "sku_id"],
        update_fields=["content_type", "content_id", "creator_handle"],
    )
    live_links = {link.order_id: link for link in latest.values() if link.content_type == "live"}
    named = Order.objects.filter(
        channel=channel, external_id__in={order_id for order_id, _sku in latest}
    )
    enriched = []
    for row in named.filter(external_id__in=live_links, live_room_id="").values(
        "pk", "external_id", *ORDER_FIELDS
    ):
        _apply_link(row, live_links[row["external_id"]])
        # The fingerprint the order's next export will give, now that it has its link: a
        # re-import of that export then finds the order unchanged.
        row["fingerprint"] = order_fingerprint(row)
        enriched.append(row)
    Order.objects.bulk_update(
        [Order(pk=row["pk"], **{name: row[name] for name in _LINK_FIELDS}) for row in enriched],
        list(_LINK_FIELDS),
    )
    return set(named.values_list("pk", flat=True))


def _is_empty(value: object) -> bool:
    return value is None or value == ""


def _tally(counts: ChunkCounts, *, attribution: str, session_id: int | None, status: str) -> None:
    """Count where one of the file's orders stands after the chunk (the batch's counters)."""
    if session_id:
        counts.orders_attributed += 1
    elif attribution == Order.Attribution.AMBIGUOUS:
        counts.orders_ambiguous += 1
    if status == Order.Status.UNKNOWN:
        counts.orders_unknown_status += 1


@dataclass
class _StoredOrders:
    """What the database holds of a chunk's orders before the chunk is written."""

    # The orders' live affiliate links, by order id.
    links: dict[str, AffiliateLink]
    # The imported orders, by order id: pk, fingerprint, attribution, status, export time.
    existing: dict[str, dict[str, Any]]
    # Orders a newer export than this file wrote, with their stored values: those win field
    # by field, unless staff chose to replace them. Read only in that case.
    newer: dict[str, dict[str, Any]]


@dataclass
class _OrderPlan:
    """What a chunk changes in its orders, decided before anything is written."""

    # Order rows to insert or update, as upsert() takes them.
    rows: list[dict[str, Any]] = field(default_factory=list)
    new_ids: set[str] = field(default_factory=set)
    # Unchanged orders a newer export than the one that wrote them confirms.
    confirmed_pks: list[int] = field(default_factory=list)
    # Existing orders whose attribution the new values change: {decision: [order ids]}.
    reattributed: dict[tuple[str, int | None, tuple[int, ...]], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Orders of this (older) file whose values a newer export had already given.
    older: set[str] = field(default_factory=set)


def _write_orders_and_lines(
    context: BatchContext, lines: list[ExportLine], counts: ChunkCounts
) -> None:
    """Write a chunk's orders and their lines: read what is stored, decide what changes,
    write the orders, then their lines, then count and slot what changed.

    New orders and their lines are COPYed straight into the tables. Should one exist after
    all (an export that lists an order's lines apart, another import of the channel at the
    same time), the unique keys refuse the COPY, the savepoint undoes the attempt and the
    chunk is written again with every order looked up and upserted.
    """
    by_order: dict[str, list[ExportLine]] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append(line)
    if can_insert_directly():
        if context.channel_had_orders is None:
            context.channel_had_orders = (
                Order.objects.filter(channel=context.channel)
                .exclude(last_batch_id=context.batch_id)
                .exists()
            )
        try:
            with transaction.atomic():
                attempt = ChunkCounts()
                _write_orders_once(
                    context,
                    by_order,
                    attempt,
                    direct=True,
                    assume_new=not context.channel_had_orders,
                )
        except IntegrityError:
            logger.info("Batch %s: orders met again in a later chunk, upserted", context.batch_id)
        else:
            _add_counts(counts, attempt)
            return
    attempt = ChunkCounts()
    _write_orders_once(context, by_order, attempt, direct=False, assume_new=False)
    _add_counts(counts, attempt)


def _add_counts(total: ChunkCounts, part: ChunkCounts) -> None:
    for name, value in vars(part).items():
        if isinstance(value, set):
            getattr(total, name).update(value)
        else:
            setattr(total, name, getattr(total, name) + value)


def _write_orders_once(
    context: BatchContext,
    by_order: dict[str, list[ExportLine]],
    counts: ChunkCounts,
    *,
    direct: bool,
    assume_new: bool,
) -> None:
    stored = _read_stored_orders(context, list(by_order), assume_new=assume_new)
    plan = _plan_orders(context, by_order, stored, counts)
    order_pks = _store_orders(context, plan, stored, direct=direct)
    orders_with_changed_lines = _store_lines(
        context, by_order, order_pks, stored, plan, counts, direct=direct
    )
    _count_and_slot(context, by_order, order_pks, stored, plan, orders_with_changed_lines, counts)


def _read_stored_orders(
    context: BatchContext, external_ids: list[str], *, assume_new: bool
) -> _StoredOrders:
    """What the database holds of these orders; with ``assume_new``, the orders themselves
    are not looked up (their affiliate links still are)."""
    channel = context.channel
    links = {
        link.order_external_id: link
        for link in AffiliateLink.objects.filter(
            AnyOf(F("order_external_id"), external_ids), channel=channel, content_type="live"
        ).order_by("pk")
    }
    existing: dict[str, dict[str, Any]] = {
        row["external_id"]: dict(row)
        for row in Order.objects.filter(
            AnyOf(F("external_id"), [] if assume_new else external_ids), channel=channel
        )
        .order_by()
        .values(
            "pk",
            "external_id",
            "fingerprint",
            "attribution",
            "session_id",
            "candidate_session_ids",
            "status",
            "exported_at",
        )
    }
    newer: dict[str, dict[str, Any]] = {}
    if context.exported_at is not None and not context.replace_newer:
        newer_ids = [
            external_id
            for external_id, row in existing.items()
            if row["exported_at"] is not None and row["exported_at"] > context.exported_at
        ]
        if newer_ids:
            newer = {
                row["external_id"]: row
                for row in Order.objects.filter(AnyOf(F("external_id"), newer_ids), channel=channel)
                .order_by()
                .values("external_id", *ORDER_FIELDS)
            }
    return _StoredOrders(links=links, existing=existing, newer=newer)


def _plan_orders(
    context: BatchContext,
    by_order: dict[str, list[ExportLine]],
    stored: _StoredOrders,
    counts: ChunkCounts,
) -> _OrderPlan:
    """Decide each order's values, fingerprint and attribution; skip the unchanged ones."""
    channel, windows, newer = context.channel, context.windows, stored.newer
    plan = _OrderPlan()
    now = timezone.now()
    for external_id, order_lines in by_order.items():
        values = _order_values(
            channel, order_lines, stored.links.get(external_id), context.statuses
        )
        fingerprint = order_fingerprint(values)
        previous = stored.existing.get(external_id)
        if previous is None:
            plan.new_ids.add(external_id)
        elif previous["fingerprint"] == fingerprint:
            _tally(
                counts,
                attribution=previous["attribution"],
                session_id=previous["session_id"],
                status=previous["status"],
            )
            if context.exported_at is not None and (
                previous["exported_at"] is None or previous["exported_at"] < context.exported_at
            ):
                plan.confirmed_pks.append(previous["pk"])
            continue
        elif external_id in newer:
            kept = newer[external_id]
            if any(
                not _is_empty(kept[name]) and kept[name] != values[name] for name in ORDER_FIELDS
            ):
                plan.older.add(external_id)
            # An older export only fills what the newer ones left empty.
            values = {
                name: values[name] if _is_empty(kept[name]) else kept[name] for name in ORDER_FIELDS
            }
            if all(values[name] == kept[name] for name in ORDER_FIELDS):
                _tally(
                    counts,
                    attribution=previous["attribution"],
                    session_id=previous["session_id"],
                    status=previous["status"],
                )
                continue
            fingerprint = order_fingerprint(values)
        # Attribution is decided here, from the values being written, so that new orders
        # are inserted attributed instead of being read back and updated after the import.
        attribution, session_id, candidates = windows.decide(
            placed_at=values["placed_at"],
            live_room_id=values["live_room_id"],
            creator_handle=values["creator_handle"],
            content_type=values["content_type"],
        )
        if previous is not None:
            if previous["session_id"]:
                counts.session_ids.add(previous["session_id"])
            current = (
                previous["attribution"],
                previous["session_id"],
                previous["candidate_session_ids"],
            )
            if previous["attribution"] == Order.Attribution.MANUAL:
                _tally(
                    counts,
                    attribution=previous["attribution"],
                    session_id=previous["session_id"],
                    status=values["status"],
                )
            else:
                _tally(
                    counts, attribution=attribution, session_id=session_id, status=values["status"]
                )
                if current != (attribution, session_id, candidates):
                    plan.reattributed[(attribution, session_id, tuple(candidates))].append(
                        external_id
                    )
        else:
            _tally(counts, attribution=attribution, session_id=session_id, status=values["status"])
        if session_id and (previous is None or previous["attribution"] != Order.Attribution.MANUAL):
            counts.session_ids.add(session_id)
        if previous is not None and (external_id in newer or context.exported_at is None):
            exported_at = previous["exported_at"]
        else:
            exported_at = context.exported_at
        plan.rows.append(
            {
                "channel_id": channel.pk,
                "external_id": external_id,
                **values,
                "exported_at": exported_at,
                "fingerprint": fingerprint,
                "last_batch_id": context.batch_id,
                # Used only when the row is new: an update keeps the row's attribution (a
                # staff choice survives re-imports); changes of existing ones follow below.
                "attribution": attribution,
                "candidate_session_ids": candidates,
                "session_id": session_id,
                "attributed_by_id": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    return plan


def _store_orders(
    context: BatchContext, plan: _OrderPlan, stored: _StoredOrders, *, direct: bool
) -> dict[str, int]:
    """Write the planned orders; returns every order's pk by order id."""
    order_pks = {external_id: row["pk"] for external_id, row in stored.existing.items()}
    rows = plan.rows
    if direct:
        new_rows = [row for row in rows if row["external_id"] in plan.new_ids]
        rows = [row for row in rows if row["external_id"] not in plan.new_ids]
        for row, pk in zip(new_rows, allocate_ids(Order, len(new_rows)), strict=True):
            row["id"] = pk
            order_pks[row["external_id"]] = pk
        insert_new(Order, new_rows)
    order_pks.update(
        upsert(
            Order,
            rows,
            unique_fields=["channel", "external_id"],
            update_fields=[
                *ORDER_FIELDS,
                "exported_at",
                "fingerprint",
                "last_batch_id",
                "updated_at",
            ],
            returning=["external_id", "id"],
        )
    )
    if plan.confirmed_pks:
        # Unchanged orders now confirmed by a newer export: an older one must not undo them.
        Order.objects.filter(AnyOf(F("pk"), plan.confirmed_pks)).update(
            exported_at=context.exported_at
        )
    for (attribution, session_id, candidates), ids in plan.reattributed.items():
        Order.objects.filter(AnyOf(F("pk"), [order_pks[e] for e in ids])).exclude(
            attribution=Order.Attribution.MANUAL
        ).update(
            attribution=attribution, session_id=session_id, candidate_session_ids=list(candidates)
        )
    return order_pks


def _store_lines(
    context: BatchContext,
    by_order: dict[str, list[ExportLine]],
    order_pks: dict[str, int],
    stored: _StoredOrders,
    plan: _OrderPlan,
    counts: ChunkCounts,
    *,
    direct: bool,
) -> set[str]:
    """Match and write the lines that changed; returns the ids of the orders they belong to."""
    # Lines can exist only under orders that existed before the chunk (a first import has none).
    existing_pks = [row["pk"] for row in stored.existing.values()]
    existing_lines = (
        {
            (row[0], row[1]): row[2]
            for row in OrderLine.objects.filter(AnyOf(F("order_id"), existing_pks))
            .order_by()
            .values_list("order_id", "external_line_id", "fingerprint")
        }
        if existing_pks
        else {}
    )
    changed_lines: list[dict[str, Any]] = []
    orders_with_changed_lines: set[str] = set()
    for external_id, order_lines in by_order.items():
        order_pk = order_pks[external_id]
        for line in _merge_duplicate_lines(order_lines):
            product_id = context.listings.product_for(line.sku_id, line.seller_sku, line.product_id)
            if product_id is None:
                counts.lines_unmatched += 1
            else:
                counts.lines_matched += 1
            values = {
                "sku_id": line.sku_id[:64],
                "seller_sku": line.seller_sku[:100],
                "product_name": line.product_name[:300],
                "variation": line.variation[:200],
                "product_id": product_id,
                "quantity": line.quantity,
                "returned_quantity": min(line.returned_quantity, line.quantity),
                "pending_return_quantity": min(line.pending_return_quantity, line.quantity),
                "unit_price": line.unit_price,
                "line_value": line.line_value,
                "refund_amount": line.refund_amount,
            }
            fingerprint = _digest([values[name] for name in LINE_FIELDS])
            stored_fingerprint = existing_lines.get((order_pk, line.line_id))
            if stored_fingerprint == fingerprint:
                continue
            if stored_fingerprint is not None and external_id in stored.newer:
                # A line a newer export gave: its returns and refunds stay as they are.
                plan.older.add(external_id)
                continue
            orders_with_changed_lines.add(external_id)
            changed_lines.append(
                {
                    "order_id": order_pk,
                    "external_line_id": line.line_id[:100],
                    **values,
                    "lineup_item_id": None,
                    "fingerprint": fingerprint,
                }
            )
    if direct:
        # The lines of orders new in this chunk are new too.
        new_order_pks = {order_pks[external_id] for external_id in plan.new_ids}
        insert_new(OrderLine, [line for line in changed_lines if line["order_id"] in new_order_pks])
        changed_lines_to_upsert = [
            line for line in changed_lines if line["order_id"] not in new_order_pks
        ]
    else:
        changed_lines_to_upsert = changed_lines
    upsert(
        OrderLine,
        changed_lines_to_upsert,
        unique_fields=["order", "external_line_id"],
        update_fields=[*LINE_FIELDS, "fingerprint"],
    )
    counts.lines_written += len(changed_lines)
    counts.rows_written += len(changed_lines)
    return orders_with_changed_lines


def _count_and_slot(
    context: BatchContext,
    by_order: dict[str, list[ExportLine]],
    order_pks: dict[str, int],
    stored: _StoredOrders,
    plan: _OrderPlan,
    orders_with_changed_lines: set[str],
    counts: ChunkCounts,
) -> None:
    """Count the chunk's orders as created, updated or unchanged; claim for the batch the
    orders only their lines changed; give lines their on-air slot."""
    counts.orders_older += len(plan.older)
    counts.rows_written += len(plan.rows)
    changed_order_ids = {order["external_id"] for order in plan.rows}
    for external_id in by_order:
        if external_id in plan.new_ids:
            counts.orders_created += 1
        elif external_id in changed_order_ids or external_id in orders_with_changed_lines:
            counts.orders_updated += 1
        else:
            counts.orders_unchanged += 1
    lines_only = orders_with_changed_lines - changed_order_ids
    if lines_only:
        # The order row itself did not change, but it belongs to this batch's work.
        Order.objects.filter(AnyOf(F("pk"), [order_pks[e] for e in lines_only])).update(
            last_batch_id=context.batch_id
        )
        counts.session_ids |= {
            stored.existing[e]["session_id"]
            for e in lines_only
            if stored.existing.get(e, {}).get("session_id")
        }
    if context.windows.sessions_with_air_times:
        slotted = Order.objects.filter(
            AnyOf(F("pk"), [order_pks[e] for e in changed_order_ids | orders_with_changed_lines]),
            AnyOf(F("session_id"), context.windows.sessions_with_air_times),
        ).values_list("pk", flat=True)
        assign_lineup_slots(order_ids=list(slotted))


def _merge_duplicate_lines(lines: list[ExportLine]) -> list[ExportLine]:
    """Keep the last row of a line id within one order: a later row is the fresher one."""
    latest: dict[str, ExportLine] = {}
    for line in lines:
        latest[line.line_id] = line
    return list(latest.values())
