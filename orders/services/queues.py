"""Staff's queues in bulk: ambiguous orders decided many at a time, SKUs mapped many at a time.

The pages and the API call these, so that a script does exactly what a person does.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from catalog.models import Channel, Product
from core.audit import log_bulk_update
from core.types import AnyUser
from livestreams.models import Session

from .. import tasks
from ..models import Order
from .attribution import assign_lineup_slots
from .matching import map_sku_to_product
from .sales import announce_orders_changed


class QueueDecisionRefused(ValueError):
    """A bulk decision that cannot apply to every order it names; nothing was changed."""


@transaction.atomic
def choose_session_for_ambiguous_orders(
    *,
    session: Session | None,
    chosen_by: AnyUser,
    order_ids: Iterable[int] | None = None,
    channel: Channel | None = None,
    placed_from: dt.datetime | None = None,
    placed_until: dt.datetime | None = None,
) -> int:
    """Staff's choice for many ambiguous orders: those named, or all of one channel placed in
    [placed_from, placed_until). ``session`` must be a candidate of every one of them; None is
    "none of them". Like a single choice it wins over every rule and survives re-imports.
    Returns how many orders were decided; the chosen session is rolled up again after commit.
    """
    orders = Order.objects.filter(attribution=Order.Attribution.AMBIGUOUS)
    if order_ids is not None:
        orders = orders.filter(pk__in=list(order_ids))
    elif channel is not None and placed_from is not None and placed_until is not None:
        if placed_until <= placed_from:
            raise QueueDecisionRefused("The end of the range must be after its start.")
        orders = orders.filter(
            channel=channel, placed_at__gte=placed_from, placed_at__lt=placed_until
        )
    else:
        raise QueueDecisionRefused("Name the orders, or a channel and a time range.")
    # Locked: an import or another person deciding the same orders waits for this choice.
    rows = list(
        orders.select_for_update().values_list(
            "pk", "candidate_session_ids", "external_id", "session_id", "attributed_by_id"
        )
    )
    if session is not None:
        outside = [pk for pk, candidates, *_rest in rows if session.pk not in candidates]
        if outside:
            raise QueueDecisionRefused(
                f"{session} is not a candidate of {len(outside)} of the {len(rows)} orders."
            )
    ids = [pk for pk, *_rest in rows]
    if not ids:
        return 0
    attribution = [Order.Attribution.AMBIGUOUS.value, Order.Attribution.MANUAL.value]
    # QuerySet.update() is invisible to auditlog: the decision is logged here, one entry per
    # order, as a single save would have been (core.audit).
    log_bulk_update(
        Order,
        {
            pk: (
                external_id,
                {
                    "session": [str(old_session), str(session.pk if session else None)],
                    "attribution": attribution,
                    "attributed_by": [str(old_by), str(getattr(chosen_by, "pk", None))],
                },
            )
            for pk, _candidates, external_id, old_session, old_by in rows
        },
        actor=chosen_by,
    )
    Order.objects.filter(pk__in=ids).update(
        session=session,
        attribution=Order.Attribution.MANUAL,
        candidate_session_ids=[],
        attributed_by=chosen_by,
        updated_at=timezone.now(),
    )
    assign_lineup_slots(order_ids=ids)
    announce_orders_changed(Order.objects.filter(pk__in=ids))
    if session is not None:
        chosen_ids = [session.pk]
        transaction.on_commit(lambda: tasks.recompute_sales_task.delay(chosen_ids), robust=True)
    return len(ids)


@transaction.atomic
def map_skus_to_product(
    *,
    platform: str,
    product: Product,
    skus: Iterable[tuple[str, str]],
    channel: Channel | None = None,
    actor: AnyUser | None = None,
) -> int:
    """Map several (SKU id, seller SKU) pairs to one product at once, all or none. Returns how
    many past lines were matched; their sessions are rolled up again after commit. `actor`
    (the staff member mapping) is recorded on each listing and in its audit trail."""
    return sum(
        map_sku_to_product(
            platform=platform,
            product=product,
            sku_id=sku_id,
            seller_sku=seller_sku,
            channel=channel,
            actor=actor,
        )
        for sku_id, seller_sku in skus
    )
