"""Pages of the live-sessions app: lists, calendar, run-sheet, live control, metrics, feeds."""

import datetime
from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog import selectors as catalog_selectors
from core.roles import ALL_ROLES, HOST, has_role, is_bureau_staff

from . import selectors, services
from .forms import CalendarFilterForm, SessionListFilterForm, SessionMetricsForm
from .ical import build_calendar
from .models import Host, LineupItem, MeetingBooking, Room, Session, SessionMetrics

SESSIONS_PER_PAGE = 50


def _require_role(user) -> None:
    if not has_role(user, *ALL_ROLES):
        raise Http404


def _load_session(user, session_id: int) -> Session:
    try:
        return selectors.session_detail(user, session_id)
    except Session.DoesNotExist:
        raise Http404 from None


def _visible_timeline(user, session: Session) -> list:
    """Planned times come from the whole line-up; rows are those the user may see."""
    timeline = selectors.planned_timeline(session, list(session.lineup.all()))
    cooperatives = selectors.lineup_cooperatives_visible_to(user)
    if cooperatives is None:
        return timeline
    return [slot for slot in timeline if slot.item.product.cooperative_id in cooperatives]


def _display_zone(session: Session) -> str:
    """Run-sheets and control pages speak the channel's local time (Lhasa, Gia Lai...)."""
    return session.channel.time_zone if session.channel_id else settings.TIME_ZONE


def _runs_session(user, session: Session) -> bool:
    """Staff run every session; a host runs the sessions they are on."""
    if is_bureau_staff(user):
        return True
    return has_role(user, HOST) and any(
        place.host.user_id == user.pk for place in session.session_hosts.all()
    )


@login_required
def session_list(request):
    _require_role(request.user)
    form = SessionListFilterForm(request.GET or None)
    starts_after, starts_before = form.date_range()
    # The bases (1 query): one base's sessions (its rooms' or channels'), or every base's.
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    sessions = selectors.session_list(
        request.user,
        form.filters(
            starts_after=starts_after,
            starts_before=starts_before,
            base_id=base.pk if base else None,
        ),
    )
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "livestreams/session_list.html",
        {
            "form": form,
            "bases": bases,
            "base": base,
            "page": page,
            "sessions": page.object_list,
            "host_profile": selectors.host_profile(request.user),
        },
    )


@login_required
def session_detail(request, session_id: int):
    _require_role(request.user)
    session = _load_session(request.user, session_id)
    return render(
        request,
        "livestreams/session_detail.html",
        {
            "session": session,
            "display_zone": _display_zone(session),
            "timeline": _visible_timeline(request.user, session),
            "metrics": getattr(session, "metrics", None) if _has_metrics(session) else None,
            "meeting": session.meeting if _has_meeting(session) else None,
            "can_run": _runs_session(request.user, session),
            # Hosts with no e-mail get no reminder: staff see who to tell another way.
            "cannot_be_reminded": services.hosts_who_cannot_be_reminded(session)
            if is_bureau_staff(request.user)
            else [],
        },
    )


def _has_metrics(session: Session) -> bool:
    try:
        session.metrics  # noqa: B018 - fetched by select_related
    except SessionMetrics.DoesNotExist:
        return False
    return True


def _has_meeting(session: Session) -> bool:
    try:
        session.meeting  # noqa: B018 - fetched by select_related
    except MeetingBooking.DoesNotExist:
        return False
    return True


@login_required
def run_sheet(request, session_id: int):
    _require_role(request.user)
    session = _load_session(request.user, session_id)
    lineup = list(session.lineup.all())
    timeline = _visible_timeline(request.user, session)
    return render(
        request,
        "livestreams/run_sheet.html",
        {
            "session": session,
            "display_zone": _display_zone(session),
            "timeline": timeline,
            "planned_total": sum(item.planned_minutes for item in lineup),
            "warnings": services.lineup_warnings(
                planned_minutes=[
                    (slot.item.product.name, slot.item.planned_minutes) for slot in timeline
                ]
            ),
        },
    )


CONTROL_ACTIONS = ("start", "end", "on_air", "off_air")


@login_required
def session_control(request, session_id: int):
    """Big buttons for a tablet in the studio: go live, each product on and off air, end."""
    _require_role(request.user)
    session = _load_session(request.user, session_id)
    if not _runs_session(request.user, session):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in CONTROL_ACTIONS:
            return HttpResponse(status=400)
        try:
            _control(session, action, request.POST.get("item"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("livestreams:session-control", session_id=session.pk)
    lineup = list(session.lineup.all())
    return render(
        request,
        "livestreams/session_control.html",
        {
            "session": session,
            "display_zone": _display_zone(session),
            "timeline": selectors.planned_timeline(session, lineup),
            "is_live": session.status == Session.Status.LIVE,
        },
    )


def _control(session: Session, action: str, item_id: str | None) -> None:
    if action == "start":
        services.start_session(session=session)
    elif action == "end":
        services.end_session(session=session)
    else:
        if session.status != Session.Status.LIVE:
            raise ValidationError(_("Products go on air only while the session is live."))
        try:
            item = session.lineup.get(pk=int(item_id or ""))
        except (ValueError, LineupItem.DoesNotExist):
            raise Http404 from None
        if action == "on_air":
            services.mark_on_air(item=item)
        else:
            services.mark_off_air(item=item)


@login_required
def session_metrics(request, session_id: int):
    """Hosts and staff enter the platform's figures after the session."""
    _require_role(request.user)
    session = _load_session(request.user, session_id)
    if not _runs_session(request.user, session):
        raise Http404
    metrics = session.metrics if _has_metrics(session) else None
    form = SessionMetricsForm(request.POST or None, instance=metrics)
    if request.method == "POST" and form.is_valid():
        figures = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in ("views_basis", "precision")
        }
        try:
            services.record_session_metrics(
                session=session,
                entered_by=request.user,
                views_basis=form.cleaned_data["views_basis"],
                precision=form.cleaned_data["precision"],
                **figures,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The figures were saved."))
            return redirect(session)
    return render(request, "livestreams/session_metrics.html", {"session": session, "form": form})


@login_required
def calendar_week(request):
    """A week of sessions, by day, for a room, host or channel (or all the user may see)."""
    _require_role(request.user)
    form = CalendarFilterForm(request.GET or None)
    # The bases (1 query): one base's week (its rooms' or channels' sessions), or every base's.
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    filters = replace(form.filters(), base_id=base.pk if base else None)
    # A channel's calendar is read in its own time zone (Lhasa or Gia Lai); otherwise the
    # site's.
    zone = filters.channel.time_zone if filters.channel is not None else None
    with timezone.override(zone or timezone.get_current_timezone()):
        return _render_calendar(request, form, filters, bases=bases, base=base)


def _render_calendar(request, form: CalendarFilterForm, filters, *, bases, base):
    week_start = form.week_start()
    sessions = selectors.week_sessions(request.user, week_start=week_start, filters=filters)
    days = []
    for offset in range(7):
        day_start = week_start + datetime.timedelta(days=offset)
        day_end = day_start + datetime.timedelta(days=1)
        days.append(
            {
                "date": day_start.date(),
                "is_today": day_start.date() == timezone.localdate(),
                "sessions": [
                    session
                    for session in sessions
                    if session.scheduled_start < day_end and session.scheduled_end > day_start
                ],
            }
        )
    query = request.GET.copy()
    query.pop("week", None)
    feed_url = None
    if filters.room is not None and is_bureau_staff(request.user):
        feed_url = request.build_absolute_uri(
            _feed_path("livestreams:room-feed", filters.room.feed_token)
        )
    host_profile = selectors.host_profile(request.user)
    if filters.host is not None and (is_bureau_staff(request.user) or filters.host == host_profile):
        feed_url = request.build_absolute_uri(
            _feed_path("livestreams:host-feed", filters.host.feed_token)
        )
    return render(
        request,
        "livestreams/calendar.html",
        {
            "form": form,
            "bases": bases,
            "base": base,
            "days": days,
            "week_start": week_start.date(),
            "previous_week": (week_start - datetime.timedelta(days=7)).date(),
            "next_week": (week_start + datetime.timedelta(days=7)).date(),
            "query": query.urlencode(),
            "time_zone": timezone.get_current_timezone_name(),
            "feed_url": feed_url,
            "host_profile": host_profile,
            "own_feed_url": request.build_absolute_uri(
                _feed_path("livestreams:host-feed", host_profile.feed_token)
            )
            if host_profile
            else None,
        },
    )


def _feed_path(url_name: str, token: str) -> str:
    return reverse(url_name, kwargs={"token": token})


def _feed_response(sessions, *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        build_calendar(sessions.exclude(status=Session.Status.DRAFT), name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    # The token in the URL is the credential; keep the feed out of shared caches.
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def room_feed(request, token: str):
    """No login: calendar apps subscribe with the secret token in the URL."""
    room = get_object_or_404(Room, feed_token=token)
    return _feed_response(
        selectors.sessions_for_feed(room=room), name=str(room), filename=room.slug
    )


@require_GET
def host_feed(request, token: str):
    host = get_object_or_404(Host, feed_token=token)
    return _feed_response(
        selectors.sessions_for_feed(host=host),
        name=host.display_name,
        filename=f"host-{host.pk}",
    )
