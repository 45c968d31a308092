"""When a session changes (times, status, channel, live id, hosts), its sales are attributed
again: orders imported earlier must follow what staff record afterwards, such as the actual
end of a live or a cancellation."""

from django.db import transaction

from livestreams.models import Session, SessionHost

from . import tasks
from .models import Order


def _reattribute(session_id: int | None) -> None:
    if session_id:
        # A closure, not functools.partial: Django names the callback (its __qualname__) when
        # a robust one fails, as it does while the broker is down. session_id is never rebound.
        transaction.on_commit(lambda: tasks.reattribute_session_task.delay(session_id), robust=True)


def session_saved(sender: type[Session], instance: Session, **kwargs: object) -> None:
    _reattribute(instance.pk)


def session_deleting(sender: type[Session], instance: Session, **kwargs: object) -> None:
    """Before a session is deleted (its orders are then detached by SET NULL), note which staff
    choices named it: those, and the orders the rules gave it, are attributed again after the
    deletion commits (another session's window may hold them, or an ambiguity may now have one
    candidate). Every other staff choice, "none of them" included, stands."""
    if instance.channel_id:
        chosen = list(
            Order.objects.filter(
                session_id=instance.pk, attribution=Order.Attribution.MANUAL
            ).values_list("pk", flat=True)
        )
        # Read now: the deletion sets instance.pk to None before the commit.
        channel_id, session_id = instance.channel_id, instance.pk
        transaction.on_commit(
            lambda: tasks.reattribute_after_session_deleted_task.delay(
                channel_id, session_id, chosen
            ),
            robust=True,
        )


def session_host_changed(
    sender: type[SessionHost], instance: SessionHost, **kwargs: object
) -> None:
    _reattribute(instance.session_id)


def session_changed(sender: type[Session], session_id: int, **kwargs: object) -> None:
    _reattribute(session_id)


def lineup_changed(sender: type[Session], session_id: int, **kwargs: object) -> None:
    """A product went on or off air: the session's lines are slotted again (sent after the
    commit, so the task reads the new times; robust, as for a session's change, so that a
    broker down does not fail the tap that was recorded)."""
    transaction.on_commit(lambda: tasks.reslot_session_task.delay(session_id), robust=True)
