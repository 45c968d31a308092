"""Dashboard pages: check the role, call a selector, render. Figures come from roll-ups."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.roles import is_bureau_staff

from . import charts, selectors
from .forms import SessionFilterForm

PAGE_SIZE = 50


def _require_all_sales(request) -> None:
    if not selectors.can_view_all_sales(request.user):
        raise PermissionDenied


@require_safe
@login_required
def overview(request):
    # Queries: session, user, groups (3) + the overview's 12 (selectors.overview).
    _require_all_sales(request)
    period = selectors.period_from_params(request.GET)
    figures = selectors.overview(period)
    return render(
        request,
        "dashboards/overview.html",
        {**figures, "trend_charts": charts.trend_charts(figures["trend"])},
    )


@require_safe
@login_required
def session_list(request):
    # Queries: session, user, groups (3); filter choices (5); count, page, hosts (3).
    _require_all_sales(request)
    period = selectors.period_from_params(request.GET)
    form = SessionFilterForm(request.GET or None, choices=selectors.table_filter_choices())
    filters = form.filters() if form.is_bound else {}
    sessions = selectors.sessions_table(period, filters, request.GET.get("sort", "-date"))
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "dashboards/session_list.html",
        {
            "period": period,
            "form": form,
            "page": page,
            "rows": [selectors.session_row(session) for session in page.object_list],
            "sort": request.GET.get("sort", "-date"),
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
        },
    )


@require_safe
@login_required
def session_detail(request, session_id: int):
    # Queries: session, user, groups (3); the session with its roll-up, metrics and reported
    # totals (1) and hosts (1); the host check for hosts (1); selectors.session_page (5).
    try:
        session = selectors.session_detail(session_id)
    except selectors.Session.DoesNotExist:
        raise Http404 from None
    if session.channel is None or not selectors.can_view_session(request.user, session):
        raise PermissionDenied
    page = selectors.session_page(session)
    return render(
        request,
        "dashboards/session_detail.html",
        {
            **page,
            "bins_chart": charts.session_bins_chart(page),
            # The queues that resolve unmatched and ambiguous orders are bureau staff's.
            "can_resolve": is_bureau_staff(request.user),
        },
    )
