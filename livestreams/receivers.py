"""Signal receivers: thin, one selector or service call each."""

from catalog.models import Product
from catalog.signals import UpcomingSession

from . import selectors


def upcoming_session_for_product(
    sender: type[Product], *, product: Product, **kwargs: object
) -> UpcomingSession | None:
    """The product's next public live session (scheduled or live, not a rehearsal), for the
    catalogue's product page (catalog.signals.upcoming_session_wanted)."""
    session = selectors.next_session_for_product(product.pk)
    if session is None:
        return None
    return UpcomingSession(
        title=session.title,
        starts_at=session.scheduled_start,
        channel=str(session.channel) if session.channel_id else "",
    )
