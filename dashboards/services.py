"""Writes: keeping the dashboards' roll-ups in step with the sessions' sales."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, DateTimeField, Func, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Channel
from core.selectors import signed_in_user
from core.types import AnyUser
from livestreams.models import Session
from orders.models import Order, OrderLine, SessionProductSales, SessionSales
from orders.services.sales import channel_sales_by_day
from orders.services.slots import compute_slot_figures

from .figures import BIN_MINUTES, bin_start, final_since
from .models import (
    ChannelDaySales,
    DeliveryFact,
    FinalFigureChange,
    LineupSlotFact,
    ProductSalesFact,
    ProgrammeTarget,
    ReportedSessionTotals,
    SessionBuyer,
    SessionOrderBin,
    SessionSalesFact,
)
from .money import to_cents

BUYER_BATCH = 5000


def session_day(session: Session) -> date:
    """The day a session counts for: its start, in its channel's time zone."""
    zone = session.channel.time_zone if session.channel else settings.TIME_ZONE
    # Session.starts_at is an untyped property of the model.
    starts_at: dt.datetime = session.starts_at
    return starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date()


@transaction.atomic
def record_session_sales(*, session: Session, sales: SessionSales) -> None:
    """Rewrite the session's rows in the dashboards' roll-ups from its fresh SessionSales.

    Incremental: only this session's rows are touched. Reads the session's per-product
    roll-up and its distinct buyers, never its order lines.
    """
    ProductSalesFact.objects.filter(session=session).delete()
    SessionBuyer.objects.filter(session=session).delete()
    SessionOrderBin.objects.filter(session=session).delete()
    DeliveryFact.objects.filter(session=session).delete()
    LineupSlotFact.objects.filter(session=session).delete()
    if session.channel is None:
        # No channel, no currency: nothing can be sold (trainings, meetings).
        SessionSalesFact.objects.filter(session=session).delete()
        return
    day = session_day(session)
    channel = session.channel
    common = {
        "day": day,
        "channel": channel,
        "platform": channel.platform,
        "currency": sales.currency,
    }
    figures: dict[str, int | None] = {
        "orders": sales.orders,
        "units": sales.units,
        "buyers": sales.buyers,
        "cancelled_orders": sales.cancelled_orders,
        "gross_gmv_cents": to_cents(sales.gross_gmv),
        "net_gmv_cents": to_cents(sales.net_gmv),
        "refunded_cents": to_cents(sales.refunded_amount),
    }
    previous = SessionSalesFact.objects.filter(session=session).first()
    final_at, changed_at = _record_change_after_final(session, previous, figures, sales)
    SessionSalesFact.objects.update_or_create(
        session=session,
        defaults={
            **common,
            **figures,
            "orders_without_buyer": sales.orders_without_buyer,
            "unmatched_lines": sales.unmatched_lines,
            "computed_at": sales.computed_at,
            "last_import_at": sales.last_import_at,
            "final_at": final_at,
            "changed_after_final_at": changed_at,
        },
    )
    product_rows = SessionProductSales.objects.filter(session=session).values(
        "product_id",
        "cooperative_id",
        "product__category_id",
        "orders",
        "units",
        "gross_gmv",
        "net_gmv",
    )
    ProductSalesFact.objects.bulk_create(
        ProductSalesFact(
            session=session,
            **common,
            product_id=row["product_id"],
            cooperative_id=row["cooperative_id"],
            category_id=row["product__category_id"],
            orders=row["orders"],
            units=row["units"],
            gross_gmv_cents=to_cents(row["gross_gmv"]),
            net_gmv_cents=to_cents(row["net_gmv"]),
        )
        for row in product_rows
    )
    hashes = (
        Order.objects.filter(session=session)
        .exclude(buyer_hash="")
        .values_list("buyer_hash", flat=True)
        .distinct()
        .order_by("buyer_hash")
    )
    _record_order_bins(session)
    _record_deliveries(session, day)
    _record_lineup_slots(session, sales.currency)
    # In batches: a megalive has tens of thousands of buyers, and bulk_create holds a list.
    batch: list[SessionBuyer] = []
    for value in hashes.iterator(chunk_size=BUYER_BATCH):
        batch.append(
            SessionBuyer(session=session, day=day, currency=sales.currency, buyer_hash=value)
        )
        if len(batch) == BUYER_BATCH:
            SessionBuyer.objects.bulk_create(batch)
            batch = []
    SessionBuyer.objects.bulk_create(batch)


def _record_change_after_final(
    session: Session,
    previous: SessionSalesFact | None,
    figures: dict[str, int | None],
    sales: SessionSales,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Whether the figures were final before this recompute; if so, and they changed, a
    FinalFigureChange row. Returns the fact's `final_at` and `changed_after_final_at`."""
    final_at = final_since(session, previous)
    if final_at is None or previous is None:  # No previous fact: never final.
        return None, None
    changed_at = previous.changed_after_final_at
    before = {name: getattr(previous, name) for name in figures}
    if before != figures:
        changed_at = timezone.now()
        FinalFigureChange.objects.create(
            session=session,
            recorded_at=changed_at,
            final_at=final_at,
            last_import_at=sales.last_import_at,
            currency=sales.currency,
            **figures,
            **{f"previous_{name}": value for name, value in before.items()},
        )
    return final_at, changed_at


class _FiveMinuteBin(Func):
    """``bin_start`` in SQL (PostgreSQL): the UTC five-minute bin of a moment."""

    template = (
        "to_timestamp(floor(extract(epoch FROM %(expressions)s) / {seconds}) * {seconds})".format(
            seconds=BIN_MINUTES * 60
        )
    )
    output_field = DateTimeField()


def _record_order_bins(session: Session) -> None:
    orders = Order.objects.filter(session=session)
    if connection.vendor == "postgresql":
        # Binned and summed by the database (exact numeric sums): a megalive's 134,000 orders
        # cost 1.2 s read one by one into Python, a tenth of that grouped in SQL.
        rows = (
            orders.annotate(bin=_FiveMinuteBin("placed_at"))
            .values("bin")
            .annotate(count=Count("pk", distinct=True), value=Sum("lines__line_value"))
            .order_by()
        )
        SessionOrderBin.objects.bulk_create(
            SessionOrderBin(
                session=session,
                bin_start=row["bin"],
                orders=row["count"],
                gross_gmv_cents=to_cents(row["value"]),
            )
            for row in rows
        )
        return
    # Elsewhere (SQLite sums decimals in floating point): one row per order, its value summed
    # per order, folded into bins here.
    bins: dict[dt.datetime, list[int]] = defaultdict(lambda: [0, 0])
    per_order = orders.values_list("pk", "placed_at").annotate(value=Sum("lines__line_value"))
    for _pk, placed_at, value in per_order.order_by().iterator(chunk_size=BUYER_BATCH):
        entry = bins[bin_start(placed_at)]
        entry[0] += 1
        entry[1] += to_cents(value)
    SessionOrderBin.objects.bulk_create(
        SessionOrderBin(session=session, bin_start=start, orders=count, gross_gmv_cents=cents)
        for start, (count, cents) in bins.items()
    )


def _record_deliveries(session: Session, day: date) -> None:
    # Two SQL aggregates over this session's orders and lines: whole orders per provider and
    # status, then orders and units per provider, product and status.
    per_order = (
        Order.objects.filter(session=session)
        .values("shipping_provider", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_product = (
        OrderLine.objects.filter(order__session=session)
        .values("order__shipping_provider", "product_id", "order__status")
        .annotate(count=Count("order_id", distinct=True), quantity=Sum("quantity"))
        .order_by()
    )
    DeliveryFact.objects.bulk_create(
        [
            *(
                DeliveryFact(
                    session=session,
                    day=day,
                    shipping_provider=row["shipping_provider"],
                    is_order_total=True,
                    status=row["status"],
                    orders=row["count"],
                )
                for row in per_order
            ),
            *(
                DeliveryFact(
                    session=session,
                    day=day,
                    shipping_provider=row["order__shipping_provider"],
                    product_id=row["product_id"],
                    status=row["order__status"],
                    orders=row["count"],
                    units=row["quantity"] or 0,
                )
                for row in per_product
            ),
        ]
    )


def _record_lineup_slots(session: Session, currency: str) -> None:
    """Each line-up product's sales inside its on-air slot and outside it (nothing when the
    session has no line-up: one query)."""
    LineupSlotFact.objects.bulk_create(
        LineupSlotFact(
            session=session,
            lineup_item_id=row["lineup_item_id"],
            product_id=row["product_id"],
            currency=currency,
            on_air_orders=row["on_air"]["orders"],
            on_air_units=row["on_air"]["units"],
            on_air_gross_gmv_cents=to_cents(row["on_air"]["gross_gmv"]),
            on_air_net_gmv_cents=to_cents(row["on_air"]["net_gmv"]),
            outside_orders=row["outside"]["orders"],
            outside_units=row["outside"]["units"],
            outside_gross_gmv_cents=to_cents(row["outside"]["gross_gmv"]),
            outside_net_gmv_cents=to_cents(row["outside"]["net_gmv"]),
        )
        for row in compute_slot_figures(session)
    )


def rebuild_all_rollups() -> int:
    """Fill the roll-ups from every session's SessionSales (after install, or to repair).

    Idempotent: each session's rows are rewritten as the recompute task would.
    """
    done = 0
    for sales in SessionSales.objects.select_related("session__channel").iterator(chunk_size=500):
        record_session_sales(session=sales.session, sales=sales)
        done += 1
    # And every channel's daily sales, from all its orders.
    spans = Order.objects.values("channel_id").annotate(
        first=Min("placed_at"), last=Max("placed_at")
    )
    for span in spans.order_by("channel_id"):
        record_channel_sales(**span)
    return done


@transaction.atomic
def save_programme_target(*, target: ProgrammeTarget, set_by: AnyUser) -> ProgrammeTarget:
    """Create or change a monthly programme target; validated against the model's rules and
    its uniqueness (one target per group, month and currency) before it is written."""
    target.set_by = signed_in_user(set_by)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def delete_programme_target(*, target: ProgrammeTarget) -> None:
    target.delete()


# The first key of the advisory lock that serialises rewrites of one channel's day rows, apart
# from the import runners' (orders.services.locks).
_CHANNEL_SALES_LOCK = 0x0DA5


def _lock_channel_sales(channel_id: int) -> None:
    """Wait for any other rewrite of the channel's day rows to commit (PostgreSQL; SQLite runs
    one writer at a time anyway). Held until the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_CHANNEL_SALES_LOCK, channel_id]
            )


def record_channel_sales(*, channel_id: int, first: dt.datetime, last: dt.datetime) -> int:
    """Rewrite the channel's day rows for every local day from ``first`` to ``last`` (times of
    the orders that changed), from all its orders of those days. Idempotent; returns the rows
    written."""
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return 0
    zone = zoneinfo.ZoneInfo(channel.time_zone)
    first_day, last_day = first.astimezone(zone).date(), last.astimezone(zone).date()
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    with transaction.atomic():
        # Two rewrites of overlapping days (an import finishing as staff decide ambiguous
        # orders) would otherwise both delete, then both insert the same (channel, day, part)
        # and the second would fail on the unique constraint, leaving the days stale. Locked
        # first and read after, the later rewrite sees every change committed before it.
        _lock_channel_sales(channel.pk)
        ChannelDaySales.objects.filter(channel=channel, day__range=(first_day, last_day)).delete()
        figures = channel_sales_by_day(channel=channel, start=start, end=end)
        ChannelDaySales.objects.bulk_create(
            ChannelDaySales(
                channel=channel,
                day=day,
                part=part,
                currency=channel.currency,
                orders=row["orders"],
                units=row["units"],
                cancelled_orders=row["cancelled_orders"],
                gross_gmv_cents=to_cents(row["gross_gmv"]),
                net_gmv_cents=to_cents(row["net_gmv"]),
            )
            for (day, part), row in figures.items()
        )
    return len(figures)


# The figures a platform's own dashboard reports for a session; each may be unknown (None).
REPORTED_FIGURES = ("orders", "units", "gross_gmv")


@transaction.atomic
def save_reported_totals(
    *, session: Session, **figures: int | Decimal | None
) -> ReportedSessionTotals:
    """Record the totals the platform reports for a session (#13). Only the figures given
    change; None means the platform does not report it (unknown, never zero), so the session
    page shows "not reported" and compares nothing for it."""
    unknown = set(figures) - set(REPORTED_FIGURES)
    if unknown:
        raise ValueError(f"Unknown figures {sorted(unknown)}.")
    if session.channel_id is None:
        raise ValidationError(
            _("A session without a channel sells nothing: it has no platform totals.")
        )
    totals, _created = ReportedSessionTotals.objects.select_for_update().get_or_create(
        session=session
    )
    for name, value in figures.items():
        setattr(totals, name, value)
    # A figure left empty is unknown: the model's "cannot be blank" does not apply to it,
    # while the ranges and the constraint (no negative GMV) do to the others.
    totals.full_clean(exclude=[name for name in REPORTED_FIGURES if getattr(totals, name) is None])
    totals.save()
    return totals
