"""The dashboards' part of the demo: each channel's day roll-up summed now.

Imports keep it in step through a task queued after their commit; the demo sums it here as
well, so that its dashboards are right at once, with no worker running yet (`make run`).
"""

from django.db.models import Max, Min

from orders.models import Order

from . import services


def seed() -> str:
    spans = (
        Order.objects.order_by()
        .values("channel_id")
        .annotate(first=Min("placed_at"), last=Max("placed_at"))
    )
    days = sum(
        services.record_channel_sales(
            channel_id=span["channel_id"], first=span["first"], last=span["last"]
        )
        for span in spans
    )
    return f"{days} channel day figures summed"
