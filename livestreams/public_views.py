"""The base's public schedule: upcoming live sales for anyone, signed in or not, as a list, a
week and an iCalendar feed. Only what `selectors.public_sessions` lets the public see."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog.models import Base

from . import selectors
from .ical import build_calendar

SESSIONS_PER_PAGE = 30
# How far from today the week view goes, either way.
WEEK_RANGE = datetime.timedelta(days=3 * 366)
# The list shows what is announced for the next three months; the week view goes further.
LIST_HORIZON = datetime.timedelta(days=92)


def _zone_choices() -> list[str]:
    """The site's zone first, then the channels' (Lhasa's, Gia Lai's...)."""
    zones = [settings.TIME_ZONE]
    zones.extend(zone for zone in selectors.public_time_zones() if zone != settings.TIME_ZONE)
    return zones


def _viewer_zone(request, choices: list[str]) -> str:
    """The zone the visitor chose among those the schedule offers, else the site's."""
    chosen = request.GET.get("tz", "")
    return chosen if chosen in choices else settings.TIME_ZONE


def _zone_label(zone: str, moment: datetime.datetime) -> str:
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%z")
    return f"{zone.replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})"


def _base(request) -> Base | None:
    """The base asked for by its slug (`?base=lhasa`): its sales only; none, every base's.
    A query only when one is asked for; an unknown one is a 404."""
    slug = request.GET.get("base")
    return get_object_or_404(Base, slug=slug) if slug else None


def _query(zone: str, base: Base | None) -> str:
    """The query string that keeps the visitor's zone and base from page to page."""
    params = {"tz": zone} if zone != settings.TIME_ZONE else {}
    if base is not None:
        params["base"] = base.slug
    return f"?{urlencode(params)}" if params else ""


def _context(request, zone: str, choices: list[str], base: Base | None) -> dict:
    now = timezone.now()
    feed_path = reverse("livestreams:public-feed") + (
        f"?{urlencode({'base': base.slug})}" if base is not None else ""
    )
    return {
        "zone": zone,
        "base": base,
        "feed_path": feed_path,
        "default_zone": settings.TIME_ZONE,
        "zone_label": _zone_label(zone, now),
        "zone_options": [(choice, _zone_label(choice, now)) for choice in choices],
        "feed_url": request.build_absolute_uri(feed_path),
        "list_url": reverse("livestreams:public-schedule") + _query(zone, base),
        "week_url": reverse("livestreams:public-week") + _query(zone, base),
    }


@require_GET
def public_schedule(request):
    """Upcoming live sales, soonest first, by day in the visitor's chosen zone."""
    choices = _zone_choices()
    zone = _viewer_zone(request, choices)
    base = _base(request)
    now = timezone.now()
    sessions = selectors.public_schedule(
        starts_after=now, starts_before=now + LIST_HORIZON, base=base
    )
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    with timezone.override(zone):
        days: list[dict] = []
        for session in page.object_list:
            day = timezone.localtime(session.scheduled_start).date()
            if not days or days[-1]["date"] != day:
                days.append({"date": day, "sessions": []})
            days[-1]["sessions"].append(session)
        return render(
            request,
            "livestreams/public_schedule.html",
            {**_context(request, zone, choices, base), "page": page, "days": days, "now": now},
        )


def _week_start(request, zone: str) -> datetime.datetime:
    """The Monday midnight, in `zone`, of the week asked for (this week by default)."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = today
    # Nothing is announced years ahead, and the year 9999's next week is no date at all.
    if abs(day - today) > WEEK_RANGE:
        day = today
    monday = day - datetime.timedelta(days=day.weekday())
    return datetime.datetime.combine(monday, datetime.time(), tzinfo=zoneinfo.ZoneInfo(zone))


@require_GET
def public_week(request):
    """Seven days of upcoming live sales, one column a day (stacked on a phone)."""
    choices = _zone_choices()
    zone = _viewer_zone(request, choices)
    base = _base(request)
    now = timezone.now()
    week_start = _week_start(request, zone)
    week_end = week_start + datetime.timedelta(days=7)
    # Only what is still to come: a past week holds nothing the public can watch.
    sessions = list(
        selectors.public_schedule(
            starts_after=max(week_start, now), starts_before=week_end, base=base
        )
    )
    with timezone.override(zone):
        today = timezone.localdate()
        days = []
        for offset in range(7):
            day_start = week_start + datetime.timedelta(days=offset)
            day_end = day_start + datetime.timedelta(days=1)
            days.append(
                {
                    "date": day_start.date(),
                    "is_today": day_start.date() == today,
                    "sessions": [
                        session
                        for session in sessions
                        if session.scheduled_start < day_end and session.scheduled_end > day_start
                    ],
                }
            )
        query = {"tz": zone} if zone != settings.TIME_ZONE else {}
        if base is not None:
            query["base"] = base.slug
        previous_week = week_start - datetime.timedelta(days=7)
        return render(
            request,
            "livestreams/public_week.html",
            {
                **_context(request, zone, choices, base),
                "days": days,
                "week_start": week_start.date(),
                "now": now,
                # The previous week is offered only while it still holds time to come.
                "previous_week_url": "?"
                + urlencode({**query, "week": previous_week.date().isoformat()})
                if week_start > now
                else None,
                "next_week_url": "?" + urlencode({**query, "week": week_end.date().isoformat()}),
            },
        )


@require_GET
def public_feed(request):
    """The base's live sales as an iCalendar feed anyone may subscribe to (no token: it holds
    only what the public schedule shows)."""
    base = _base(request)
    sessions = selectors.public_schedule(starts_after=timezone.now(), base=base)
    name = _("Live sales: %(base)s") % {"base": base.name} if base else _("Live sales")
    response = HttpResponse(
        build_calendar(sessions, name=name, public=True),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="live-sales.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response
