"""Rules the read side (selectors) and the write side (services) share: the bins of a
session's order chart, and when a session's figures become final. A leaf module that imports
neither, so that neither imports the other."""

import datetime as dt

from django.utils import timezone

from livestreams.models import Session

from .models import SessionSalesFact

# Orders are counted in bins of this many minutes on a session's page.
BIN_MINUTES = 5


def bin_start(moment: dt.datetime) -> dt.datetime:
    """The start of the five-minute bin (in UTC) that holds this moment."""
    moment = moment.astimezone(dt.UTC)
    return moment.replace(
        minute=moment.minute - moment.minute % BIN_MINUTES, second=0, microsecond=0
    )


def final_since(
    session: Session, fact: SessionSalesFact | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the session's figures became final, or None while they are provisional.

    DESIGN.md: provisional until the session has ended and its last import (the last one
    that wrote one of its orders, not the last recompute) is older than the channel's
    settlement delay; then final. Once recorded as final (`final_at`) they stay final: a later
    change is recorded as a change after final. A session no import ever touched stays
    provisional: no export has spoken for it yet.
    """
    if fact is None or session.status != Session.Status.ENDED:
        return None
    if fact.final_at is not None:
        return fact.final_at
    if fact.last_import_at is None:
        return None
    channel = session.channel
    if channel is None:
        # Never so: only a session on a channel has sales figures (a fact).
        return None
    final_at = fact.last_import_at + dt.timedelta(days=channel.settlement_delay_days)
    return final_at if final_at <= (now or timezone.now()) else None


def is_final(session: Session, now: dt.datetime | None = None) -> bool:
    return final_since(session, getattr(session, "sales_fact", None), now) is not None
