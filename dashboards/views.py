"""Dashboard pages: check the role, call a selector, render. Figures come from roll-ups."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import charts, selectors


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
