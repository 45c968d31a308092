"""A session's audience figures (views, likes, comments, shares), entered by staff."""

from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.types import AnyUser

from ..models import (
    Session,
    SessionMetrics,
)
from .lifecycle import SessionStateError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The audience figures staff enter (the API serializer lists the same).
FIGURE_FIELDS = (
    "views",
    "unique_viewers",
    "peak_concurrent_viewers",
    "likes",
    "comments",
    "shares",
    "new_followers",
    "product_clicks",
    "average_watch_seconds",
    "average_concurrent_viewers",
)


@transaction.atomic
def record_session_metrics(
    *,
    session: Session,
    entered_by: AnyUser | None,
    source: str = SessionMetrics.Source.MANUAL,
    views_basis: str | None = None,
    precision: str | None = None,
    **figures: int | None,
) -> SessionMetrics:
    """Store the platform's audience figures for a session (each optional)."""
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown figures {sorted(unknown)}.")
    if session.status not in (Session.Status.LIVE, Session.Status.ENDED):
        raise SessionStateError(
            _("Figures can be entered once the session has gone live."), code="status"
        )
    defaults: dict[str, object] = {
        # Staff are signed in (the pages and the API require it): the user is a User row.
        "entered_by": cast("User | None", entered_by),
        "source": source,
        **figures,
    }
    if views_basis is not None:
        defaults["views_basis"] = views_basis
    if precision is not None:
        defaults["precision"] = precision
    metrics, _created = SessionMetrics.objects.update_or_create(session=session, defaults=defaults)
    return metrics
