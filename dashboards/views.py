"""Dashboard pages: check the role, call a selector, render. Figures come from roll-ups."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.roles import is_bureau_staff

from . import charts, exports, selectors
from .forms import SessionFilterForm
from .templatetags.dashboards import buyers_text

PAGE_SIZE = 50


def _require_all_sales(request) -> None:
    if not selectors.can_view_all_sales(request.user):
        raise PermissionDenied


@require_safe
@login_required
def overview(request):
    # Queries: session, user, groups (3) + the overview's 11 (selectors.overview).
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
    if request.GET.get("format") in exports.FORMATS:
        return _sessions_download(sessions, request.GET["format"])
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


def _sessions_download(sessions, file_format: str):
    header = [_("Start"), _("Session"), _("Platform"), _("Channel"), _("Room"), _("Hosts"),
              _("Currency"), _("Gross GMV"), _("Net GMV"), _("Orders"), _("Units"), _("Buyers"),
              _("Orders without a buyer id"), _("Views"), _("Conversion"), _("GPM"),
              _("Final")]  # fmt: skip
    rows = (
        [
            row["session"].starts_at.isoformat(),
            row["session"].title,
            row["session"].channel.get_platform_display(),
            row["session"].channel.name,
            row["session"].room.name,
            ", ".join(host.display_name for host in row["session"].hosts.all()),
            row["currency"],
            row["gross_gmv"],
            row["net_gmv"],
            row["orders"],
            row["units"],
            # A number when every order named its buyer; "unknown" or "at least N" otherwise.
            row["buyers"]
            if not row["buyers_partial"] and row["buyers"] is not None
            else buyers_text(row["buyers"], row["buyers_partial"]),
            row["orders_without_buyer"],
            row["views"],
            row["conversion"],
            row["gpm"],
            _("yes") if row["is_final"] else _("no"),
        ]
        for row in map(selectors.session_row, sessions)
    )
    return exports.table_response(
        name="sessions", header=header, rows=rows, file_format=file_format
    )


@require_safe
@login_required
def my_cooperative(request):
    """A member's own cooperative page (the first, for the rare member of several)."""
    cooperative = selectors.cooperatives_visible_to(request.user).order_by("name").first()
    if cooperative is None:
        raise Http404
    return redirect("dashboards:cooperative-detail", cooperative_id=cooperative.pk)


COOPERATIVE_TABLES = {
    "months": ("month", "currency", "gross_gmv", "net_gmv", "unit_count", "order_count"),
    "products": ("product__name", "currency", "gross_gmv", "net_gmv", "unit_count"),
    "sessions": ("day", "session__title", "platform", "currency", "gross_gmv", "net_gmv",
                 "unit_count"),
}  # fmt: skip


@require_safe
@login_required
def cooperative_detail(request, cooperative_id: int):
    # Queries: session, user, groups (3); the cooperative, scoped to the user (1); months,
    # products and sessions (3).
    cooperative = get_object_or_404(
        selectors.cooperatives_visible_to(request.user), pk=cooperative_id
    )
    sales = selectors.cooperative_sales(cooperative.pk)
    table = request.GET.get("table")
    if request.GET.get("format") in exports.FORMATS and table in COOPERATIVE_TABLES:
        columns = COOPERATIVE_TABLES[table]
        titles = {
            "month": _("Month"), "currency": _("Currency"), "gross_gmv": _("Gross GMV"),
            "net_gmv": _("Net GMV"), "unit_count": _("Units"), "order_count": _("Orders"),
            "product__name": _("Product"), "day": _("Day"), "session__title": _("Session"),
            "platform": _("Platform"),
        }  # fmt: skip
        return exports.table_response(
            name=f"{cooperative.slug}-{table}",
            header=[titles[column] for column in columns],
            rows=([row[column] for column in columns] for row in sales[table]),
            file_format=request.GET["format"],
        )
    return render(
        request, "dashboards/cooperative_detail.html", {"cooperative": cooperative, **sales}
    )


HOST_COLUMNS = ("name", "currency", "sessions", "hours_on_air", "gross_gmv", "gmv_per_session",
                "gmv_per_hour", "orders", "views", "conversion", "interactions")  # fmt: skip


@require_safe
@login_required
def host_list(request):
    # Queries: session, user, groups (3); the period's session hosts with their figures (1).
    _require_all_sales(request)
    period = selectors.period_from_params(request.GET)
    hosts = selectors.host_comparison(period)
    if request.GET.get("format") in exports.FORMATS:
        titles = [_("Host"), _("Currency"), _("Sessions"), _("Hours on air"), _("Gross GMV"),
                  _("GMV per session"), _("GMV per hour on air"), _("Orders"), _("Views"),
                  _("Conversion"), _("Interactions")]  # fmt: skip
        return exports.table_response(
            name="hosts",
            header=titles,
            rows=([entry[column] for column in HOST_COLUMNS] for entry in hosts),
            file_format=request.GET["format"],
        )
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "dashboards/host_list.html",
        {"period": period, "hosts": hosts, "query": query.urlencode()},
    )


DELIVERY_COLUMNS = ("orders", "delivered", "delivered_rate", "returned", "returned_rate",
                    "cancelled", "cancelled_rate", "in_progress")  # fmt: skip


@require_safe
@login_required
def deliveries(request):
    # Queries: session, user, groups (3); per provider and per product (2).
    _require_all_sales(request)
    period = selectors.period_from_params(request.GET)
    rates = selectors.delivery_rates(period)
    table = request.GET.get("table")
    if request.GET.get("format") in exports.FORMATS and table in ("providers", "products"):
        first = "shipping_provider" if table == "providers" else "product__name"
        titles = [_("Shipping provider") if table == "providers" else _("Product"), _("Orders"),
                  _("Delivered"), _("Delivered share"), _("Returned"), _("Returned share"),
                  _("Cancelled"), _("Cancelled share"), _("In progress")]  # fmt: skip
        return exports.table_response(
            name=f"deliveries-{table}",
            header=titles,
            rows=([entry[first], *(entry[c] for c in DELIVERY_COLUMNS)] for entry in rates[table]),
            file_format=request.GET["format"],
        )
    return render(request, "dashboards/deliveries.html", {"period": period, **rates})


@require_safe
@login_required
def monthly_report(request):
    # Queries: session, user, groups (3); KPIs (4) and rankings (4) of selectors.overview.
    _require_all_sales(request)
    month = selectors.month_from_param(request.GET.get("month"))
    period = selectors.Period.month_of(month)
    return render(
        request,
        "dashboards/monthly_report.html",
        {
            "period": period,
            "previous_period": period.previous(),
            "month": month,
            "kpis": selectors.period_kpis(period),
            "top_products": selectors.top_products(period, limit=10),
            "top_cooperatives": selectors.top_cooperatives(period, limit=10),
            "top_hosts": selectors.top_hosts(period),
            "top_channels": selectors.top_channels(period),
        },
    )


@require_safe
@login_required
def programme(request):
    # Queries: session, user, groups (3); product roll-ups and OCOP ratings (2).
    _require_all_sales(request)
    period = selectors.period_from_params(request.GET)
    rollup = selectors.programme_rollup(period)
    dimension = request.GET.get("table")
    if request.GET.get("format") in exports.FORMATS and dimension in rollup:
        return exports.table_response(
            name=f"programme-{dimension}",
            header=[
                _("Group"),
                _("Currency"),
                _("Gross GMV"),
                _("Net GMV"),
                _("Units"),
                _("Products"),
            ],  # fmt: skip
            rows=(
                [
                    entry["value"],
                    entry["currency"],
                    entry["gross_gmv"],
                    entry["net_gmv"],
                    entry["unit_count"],
                    entry["products"],
                ]
                for entry in rollup[dimension]
            ),  # fmt: skip
            file_format=request.GET["format"],
        )
    sections = [
        ("district", _("By district of origin")),
        ("commune", _("By commune of origin")),
        ("category", _("By category")),
        ("platform", _("By platform")),
        ("stars", _("By OCOP rating")),
    ]
    return render(
        request,
        "dashboards/programme.html",
        {"period": period, "sections": [(key, title, rollup[key]) for key, title in sections]},
    )
