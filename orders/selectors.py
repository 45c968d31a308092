"""Reads of the orders app, scoped by role."""

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from core.roles import BUREAU_STAFF, OFFICIAL, role_names
from core.types import AnyUser
from livestreams.models import Session

from .models import (
    ImportBatch,
    Order,
    OrderLine,
    SessionProductSales,
    SessionSales,
    StatusMapping,
)


class UnmatchedSku(TypedDict):
    """A row of the unmatched queue: lines of one SKU that match no product."""

    order__platform: str
    sku_id: str
    seller_sku: str
    lines: int
    orders: int


class SessionSalesFigures(TypedDict):
    """A session's roll-up as the API gives it."""

    session_id: int
    currency: str
    orders: int
    units: int
    buyers: int | None
    gross_gmv: Decimal
    net_gmv: Decimal
    cancelled_orders: int
    refunded_amount: Decimal
    returns_pending: Decimal
    unknown_status_orders: int
    ambiguous_orders: int
    products: list[SessionProductSales]


def batch_summary_lines(batch: ImportBatch) -> list[str]:
    """The summary shown after an import, on the page and by import_orders."""
    lines = [
        f"{_('Batch')} #{batch.pk} {batch.original_name}: {batch.get_status_display()}"
        + (f" ({batch.format})" if batch.format else ""),
    ]
    if batch.message:
        lines.append(batch.message)
    if batch.missing_columns:
        lines.append(_("Missing columns: %s") % ", ".join(batch.missing_columns))
    counts = (
        (_("rows read"), batch.rows_read),
        (_("orders created"), batch.orders_created),
        (_("orders updated"), batch.orders_updated),
        (_("orders unchanged"), batch.orders_unchanged),
        (_("lines written"), batch.lines_written),
        (_("row errors"), batch.error_count),
        (_("matched lines"), batch.lines_matched),
        (_("unmatched lines"), batch.lines_unmatched),
        (_("affiliate links"), batch.affiliate_links),
        (_("attributed orders"), batch.orders_attributed),
        (_("ambiguous orders"), batch.orders_ambiguous),
        (_("orders with an unknown status"), batch.orders_unknown_status),
        (_("orders older than what we have"), batch.orders_older),
    )
    lines.extend(f"  {label}: {value}" for label, value in counts)
    return lines


def batches_visible_to(user: AnyUser) -> QuerySet[ImportBatch]:
    if role_names(user) & {BUREAU_STAFF, OFFICIAL}:
        return ImportBatch.objects.select_related("channel", "uploaded_by")
    return ImportBatch.objects.none()


def unmatched_skus(
    *, platform: str | None = None, base_id: int | None = None, limit: int = 200
) -> list[UnmatchedSku]:
    """The unmatched queue: one row per SKU (by SKU id, else by seller SKU), most lines first.

    Matching looks at the SKU id first, so lines sharing a SKU id are one row whatever their
    seller SKU. With ``base_id``, only the SKUs seen on that base's channels. Two grouped
    queries, whatever the number of lines.
    """
    lines = OrderLine.objects.filter(product__isnull=True)
    if base_id is not None:
        lines = lines.filter(order__channel__base_id=base_id)
    if platform:
        lines = lines.filter(order__platform=platform)
    by_sku_id = (
        lines.exclude(sku_id="")
        .values("order__platform", "sku_id")
        .annotate(
            seller_sku=Max("seller_sku"), lines=Count("pk"), orders=Count("order", distinct=True)
        )
    )
    by_seller_sku = (
        lines.filter(sku_id="")
        .exclude(seller_sku="")
        .values("order__platform", "seller_sku")
        .annotate(lines=Count("pk"), orders=Count("order", distinct=True))
    )
    rows: list[UnmatchedSku] = [
        *by_sku_id,
        *(UnmatchedSku({**row, "sku_id": ""}) for row in by_seller_sku),
    ]
    rows.sort(key=lambda row: (-row["lines"], row["sku_id"], row["seller_sku"]))
    return rows[:limit]


def ambiguous_orders(*, base_id: int | None = None) -> QuerySet[Order]:
    """The orders waiting for staff to choose their session; of one base's channels with
    ``base_id``."""
    orders = Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS)
    if base_id is not None:
        orders = orders.filter(channel__base_id=base_id)
    return orders.select_related("channel").order_by("-placed_at")


def session_sales_figures(user: AnyUser, session_id: int) -> SessionSalesFigures | None:
    """The session's roll-up for the API; zeros before any import; None when not visible.

    Queries: the session with its channel, its roll-up row, its product rows, the ambiguous
    orders: 4, whatever the size.
    """
    if not role_names(user) & {BUREAU_STAFF, OFFICIAL}:
        return None
    session = Session.objects.select_related("channel").filter(pk=session_id).first()
    if session is None:
        return None
    sales = SessionSales.objects.filter(session=session).first() or SessionSales(
        session=session, currency=session.channel.currency if session.channel else ""
    )
    products = list(session.product_sales.order_by("-gross_gmv", "product_id"))
    return {
        "session_id": session.pk,
        "currency": sales.currency,
        "orders": sales.orders,
        "units": sales.units,
        "buyers": sales.buyers,
        "gross_gmv": sales.gross_gmv,
        "net_gmv": sales.net_gmv,
        "cancelled_orders": sales.cancelled_orders,
        "refunded_amount": sales.refunded_amount,
        "returns_pending": sales.returns_pending,
        "unknown_status_orders": sales.unknown_status_orders,
        "ambiguous_orders": _ambiguous_count(session),
        "products": products,
    }


def _ambiguous_count(session: Session) -> int:
    """Orders flagged ambiguous with this session among their candidates.

    Such an order lies inside the session's window on its channel, so the (channel, placed_at)
    index bounds the rows read; the short candidate lists are checked here because JSON
    containment is not the same on SQLite and PostgreSQL.
    """
    channel = session.channel
    if channel is None:
        return 0
    window_end = session.ends_at + dt.timedelta(minutes=channel.grace_minutes)
    candidates = Order.objects.filter(
        channel=channel,
        attribution=Order.Attribution.AMBIGUOUS,
        placed_at__gte=session.starts_at,
        placed_at__lt=window_end,
    ).values_list("candidate_session_ids", flat=True)
    return sum(1 for ids in candidates if session.pk in ids)


def sessions_by_id(session_ids: set[int]) -> dict[int, Session]:
    return Session.objects.select_related("room").in_bulk(list(session_ids))


def status_mappings() -> QuerySet[StatusMapping]:
    """Staff's readings of raw statuses, per platform, with who made them."""
    return StatusMapping.objects.select_related("created_by").order_by("platform", "raw_status")


def unknown_status_orders_count() -> int:
    """Orders waiting for staff to say what their raw status means."""
    return Order.objects.filter(status=Order.Status.UNKNOWN).count()
