"""Buyer meetings and trainings of a period, for the overview and the monthly report: how many
meetings were held and how many ended in an agreement, the agreements' value per currency
(never added across currencies), and the people trained (came to a training) by cooperative
and by district."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Q, Sum

from livestreams.models import MeetingBooking, Session, TrainingAttendance

from .common import Period

# Meetings and trainings that took (or take) place: drafts and cancelled ones do not count.
COUNTED_STATUSES = (Session.Status.SCHEDULED, Session.Status.LIVE, Session.Status.ENDED)


class AgreementValue(TypedDict):
    currency: str
    agreements: int
    value: Decimal


class TrainedByCooperative(TypedDict):
    cooperative_id: int
    cooperative: str
    district: str
    people: int


class TrainedByDistrict(TypedDict):
    district: str
    people: int
    cooperatives: int


class MeetingsAndTraining(TypedDict):
    meetings: int
    agreements: int
    agreement_values: list[AgreementValue]
    trainings: int
    people_trained: int
    trained_by_cooperative: list[TrainedByCooperative]
    trained_by_district: list[TrainedByDistrict]


def _held_in(period: Period, session_lookup: str) -> Q:
    """Sessions (reached by `session_lookup`) that started in the period, its days read in the
    site's time zone (meetings and trainings have no channel, hence no zone of their own), in
    the period's base when it has one (by the room's floor)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    low = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    high = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return Q(
        **{
            f"{session_lookup}scheduled_start__gte": low,
            f"{session_lookup}scheduled_start__lt": high,
            f"{session_lookup}status__in": COUNTED_STATUSES,
        }
    ) & period.of_base(f"{session_lookup}room__zone__base_id")


def meetings_and_training(period: Period) -> MeetingsAndTraining:
    """The period's meetings, agreements and people trained. Queries: 3 (meetings per
    agreement currency, trainings held, people trained per cooperative), whatever the data."""
    meeting_rows = (
        MeetingBooking.objects.filter(_held_in(period, "session__"))
        .values("agreement_currency")
        .annotate(
            meetings=Count("pk"),
            agreements=Count("pk", filter=Q(outcome=MeetingBooking.Outcome.AGREEMENT)),
            value=Sum("agreement_value", filter=Q(outcome=MeetingBooking.Outcome.AGREEMENT)),
        )
        .order_by("agreement_currency")
    )
    meetings = agreements = 0
    values: list[AgreementValue] = []
    for row in meeting_rows:
        meetings += row["meetings"]
        agreements += row["agreements"]
        if row["agreements"] and row["agreement_currency"]:
            values.append(
                {
                    "currency": row["agreement_currency"],
                    "agreements": row["agreements"],
                    "value": (row["value"] or Decimal(0)).quantize(Decimal("0.01")),
                }
            )
    trainings = Session.objects.filter(_held_in(period, ""), kind=Session.Kind.TRAINING).count()
    trained_rows = (
        TrainingAttendance.objects.filter(
            _held_in(period, "session__"), attended=True, session__kind=Session.Kind.TRAINING
        )
        .values("cooperative_id", "cooperative__name", "cooperative__district")
        .annotate(people=Count("pk"))
        .order_by("-people", "cooperative__name")
    )
    by_cooperative: list[TrainedByCooperative] = [
        {
            "cooperative_id": row["cooperative_id"],
            "cooperative": row["cooperative__name"],
            "district": row["cooperative__district"],
            "people": row["people"],
        }
        for row in trained_rows
    ]
    districts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in by_cooperative:
        sums = districts[entry["district"]]
        sums[0] += entry["people"]
        sums[1] += 1
    by_district: list[TrainedByDistrict] = sorted(
        (
            {"district": district, "people": people, "cooperatives": cooperatives}
            for district, (people, cooperatives) in districts.items()
        ),
        key=lambda entry: (-entry["people"], entry["district"]),
    )
    return {
        "meetings": meetings,
        "agreements": agreements,
        "agreement_values": values,
        "trainings": trainings,
        "people_trained": sum(entry["people"] for entry in by_cooperative),
        "trained_by_cooperative": by_cooperative,
        "trained_by_district": by_district,
    }
