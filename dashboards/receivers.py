"""Signal receivers: thin, one service call each."""

from . import services


def record_recomputed_session(sender, *, session, sales, **kwargs) -> None:
    services.record_session_sales(session=session, sales=sales)
