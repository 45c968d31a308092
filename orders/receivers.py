"""When a session changes (times, status, channel, live id, hosts), its sales are attributed
again: orders imported earlier must follow what staff record afterwards, such as the actual
end of a live or a cancellation."""

from core.services import enqueue_on_commit

from .models import Order


def _reattribute(session_id: int | None) -> None:
    if session_id:
        from .tasks import reattribute_session_task

        enqueue_on_commit(reattribute_session_task, session_id)


def session_saved(sender, instance, **kwargs) -> None:
    _reattribute(instance.pk)


def session_deleting(sender, instance, **kwargs) -> None:
    """Before a session is deleted (its orders are then detached by SET NULL), note which staff
    choices named it: those, and the orders the rules gave it, are attributed again after the
    deletion commits (another session's window may hold them, or an ambiguity may now have one
    candidate). Every other staff choice, "none of them" included, stands."""
    if instance.channel_id:
        from .tasks import reattribute_after_session_deleted_task

        chosen = list(
            Order.objects.filter(
                session_id=instance.pk, attribution=Order.Attribution.MANUAL
            ).values_list("pk", flat=True)
        )
        enqueue_on_commit(
            reattribute_after_session_deleted_task, instance.channel_id, instance.pk, chosen
        )


def session_host_changed(sender, instance, **kwargs) -> None:
    _reattribute(instance.session_id)


def session_changed(sender, session_id: int, **kwargs) -> None:
    _reattribute(session_id)
