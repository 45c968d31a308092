"""Writes of the live-sessions app, one module per topic: clashes, a session's life, series,
line-ups, metrics, reminders, and meetings and training. Callers use `livestreams.services.<name>`.
"""

from .clashes import (
    HOST_CONSTRAINT,
    ROOM_CONSTRAINT,
    SessionClash,
    check_clashes,
    check_distinct_hosts,
    check_times,
    clash_messages,
    describe_session,
    sync_host_copies,
)
from .lifecycle import (
    ALLOWED_MOVES,
    FIGURE_FIELDS,
    SessionStateError,
    cancel_session,
    end_session,
    publish_session,
    reschedule_session,
    schedule_session,
    set_session_hosts,
    start_session,
    update_session,
)
from .lineup import (
    PlannedItem,
    check_lineup_fits,
    lineup_warnings,
    mark_off_air,
    mark_on_air,
    set_lineup,
)
from .meetings import (
    book_meeting,
    record_attendance,
    record_meeting_outcome,
)
from .metrics import (
    record_session_metrics,
)
from .reminders import (
    REMINDER_LEADS,
    hosts_who_cannot_be_reminded,
    reminder_kind_due,
    send_due_reminders,
    send_reminder,
)
from .series import (
    Occurrence,
    SeriesResult,
    create_weekly_series,
    occurrence_errors,
    plan_weekly_occurrences,
)

__all__ = [
    "ALLOWED_MOVES",
    "FIGURE_FIELDS",
    "HOST_CONSTRAINT",
    "Occurrence",
    "PlannedItem",
    "REMINDER_LEADS",
    "ROOM_CONSTRAINT",
    "SeriesResult",
    "SessionClash",
    "SessionStateError",
    "book_meeting",
    "cancel_session",
    "check_clashes",
    "check_distinct_hosts",
    "check_lineup_fits",
    "check_times",
    "clash_messages",
    "create_weekly_series",
    "describe_session",
    "end_session",
    "hosts_who_cannot_be_reminded",
    "lineup_warnings",
    "mark_off_air",
    "mark_on_air",
    "occurrence_errors",
    "plan_weekly_occurrences",
    "publish_session",
    "record_attendance",
    "record_meeting_outcome",
    "record_session_metrics",
    "reminder_kind_due",
    "reschedule_session",
    "schedule_session",
    "send_due_reminders",
    "send_reminder",
    "set_lineup",
    "set_session_hosts",
    "start_session",
    "sync_host_copies",
    "update_session",
]
