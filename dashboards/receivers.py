"""Signal receivers: thin, one service call each."""

import datetime as dt
import logging

from django.db import transaction

from livestreams.models import Session
from orders.models import Order, SessionSales

from . import services, tasks

logger = logging.getLogger(__name__)


def record_recomputed_session(
    sender: type[SessionSales], *, session: Session, sales: SessionSales, **kwargs: object
) -> None:
    services.record_session_sales(session=session, sales=sales)


def record_changed_orders(
    sender: type[Order], *, channel_id: int, first: dt.datetime, last: dt.datetime, **kwargs: object
) -> None:
    """Sent after the commit that changed the orders: the days are summed again in a task."""

    def send() -> None:
        try:
            tasks.record_channel_sales_task.delay(channel_id, first.isoformat(), last.isoformat())
        except Exception:  # The broker's client raises many kinds.
            # Nothing else records that these days are stale: sum them here rather than
            # leave the channel's figures wrong until its next import.
            logger.exception("Could not queue the channel sales of %s; summed now.", channel_id)
            services.record_channel_sales(channel_id=channel_id, first=first, last=last)

    transaction.on_commit(send)
