"""Signal receivers: thin, one service call each."""

from core.services import enqueue_on_commit

from . import services, tasks


def record_recomputed_session(sender, *, session, sales, **kwargs) -> None:
    services.record_session_sales(session=session, sales=sales)


def record_changed_orders(sender, *, channel_id, first, last, **kwargs) -> None:
    # Sent after the commit that changed the orders; the days are summed again in a task.
    enqueue_on_commit(
        tasks.record_channel_sales_task, channel_id, first.isoformat(), last.isoformat()
    )
