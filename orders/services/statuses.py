"""Staff's mapping of raw statuses the platform tables do not know (issue: no order lost).

An order whose status no table knows is imported with status ``unknown`` and its raw text;
staff map that raw text to a normalised status once per platform, which fixes every such
order already imported and every later import.
"""

from typing import TYPE_CHECKING, TypedDict, cast

from django.db import transaction
from django.db.models import Count

from core.types import AnyUser

from .. import tasks
from ..importers.values import header_key
from ..models import Order, StatusMapping
from .sales import announce_orders_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class UnknownStatus(TypedDict):
    """A raw status no table knows, and how many orders of its platform wait with it."""

    platform: str
    raw_status: str
    orders: int


class StatusMappings:
    """A platform's saved mappings in memory, for the import of one batch."""

    def __init__(self, platform: str) -> None:
        self.by_key = dict(
            StatusMapping.objects.filter(platform=platform).values_list("raw_status", "status")
        )

    def resolve(self, status: str, raw_status: str) -> str:
        """Return ``status``, or staff's reading of ``raw_status`` when ``status`` is unknown."""
        if status != Order.Status.UNKNOWN or not self.by_key:
            return status
        return self.by_key.get(header_key(raw_status), status)


@transaction.atomic
def map_raw_status(
    *, platform: str, raw_status: str, status: str, mapped_by: AnyUser | None = None
) -> int:
    """Record that ``raw_status`` means ``status`` on ``platform``; update the orders waiting
    with that status and roll their sessions up again. Returns how many orders changed."""
    if status not in Order.Status.values or status == Order.Status.UNKNOWN:
        raise ValueError(f"{status!r} is not a status an order can be mapped to.")
    key = header_key(raw_status)
    if not key:
        raise ValueError("The raw status is empty.")
    # Staff are signed in (the pages and the API require it): the user is a User row.
    created_by = cast("User | None", mapped_by)
    StatusMapping.objects.update_or_create(
        platform=platform, raw_status=key, defaults={"status": status, "created_by": created_by}
    )
    waiting = Order.objects.filter(platform=platform, status=Order.Status.UNKNOWN)
    # Raw texts are compared as the importers compare them (NFC, spaces, case), in Python:
    # the few distinct raw texts of unknown orders are read, not every order.
    raws = [
        raw
        for raw in waiting.values_list("raw_status", flat=True).distinct()
        if header_key(raw) == key
    ]
    orders = waiting.filter(raw_status__in=raws)
    session_ids = sorted(
        set(orders.filter(session__isnull=False).values_list("session_id", flat=True))
    )
    announce_orders_changed(orders)
    # The fingerprint is left as it is: the next import of the same file resolves the same
    # status through this mapping, finds different values and writes them once.
    changed = orders.update(status=status)
    if session_ids:
        transaction.on_commit(lambda: tasks.recompute_sales_task.delay(session_ids), robust=True)
    return changed


def unknown_statuses() -> list[UnknownStatus]:
    """Raw statuses waiting for staff, per platform, with how many orders have each."""
    return list(
        Order.objects.filter(status=Order.Status.UNKNOWN)
        .values("platform", "raw_status")
        .annotate(orders=Count("pk"))
        .order_by("platform", "-orders", "raw_status")
    )
