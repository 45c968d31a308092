"""What this app provides to the catalogue's extension points (catalog/hooks.py)."""

from catalog.hooks import UpcomingSession

from . import selectors


def upcoming_session_for_product(product) -> UpcomingSession | None:
    """The product's next public live session (scheduled or live, not a rehearsal)."""
    session = selectors.next_session_for_product(product.pk)
    if session is None:
        return None
    return UpcomingSession(
        title=session.title,
        starts_at=session.scheduled_start,
        channel=str(session.channel) if session.channel_id else "",
    )
