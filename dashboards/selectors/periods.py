"""The period a dashboard opens on when the link names none."""

import datetime as dt

from django.db.models import Max

from ..models import ChannelDaySales
from .common import Period, local_today


def default_period(*, today: dt.date | None = None) -> tuple[Period, bool]:
    """This month; or, when it has no sales yet, the most recent month that has (a new
    month's first days, or a demo of last month's sessions). Returns the period and whether
    it is such an earlier month, for the page to say so. One query."""
    month = Period.month_of(today or local_today())
    latest = (
        ChannelDaySales.objects.filter(day__lte=month.end, orders__gt=0)
        .aggregate(day=Max("day"))
        .get("day")
    )
    if latest is None or latest >= month.start:
        return month, False
    return Period.month_of(latest), True
