"""Matching order lines to catalogue products through platform listings."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.db import transaction

from catalog.models import Channel, PlatformListing, Product
from core.audit import acting_as
from core.types import AnyUser

from .. import tasks
from ..models import Order, OrderLine
from .attribution import assign_lineup_slots

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class _SkuLookup(TypedDict, total=False):
    """How a listing and its lines are found: by SKU id, else by seller SKU."""

    sku_id: str
    seller_sku: str


@dataclass
class ListingIndex:
    """The platform's listings in memory: SKU id first, then seller SKU (DESIGN.md)."""

    by_sku_id: dict[str, int]
    by_seller_sku: dict[str, int]
    # Douyin and Shopee give no SKU id; a listing's platform product id is the last resort.
    by_product_id: dict[str, int]

    @classmethod
    def for_platform(cls, platform: str) -> "ListingIndex":
        by_sku_id: dict[str, int] = {}
        by_seller_sku: dict[str, int] = {}
        by_product_id: dict[str, int] = {}
        for sku_id, seller_sku, external_product_id, product_id in PlatformListing.objects.filter(
            platform=platform
        ).values_list("sku_id", "seller_sku", "external_product_id", "product_id"):
            if sku_id:
                by_sku_id[sku_id] = product_id
            if seller_sku:
                by_seller_sku[seller_sku] = product_id
            if external_product_id:
                # Several listings (variants) of one platform product lead to one product.
                by_product_id.setdefault(external_product_id, product_id)
        return cls(by_sku_id, by_seller_sku, by_product_id)

    def product_for(
        self, sku_id: str, seller_sku: str, platform_product_id: str = ""
    ) -> int | None:
        if sku_id and sku_id in self.by_sku_id:
            return self.by_sku_id[sku_id]
        if seller_sku and seller_sku in self.by_seller_sku:
            return self.by_seller_sku[seller_sku]
        if platform_product_id:
            return self.by_product_id.get(platform_product_id)
        return None


@transaction.atomic
def map_sku_to_product(
    *,
    platform: str,
    product: Product,
    sku_id: str = "",
    seller_sku: str = "",
    channel: Channel | None = None,
    actor: AnyUser | None = None,
) -> int:
    """Record the listing once; every past line with that SKU is matched now, future ones on
    import. Returns how many past lines were matched; their sessions' sales are recomputed.
    `actor` (the staff member mapping) is kept on the listing and in its audit trail."""
    if not sku_id and not seller_sku:
        raise ValueError("A SKU id or a seller SKU is needed.")
    lookup: _SkuLookup = {"sku_id": sku_id} if sku_id else {"seller_sku": seller_sku}
    # Staff are signed in (the pages and the API require it): the actor is a User row.
    mapped_by = cast("User | None", actor)
    # The API's token users are not seen by the audit middleware: name the actor here.
    with acting_as(actor):
        PlatformListing.objects.update_or_create(
            platform=platform,
            **lookup,
            defaults={
                "product": product,
                "channel": channel,
                "mapped_by": mapped_by,
                **({"seller_sku": seller_sku} if sku_id and seller_sku else {}),
            },
        )
    lines = OrderLine.objects.filter(product__isnull=True, order__platform=platform, **lookup)
    in_sessions = dict(
        Order.objects.filter(lines__in=lines, session__isnull=False).values_list("pk", "session_id")
    )
    session_ids = set(in_sessions.values())
    matched = lines.update(product=product)
    # A line with no product had no slot; with one it may have sold while it was on air.
    assign_lineup_slots(order_ids=sorted(in_sessions))
    if session_ids:
        ids = sorted(session_ids)
        transaction.on_commit(lambda: tasks.recompute_sales_task.delay(ids), robust=True)
    return matched
