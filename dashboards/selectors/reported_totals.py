"""A session's platform-reported totals (#13): read by officials and bureau staff."""

from core.types import AnyUser
from livestreams.models import Session

from ..models import ReportedSessionTotals
from .common import require_all_sales


def reported_totals_of(
    session_id: int, *, user: AnyUser
) -> tuple[Session, ReportedSessionTotals | None]:
    """The session (with its channel) and its reported totals, None when none were entered.

    PermissionDenied for who may not read every figure (decided before the lookup);
    Session.DoesNotExist when there is no such session. Queries: 1."""
    require_all_sales(user)
    session = Session.objects.select_related("channel", "reported_totals").get(pk=session_id)
    return session, _reported(session)


def _reported(session: Session) -> ReportedSessionTotals | None:
    try:
        return session.reported_totals
    except ReportedSessionTotals.DoesNotExist:
        return None
