"""A session's line-up: the products shown, their planned minutes, and when each was on air."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Product

from ..models import (
    LineupItem,
    Session,
)
from ..signals import announce_lineup_changed


@dataclass(frozen=True)
class PlannedItem:
    product: Product
    planned_minutes: int
    promo_price: Decimal | None = None
    allocated_stock: int | None = None
    talking_points: str = ""


def lineup_warnings(*, planned_minutes: Iterable[tuple[str, int]]) -> list[str]:
    """Products planned longer than the per-product cap: allowed, but worth a second look."""
    cap = settings.LINEUP_PRODUCT_CAP_MINUTES
    return [
        gettext("%(product)s is planned for %(minutes)s minutes, over the %(cap)s-minute cap.")
        % {"product": name, "minutes": minutes, "cap": cap}
        for name, minutes in planned_minutes
        if minutes > cap
    ]


def check_lineup_fits(*, session_minutes: int, planned_minutes: Iterable[int]) -> None:
    """Refuse a line-up whose minutes add up to more than the session lasts."""
    total = sum(planned_minutes)
    if total > session_minutes:
        raise ValidationError(
            _("The line-up needs %(total)s minutes but the session lasts %(length)s minutes."),
            params={"total": total, "length": session_minutes},
            code="lineup_too_long",
        )


@transaction.atomic
def set_lineup(*, session: Session, items: Sequence[PlannedItem]) -> list[str]:
    """Replace the session's line-up in this order; returns the cap warnings.

    Air times already recorded for a product that stays in the line-up are kept.
    """
    products = [item.product.pk for item in items]
    if len(set(products)) != len(products):
        raise ValidationError(
            _("A product appears twice in the line-up; give it more minutes instead."),
            code="duplicate",
        )
    check_lineup_fits(
        session_minutes=session.scheduled_minutes,
        planned_minutes=[item.planned_minutes for item in items],
    )
    existing = {item.product_id: item for item in session.lineup.all()}
    keep = {item.product.pk for item in items}
    session.lineup.exclude(product_id__in=keep).delete()
    # Positions are unique per session: park the kept rows out of the way first.
    session.lineup.update(position=F("position") + 10_000)
    for position, planned in enumerate(items, start=1):
        row = existing.get(planned.product.pk) or LineupItem(
            session=session, product=planned.product
        )
        row.position = position
        row.planned_minutes = planned.planned_minutes
        row.promo_price = planned.promo_price
        row.allocated_stock = planned.allocated_stock
        row.talking_points = planned.talking_points
        row.save()
    return lineup_warnings(
        planned_minutes=[(item.product.name, item.planned_minutes) for item in items]
    )


@transaction.atomic
def mark_on_air(*, item: LineupItem, at: datetime.datetime | None = None) -> bool:
    """The product goes on air; whatever else was on air in the session goes off.

    Returns False when the product had already been on air (a double tap changes nothing).
    """
    at = at or timezone.now()
    LineupItem.objects.filter(
        session_id=item.session_id, on_air_started_at__isnull=False, on_air_ended_at__isnull=True
    ).exclude(pk=item.pk).update(on_air_ended_at=at)
    changed = LineupItem.objects.filter(pk=item.pk, on_air_started_at__isnull=True).update(
        on_air_started_at=at
    )
    if changed == 1:
        item.on_air_started_at = at
        announce_lineup_changed(item.session_id)
    return changed == 1


@transaction.atomic
def mark_off_air(*, item: LineupItem, at: datetime.datetime | None = None) -> bool:
    """The product goes off air; False if it was not on air."""
    at = at or timezone.now()
    changed = LineupItem.objects.filter(
        pk=item.pk, on_air_started_at__isnull=False, on_air_ended_at__isnull=True
    ).update(on_air_ended_at=at)
    if changed == 1:
        item.on_air_ended_at = at
        announce_lineup_changed(item.session_id)
    return changed == 1
