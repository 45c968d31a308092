"""A session's audience figures (views, likes, comments, shares), entered by staff."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import (
    Session,
    SessionMetrics,
)
from .lifecycle import FIGURE_FIELDS, SessionStateError


@transaction.atomic
def record_session_metrics(
    *,
    session: Session,
    entered_by: AbstractBaseUser | None,
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
    defaults: dict = {"entered_by": entered_by, "source": source, **figures}
    if views_basis is not None:
        defaults["views_basis"] = views_basis
    if precision is not None:
        defaults["precision"] = precision
    metrics, _created = SessionMetrics.objects.update_or_create(session=session, defaults=defaults)
    return metrics
