"""Trainings: cooperatives sign their people up (within the room's capacity, before the start),
withdraw them, and staff record who came."""

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from core.errors import StateConflict

from ..models import Session, TrainingAttendance


class TrainingFull(StateConflict):
    """Every seat of the training room is taken."""


class SignUpClosed(StateConflict):
    """The training has started, ended or been cancelled, or is not open yet."""


class AlreadySignedUp(StateConflict):
    """This cooperative has already signed up someone of that name."""


def seats_left(session: Session) -> int | None:
    """Seats still free in the training room; None when the room has no stated capacity."""
    capacity = session.room.capacity
    if capacity is None:
        return None
    return max(capacity - session.attendances.count(), 0)


def is_open_for_sign_up(session: Session) -> bool:
    return (
        session.kind == Session.Kind.TRAINING
        and session.status == Session.Status.SCHEDULED
        and session.scheduled_start > timezone.now()
    )


@transaction.atomic
def sign_up_for_training(
    *,
    session: Session,
    cooperative: Cooperative,
    attendee_name: str,
    user: User | None = None,
) -> TrainingAttendance:
    """Give someone of a cooperative a seat at an upcoming training.

    The session row is locked first (PostgreSQL; SQLite writes one at a time anyway), so two
    cooperatives taking the last seat at once cannot both have it.
    """
    session = (
        Session.objects.select_related("room").select_for_update(of=("self",)).get(pk=session.pk)
    )
    if not is_open_for_sign_up(session):
        raise SignUpClosed(
            _("Sign-up is open only for scheduled trainings that have not started."),
            code="closed",
        )
    attendee_name = " ".join(attendee_name.split())
    if not attendee_name:
        raise ValidationError({"attendee_name": _("Give the attendee's name.")}, code="name")
    if session.attendances.filter(
        cooperative=cooperative, attendee_name__iexact=attendee_name
    ).exists():
        raise AlreadySignedUp(
            _("%(name)s is already signed up for this training.") % {"name": attendee_name},
            code="duplicate",
        )
    left = seats_left(session)
    if left is not None and left <= 0:
        raise TrainingFull(
            _("This training is full: all %(capacity)s seats of %(room)s are taken.")
            % {"capacity": session.room.capacity, "room": session.room.name},
            code="full",
        )
    try:
        with transaction.atomic():
            return TrainingAttendance.objects.create(
                session=session, cooperative=cooperative, attendee_name=attendee_name, user=user
            )
    except IntegrityError:
        # The unique constraint caught a sign-up made at the same moment.
        raise AlreadySignedUp(
            _("%(name)s is already signed up for this training.") % {"name": attendee_name},
            code="duplicate",
        ) from None


@transaction.atomic
def withdraw_from_training(*, attendance: TrainingAttendance, any_time: bool = False) -> None:
    """Give a seat back, before the training starts (staff, `any_time`, also remove a row
    entered by mistake afterwards)."""
    session = Session.objects.select_for_update().get(pk=attendance.session_id)
    if any_time:
        attendance.delete()
        return
    if session.scheduled_start <= timezone.now() or session.status not in (
        Session.Status.SCHEDULED,
        Session.Status.DRAFT,
    ):
        raise SignUpClosed(
            _("A sign-up can be withdrawn only before the training starts."), code="closed"
        )
    attendance.delete()


@transaction.atomic
def rename_attendee(*, attendance: TrainingAttendance, attendee_name: str) -> TrainingAttendance:
    """Correct an attendee's name (before the training starts)."""
    session = attendance.session
    if session.scheduled_start <= timezone.now():
        raise SignUpClosed(
            _("A sign-up can be changed only before the training starts."), code="closed"
        )
    attendance.attendee_name = " ".join(attendee_name.split())
    try:
        with transaction.atomic():
            attendance.save(update_fields=["attendee_name"])
    except IntegrityError:
        raise AlreadySignedUp(
            _("%(name)s is already signed up for this training.")
            % {"name": attendance.attendee_name},
            code="duplicate",
        ) from None
    return attendance


@transaction.atomic
def mark_attended(*, attendance: TrainingAttendance, attended: bool) -> TrainingAttendance:
    """Record whether someone came (staff, during or after the training)."""
    TrainingAttendance.objects.filter(pk=attendance.pk).update(attended=attended)
    attendance.attended = attended
    return attendance


@transaction.atomic
def record_attendance_sheet(*, session: Session, attended: Mapping[int, bool]) -> int:
    """Staff's attendance sheet: attendance id -> came. Rows of other sessions are ignored.
    Returns how many rows changed. Two UPDATEs, whatever the number of rows."""
    rows = TrainingAttendance.objects.filter(session=session)
    came = [pk for pk, value in attended.items() if value]
    absent = [pk for pk, value in attended.items() if not value]
    changed = rows.filter(pk__in=came, attended=False).update(attended=True)
    changed += rows.filter(pk__in=absent, attended=True).update(attended=False)
    return changed
