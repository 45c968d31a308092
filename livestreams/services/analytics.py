"""Import of the platforms' live analytics exports into the sessions' metrics (#13).

Each row of the file is one live. It is matched to the session of the channel whose start
(actual, else scheduled) is nearest the row's launch time, within a tolerance; rows that match
no session, or two equally, or a session another row matches better, are reported with the
reason and change nothing. Imported figures replace what was there; an empty cell never
erases a figure (one entered by hand stays). The file is small (one row per live), so the
import runs at once, in the caller's request.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalog.models import Channel
from core.types import AnyUser

from ..models import Session, SessionMetrics
from .analytics_files import (
    AnalyticsFile,
    AnalyticsFileRefused,
    AnalyticsRow,
    ColumnsNeeded,
    Layout,
    read_analytics,
)
from .metrics import record_session_metrics

__all__ = [
    "AnalyticsFileRefused",
    "AnalyticsImportResult",
    "ColumnsNeeded",
    "MATCH_TOLERANCE",
    "RowOutcome",
    "import_live_analytics",
]

# A live that began more than this far from a session's start is not that session.
MATCH_TOLERANCE = dt.timedelta(hours=2)

# The layouts whose "views" count every visit (TikTok's Views, Douyin's 观看次数).
VIEWS_PER_VISIT = frozenset({Layout.TIKTOK_LIVE, Layout.DOUYIN_REVIEW})


class Outcome:
    IMPORTED = "imported"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"
    INVALID = "invalid"


@dataclass
class RowOutcome:
    """What became of one row: imported into a session, or reported with the reason."""

    number: int
    launched_at: dt.datetime | None
    outcome: str
    session: Session | None = None
    reason: str = ""
    figures: dict[str, int | None] = field(default_factory=dict)


@dataclass
class AnalyticsImportResult:
    layout: Layout
    columns: dict[str, str]
    rows: list[RowOutcome]

    @property
    def imported(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.outcome == Outcome.IMPORTED]

    @property
    def reported(self) -> list[RowOutcome]:
        """Every row not imported, with its reason: none is dropped silently."""
        return [row for row in self.rows if row.outcome != Outcome.IMPORTED]


def _candidates(
    channel: Channel, rows: list[AnalyticsRow], tolerance: dt.timedelta
) -> list[Session]:
    """The channel's sessions that could be any row's live: not cancelled, not rehearsals,
    starting within the tolerance of the file's first and last launch. Queries: 1."""
    times = [row.launched_at for row in rows if row.launched_at is not None]
    if not times:
        return []
    return list(
        Session.objects.filter(channel=channel, is_rehearsal=False)
        .exclude(status=Session.Status.CANCELLED)
        .annotate(start=Coalesce("actual_start", "scheduled_start", output_field=DateTimeField()))
        .filter(start__gte=min(times) - tolerance, start__lte=max(times) + tolerance)
        .order_by("start", "pk")
    )


def _local(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _nearest(
    row: AnalyticsRow,
    sessions: list[Session],
    tolerance: dt.timedelta,
    zone: zoneinfo.ZoneInfo,
) -> tuple[Session | None, str, str]:
    """The session nearest the row's launch within the tolerance, or the outcome (unmatched,
    ambiguous) and the reason why there is none."""
    assert row.launched_at is not None
    launched_at = row.launched_at
    near = sorted(
        (abs(session.starts_at - launched_at), session.pk, session)
        for session in sessions
        if abs(session.starts_at - launched_at) <= tolerance
    )
    if not near:
        return (
            None,
            Outcome.UNMATCHED,
            _("No session of this channel starts within %(hours)s hours of %(time)s.")
            % {"hours": f"{tolerance.total_seconds() / 3600:g}", "time": _local(launched_at, zone)},
        )
    if len(near) > 1 and near[0][0] == near[1][0]:
        return (
            None,
            Outcome.AMBIGUOUS,
            _("Sessions “%(first)s” and “%(second)s” start equally near %(time)s.")
            % {
                "first": near[0][2].title,
                "second": near[1][2].title,
                "time": _local(launched_at, zone),
            },
        )
    return near[0][2], Outcome.IMPORTED, ""


@transaction.atomic
def import_live_analytics(
    *,
    channel: Channel,
    content: bytes,
    entered_by: AnyUser | None,
    columns: dict[str, str] | None = None,
    tolerance: dt.timedelta = MATCH_TOLERANCE,
) -> AnalyticsImportResult:
    """Read a live analytics export of `channel` and store each live's figures in the metrics
    of its session (source "imported"). `columns` (field -> the file's header) reads a file
    whose layout is not documented. Raises AnalyticsFileRefused for what is no table and
    ColumnsNeeded when staff must name the columns; per-row problems are in the result."""
    zone = zoneinfo.ZoneInfo(channel.time_zone)
    analytics: AnalyticsFile = read_analytics(content, zone=zone, columns=columns)
    sessions = _candidates(channel, analytics.rows, tolerance)
    outcomes: list[RowOutcome] = []
    chosen: dict[int, RowOutcome] = {}
    for row in analytics.rows:
        outcome = RowOutcome(
            number=row.number, launched_at=row.launched_at, outcome="", figures=row.figures
        )
        outcomes.append(outcome)
        if row.errors or row.launched_at is None:
            outcome.outcome, outcome.reason = Outcome.INVALID, "; ".join(row.errors)
            continue
        session, result, reason = _nearest(row, sessions, tolerance, zone)
        if session is None:
            outcome.outcome, outcome.reason = result, reason
            continue
        outcome.session = session
        if session.status not in (Session.Status.LIVE, Session.Status.ENDED):
            outcome.outcome = Outcome.UNMATCHED
            outcome.reason = _(
                "“%(session)s” is nearest, but it is %(status)s: start or end it first."
            ) % {"session": session.title, "status": session.get_status_display().lower()}
            continue
        outcome.outcome = Outcome.IMPORTED
        rival = chosen.get(session.pk)
        if rival is None:
            chosen[session.pk] = outcome
            continue
        # Two rows of the file for one session: the nearer launch keeps it, or neither.
        assert rival.launched_at is not None
        mine = abs(session.starts_at - row.launched_at)
        theirs = abs(session.starts_at - rival.launched_at)
        loser, winner = (rival, outcome) if mine < theirs else (outcome, rival)
        if mine == theirs:
            for both in (rival, outcome):
                both.outcome = Outcome.AMBIGUOUS
                both.reason = _("Rows %(first)d and %(second)d are equally near “%(session)s”.") % {
                    "first": rival.number,
                    "second": row.number,
                    "session": session.title,
                }
            continue
        loser.outcome = Outcome.AMBIGUOUS
        loser.reason = _("Row %(row)d of this file is nearer to “%(session)s”.") % {
            "row": winner.number,
            "session": session.title,
        }
        chosen[session.pk] = winner
    for outcome in outcomes:
        if outcome.outcome == Outcome.IMPORTED and outcome.session is not None:
            _store(outcome, analytics.layout, entered_by)
    return AnalyticsImportResult(layout=analytics.layout, columns=analytics.columns, rows=outcomes)


def _store(outcome: RowOutcome, layout: Layout, entered_by: AnyUser | None) -> None:
    """Imported figures replace the session's; an empty cell leaves what is there."""
    assert outcome.session is not None
    # Typed Any: mypy would otherwise match the figures against views_basis and precision.
    given: dict[str, Any] = {
        name: value for name, value in outcome.figures.items() if value is not None
    }
    record_session_metrics(
        session=outcome.session,
        entered_by=entered_by,
        source=SessionMetrics.Source.IMPORTED,
        views_basis=(
            SessionMetrics.ViewsBasis.PER_VISIT
            if "views" in given and layout in VIEWS_PER_VISIT
            else None
        ),
        **given,
    )
