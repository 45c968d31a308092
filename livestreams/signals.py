"""Signals other apps listen to, so that this app never imports them.

`session_changed` is sent, once the transaction has committed, when a session's times, room
or status change through a conditional update (which sends no `post_save`). Receivers get
`session_id`. Orders listen to it to attribute sales again around the session.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Session

session_changed = Signal()

# Sent, once the transaction has committed, when a line-up product's on-air times change
# through a conditional update (going on or off air). Receivers get `session_id`. Orders listen
# to it to give the session's lines their on-air slot again.
lineup_changed = Signal()


def announce_session_changed(session_id: int) -> None:
    transaction.on_commit(lambda: session_changed.send(sender=Session, session_id=session_id))


def announce_lineup_changed(session_id: int) -> None:
    transaction.on_commit(lambda: lineup_changed.send(sender=Session, session_id=session_id))
