"""When a session changes (times, status, channel, live id, hosts), its sales are attributed
again: orders imported earlier must follow what staff record afterwards, such as the actual
end of a live or a cancellation."""

from core.services import enqueue_on_commit


def _reattribute(session_id: int | None) -> None:
    if session_id:
        from .tasks import reattribute_session_task

        enqueue_on_commit(reattribute_session_task, session_id)


def session_saved(sender, instance, **kwargs) -> None:
    _reattribute(instance.pk)


def session_deleted(sender, instance, **kwargs) -> None:
    """Its orders were detached by SET NULL: they are attributed again (another session's
    window may hold them, or an ambiguity may now have one candidate)."""
    if instance.channel_id:
        from .tasks import reattribute_after_session_deleted_task

        enqueue_on_commit(reattribute_after_session_deleted_task, instance.channel_id, instance.pk)


def session_host_changed(sender, instance, **kwargs) -> None:
    _reattribute(instance.session_id)


def session_changed(sender, session_id: int, **kwargs) -> None:
    _reattribute(session_id)
