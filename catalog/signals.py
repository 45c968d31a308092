"""Signals the catalogue sends, so that it never imports the apps above it.

Live sessions (livestreams) depend on products, not the reverse; yet a product's public page
shows its next scheduled live session. The page sends `upcoming_session_wanted` with the
`product` (and `watchable`: only sessions with an address to watch them at); each receiver
answers with an `UpcomingSession` or None, and the soonest answer is shown. The livestreams
app connects its receiver in its AppConfig.ready(). With no receiver connected the page shows
nothing about sessions.
"""

import datetime
import logging
from dataclasses import dataclass

from django.dispatch import Signal

from .models import Product

logger = logging.getLogger(__name__)

upcoming_session_wanted = Signal()


@dataclass(frozen=True)
class UpcomingSession:
    """What the product page needs to announce a live session."""

    title: str
    starts_at: datetime.datetime
    channel: str = ""
    # Where to watch it (the live room on the platform); empty when not known yet.
    url: str = ""
    # The zone its audience reads times in (the channel's); empty for the site's.
    time_zone: str = ""
    is_live: bool = False


def next_upcoming_session(product: Product, *, watchable: bool = False) -> UpcomingSession | None:
    """The soonest session any receiver knows for `product` (with `watchable`, the soonest
    that can be watched online), or None."""
    sessions = []
    for receiver, answer in upcoming_session_wanted.send_robust(
        sender=Product, product=product, watchable=watchable
    ):
        if isinstance(answer, Exception):
            # A broken receiver must not take the public product page down.
            logger.error("Upcoming session receiver %r failed", receiver, exc_info=answer)
        elif answer is not None:
            sessions.append(answer)
    return min(sessions, key=lambda session: session.starts_at, default=None)
