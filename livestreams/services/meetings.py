"""Meetings booked in the base's rooms, their outcomes, and attendance at trainings."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative

from ..models import (
    Host,
    MeetingBooking,
    Room,
    Session,
    TrainingAttendance,
)
from .lifecycle import schedule_session


@transaction.atomic
def book_meeting(
    *,
    title: str,
    room: Room,
    scheduled_start: datetime.datetime,
    scheduled_end: datetime.datetime,
    buyer_organisation: str,
    buyer_contact: str = "",
    cooperatives: Iterable[Cooperative] = (),
    hosts: Sequence[tuple[Host, str]] = (),
    outcome: str = MeetingBooking.Outcome.PENDING,
    agreement_value: Decimal | None = None,
    agreement_currency: str = "",
    outcome_notes: str = "",
) -> MeetingBooking:
    """Book a buyer meeting: a session of kind meeting (same clash rules) with its details."""
    session = schedule_session(
        title=title,
        kind=Session.Kind.MEETING,
        room=room,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_end,
        hosts=hosts,
    )
    booking = MeetingBooking.objects.create(
        session=session,
        buyer_organisation=buyer_organisation,
        buyer_contact=buyer_contact,
        outcome=outcome,
        agreement_value=agreement_value,
        agreement_currency=agreement_currency,
        outcome_notes=outcome_notes,
    )
    booking.cooperatives.set(cooperatives)
    return booking


@transaction.atomic
def record_meeting_outcome(
    *,
    booking: MeetingBooking,
    outcome: str,
    agreement_value: Decimal | None = None,
    agreement_currency: str = "",
    outcome_notes: str = "",
    cooperatives: Iterable[Cooperative] | None = None,
) -> MeetingBooking:
    """Record how a meeting went (and, if given, which cooperatives were involved)."""
    if outcome == MeetingBooking.Outcome.AGREEMENT and (
        agreement_value is None or not agreement_currency
    ):
        raise ValidationError(_("An agreement needs a value and a currency."), code="agreement")
    booking.outcome = outcome
    booking.agreement_value = agreement_value
    booking.agreement_currency = agreement_currency
    booking.outcome_notes = outcome_notes
    booking.save(
        update_fields=["outcome", "agreement_value", "agreement_currency", "outcome_notes"]
    )
    if cooperatives is not None:
        booking.cooperatives.set(cooperatives)
    return booking


@transaction.atomic
def record_attendance(
    *,
    session: Session,
    cooperative: Cooperative,
    attendee_name: str,
    attended: bool,
    user: User | None = None,
) -> TrainingAttendance:
    """Add or update a cooperative member's place at a training session."""
    if session.kind != Session.Kind.TRAINING:
        raise ValidationError(_("Attendance is recorded for training sessions."), code="kind")
    attendance, _created = TrainingAttendance.objects.update_or_create(
        session=session,
        cooperative=cooperative,
        attendee_name=attendee_name,
        defaults={"attended": attended, "user": user},
    )
    return attendance
