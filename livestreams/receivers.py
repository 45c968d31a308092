"""Signal receivers: thin, one selector or service call each."""

from django.apps import AppConfig
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from catalog.models import Product
from catalog.signals import UpcomingSession

from . import selectors
from .room_kinds import install_room_kind_rule


def upcoming_session_for_product(
    sender: type[Product], *, product: Product, watchable: bool = False, **kwargs: object
) -> UpcomingSession | None:
    """The product's next public live session (scheduled or live, not a rehearsal; with
    `watchable`, one that has a live-room address), for the catalogue's product page
    (catalog.signals.upcoming_session_wanted)."""
    session = selectors.next_session_for_product(product.pk, watchable=watchable)
    if session is None:
        return None
    return UpcomingSession(
        title=session.title,
        starts_at=session.scheduled_start,
        channel=str(session.channel) if session.channel_id else "",
        url=session.live_room_url,
        time_zone=session.channel.time_zone if session.channel_id else "",
        is_live=session.status == session.Status.LIVE,
    )


def room_kind_rule_after_migrate(sender: AppConfig, *, using: str, **kwargs: object) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table; put the room-kind
    triggers back (room_kinds.py) once the migration that brought them is applied."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    applied = MigrationRecorder(connection).applied_migrations()
    if ("livestreams", "0006_session_room_kind_rule") in applied:
        install_room_kind_rule(connection)
