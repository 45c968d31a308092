"""What every dashboard page shares: the period asked for, who may read every figure, and
small arithmetic on figures."""

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from core.roles import BUREAU_STAFF, OFFICIAL, has_role
from core.types import AnyUser
from livestreams.models import Session

# Sessions that sell: trainings and meetings are held but sell nothing on a channel.
SELLING_KINDS = (Session.Kind.REGULAR, Session.Kind.MEGALIVE)
HELD_STATUSES = (Session.Status.LIVE, Session.Status.ENDED)
MAX_PERIOD_DAYS = 366
# Periods are asked for in query strings: dates outside these years are taken as wrong, so
# that the arithmetic around a period (the previous one, a day either side, UTC bounds) never
# leaves the calendar (date.max + 1 day is an OverflowError, a server error).
FIRST_YEAR, LAST_YEAR = 1900, 9000
# How many entries each ranking shows.
TOP = 5


def can_view_all_sales(user: AnyUser) -> bool:
    return has_role(user, BUREAU_STAFF, OFFICIAL)


def require_all_sales(user: AnyUser) -> None:
    """Refuse (PermissionDenied) anyone who may not read every figure: each page's entry
    point calls it, whatever its view checked."""
    if not can_view_all_sales(user):
        raise PermissionDenied


def local_today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included, as dated in each channel's time zone; of one base's
    channels and rooms when ``base_id`` is set, else of every base."""

    start: dt.date
    end: dt.date
    base_id: int | None = None

    def of_base(self, base_lookup: str) -> Q:
        """The condition that keeps the rows of the period's base (``base_lookup`` leads from
        the queried model to a base id, e.g. ``channel__base_id``); every row without one."""
        return Q(**{base_lookup: self.base_id}) if self.base_id is not None else Q()

    @classmethod
    def month_of(cls, day: dt.date) -> "Period":
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last))

    @property
    def is_whole_month(self) -> bool:
        month = Period.month_of(self.start)
        return (self.start, self.end) == (month.start, month.end)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=offset) for offset in range(count)]

    def previous(self) -> "Period":
        """The period just before, of the same length (the previous month for a month)."""
        if self.is_whole_month:
            return replace(Period.month_of(self.start - dt.timedelta(days=1)), base_id=self.base_id)
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end, self.base_id)


def within_years(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def ratio(numerator: Decimal | int, denominator: Decimal | int | None) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def change(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """Change from the previous figure, in per cent; none when there is nothing to compare."""
    if current is None or not previous:
        return None
    return (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)


def buyers_figure(orders: int, without_buyer: int, named: int) -> tuple[int | None, bool]:
    """Buyers as far as the exports tell, and whether that is only a lower bound.

    Buyers are distinct buyer hashes (DESIGN.md); an order whose export row named no buyer
    (Douyin, Lazada) may be a new buyer or a returning one. None of the orders named: unknown
    (None), never 0. Some named: the distinct named buyers, marked partial (at least that).
    """
    if orders and without_buyer >= orders:
        return None, False
    return named, bool(without_buyer)


def utc_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime.combine(period.start, dt.time(), tzinfo=zone),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )
