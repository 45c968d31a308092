"""Extension points other apps fill in, so the catalogue never imports the apps above it.

Live sessions (livestreams) depend on products, not the reverse; yet a product's public page
shows its next scheduled live session. The livestreams app registers a provider in its
AppConfig.ready():

    from catalog.hooks import UpcomingSession, register_upcoming_session_provider

    def next_session(product) -> UpcomingSession | None:
        ...

    register_upcoming_session_provider(next_session)

With no provider registered the page shows nothing about sessions.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpcomingSession:
    """What the product page needs to announce a live session."""

    title: str
    starts_at: datetime.datetime
    channel: str = ""
    url: str = ""


UpcomingSessionProvider = Callable[[object], UpcomingSession | None]

_providers: list[UpcomingSessionProvider] = []


def register_upcoming_session_provider(provider: UpcomingSessionProvider) -> None:
    """Register `provider(product) -> UpcomingSession | None`; registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_upcoming_session_provider(provider: UpcomingSessionProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def next_upcoming_session(product) -> UpcomingSession | None:
    """The soonest session any provider knows for `product`, or None."""
    sessions = []
    for provider in _providers:
        try:
            session = provider(product)
        except Exception:  # A broken provider must not take the public product page down.
            logger.exception("Upcoming session provider %r failed", provider)
            continue
        if session is not None:
            sessions.append(session)
    return min(sessions, key=lambda session: session.starts_at, default=None)
