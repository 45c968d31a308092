"""Dashboard pages: check the role, call a selector, render. Figures come from roll-ups."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalog import selectors as catalog_selectors
from catalog.models import Base
from cooperatives.models import Cooperative
from core import exports
from core.roles import is_bureau_staff
from livestreams.models import Session

from . import charts, selectors, services, tables
from .forms import (
    ProgrammeTargetForm,
    ReportedTotalsForm,
    SessionFilterForm,
    month_from_param,
    period_from_params,
)
from .models import ProgrammeTarget
from .selectors.reported_totals import reported_totals_of
from .templatetags.dashboards import buyers_text

PAGE_SIZE = 50


@require_safe
@login_required
def overview(request):
    # Queries: session, user, groups (3) + the overview's 12 (selectors.overview); without
    # a period in the link, 1 more to find the latest month with sales.
    if "start" in request.GET or "end" in request.GET:
        period, earlier_month = period_from_params(request.GET), False
    else:
        period, earlier_month = selectors.default_period()
    # The bases (1 query): the page shows one base's figures, or every base's.
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    period = replace(period, base_id=base.pk if base else None)
    figures = selectors.overview(period, user=request.user)
    download = _download(request, "overview", tables.overview_tables(figures))
    if download is not None:
        return download
    return render(
        request,
        "dashboards/overview.html",
        {
            **figures,
            "trend_charts": charts.trend_charts(figures["trend"]),
            "channel_charts": charts.channel_sales_charts(figures["channel_sales"]),
            "period_query": _period_query(period, base),
            "bases": bases,
            "base": base,
            "earlier_month": earlier_month,
            "this_month": selectors.local_today() if earlier_month else None,
        },
    )


@require_safe
@login_required
def session_list(request):
    # Queries: session, user, groups (3); filter choices (5); the bases (1); count, page,
    # hosts (3).
    selectors.require_all_sales(request.user)
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    period = replace(period_from_params(request.GET), base_id=base.pk if base else None)
    form = SessionFilterForm(request.GET or None, choices=selectors.table_filter_choices())
    filters = form.filters() if form.is_bound else {}
    sessions = selectors.sessions_table(
        period, filters, request.GET.get("sort", "-date"), user=request.user
    )
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
            "bases": bases,
            "base": base,
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
    # totals (1) and hosts (1); the host check for hosts (1); selectors.session_page (6).
    try:
        session = selectors.session_detail(session_id, user=request.user)
    except Session.DoesNotExist:
        raise Http404 from None
    if session.channel is None:
        raise PermissionDenied
    page = selectors.session_page(session)
    download = _download(request, f"session-{session.pk}", tables.session_tables(page))
    if download is not None:
        return download
    return render(
        request,
        "dashboards/session_detail.html",
        {
            **page,
            "bins_chart": charts.session_bins_chart(page),
            # Read with the session (select_related): no query of its own.
            "reported_totals": getattr(session, "reported_totals", None),
            # The queues that resolve unmatched and ambiguous orders are bureau staff's.
            "can_resolve": is_bureau_staff(request.user),
        },
    )


def _sessions_download(sessions, file_format: str):
    header = [
        _("Start"),
        _("Session"),
        _("Platform"),
        _("Channel"),
        _("Room"),
        _("Hosts"),
        _("Currency"),
        _("Gross GMV"),
        _("Net GMV"),
        _("Orders"),
        _("Units"),
        _("Buyers"),
        _("Orders without a buyer id"),
        _("Views"),
        _("Conversion"),
        _("GPM"),
        _("Final"),
    ]
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


@require_safe
@login_required
def cooperative_list(request):
    """Officials and staff: every cooperative's sales over the period; a member is sent to
    their own cooperative's page."""
    # Queries: session, user, groups (3); the bases (1); the period's sales per cooperative
    # (1); the cooperatives (1).
    if not selectors.can_view_all_sales(request.user):
        if selectors.cooperatives_visible_to(request.user).exists():
            return redirect("dashboards:my-cooperative")
        raise PermissionDenied
    period, bases, base = _based_period(request)
    sort = request.GET.get("sort", "name")
    rows = selectors.cooperative_table(
        period, sort if sort in selectors.COOPERATIVE_SORTS else "name", user=request.user
    )
    download = _download(
        request, "cooperatives", tables.cooperative_list_tables(rows), default="cooperatives"
    )
    if download is not None:
        return download
    return render(
        request,
        "dashboards/cooperative_list.html",
        {
            "period": period,
            "rows": rows,
            "sort": sort,
            "period_query": _period_query(period, base),
            "bases": bases,
            "base": base,
        },
    )


COOPERATIVE_TABLES = {
    "months": ("month", "currency", "gross_gmv", "net_gmv", "unit_count", "order_count"),
    "products": ("product__name", "currency", "gross_gmv", "net_gmv", "unit_count"),
    "sessions": (
        "day",
        "session__title",
        "platform",
        "currency",
        "gross_gmv",
        "net_gmv",
        "unit_count",
    ),
}


@require_safe
@login_required
def cooperative_detail(request, cooperative_id: int):
    # Queries: session, user, groups (3); the cooperative, scoped to the user (1); months,
    # products and sessions (3).
    try:
        sales = selectors.cooperative_sales(cooperative_id, user=request.user)
    except Cooperative.DoesNotExist:
        raise Http404 from None
    cooperative = sales["cooperative"]
    table = request.GET.get("table")
    if request.GET.get("format") in exports.FORMATS and table in COOPERATIVE_TABLES:
        columns = COOPERATIVE_TABLES[table]
        titles = {
            "month": _("Month"),
            "currency": _("Currency"),
            "gross_gmv": _("Gross GMV"),
            "net_gmv": _("Net GMV"),
            "unit_count": _("Units"),
            "order_count": _("Orders"),
            "product__name": _("Product"),
            "day": _("Day"),
            "session__title": _("Session"),
            "platform": _("Platform"),
        }
        return exports.table_response(
            name=f"{cooperative.slug}-{table}",
            header=[titles[column] for column in columns],
            rows=([row[column] for column in columns] for row in sales[table]),
            file_format=request.GET["format"],
        )
    return render(
        request,
        "dashboards/cooperative_detail.html",
        {
            **sales,
            "charts": charts.cooperative_charts(sales["months"]),
            "can_view_all": selectors.can_view_all_sales(request.user),
        },
    )


HOST_COLUMNS = (
    "name",
    "currency",
    "sessions",
    "hours_on_air",
    "gross_gmv",
    "gmv_per_session",
    "gmv_per_hour",
    "orders",
    "views",
    "conversion",
    "interactions",
)


@require_safe
@login_required
def host_list(request):
    # Queries: session, user, groups (3); the bases (1); the period's session hosts with
    # their figures (1).
    period, bases, base = _based_period(request)
    hosts = selectors.host_comparison(period, user=request.user)
    if request.GET.get("format") in exports.FORMATS:
        titles = [
            _("Host"),
            _("Currency"),
            _("Sessions"),
            _("Hours on air"),
            _("Gross GMV"),
            _("GMV per session"),
            _("GMV per hour on air"),
            _("Orders"),
            _("Views"),
            _("Conversion"),
            _("Interactions"),
        ]
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
        {
            "period": period,
            "bases": bases,
            "base": base,
            "hosts": hosts,
            "query": query.urlencode(),
            "charts": charts.host_charts(hosts),
        },
    )


DELIVERY_COLUMNS = (
    "orders",
    "delivered",
    "delivered_rate",
    "returned",
    "returned_rate",
    "cancelled",
    "cancelled_rate",
    "in_progress",
)


@require_safe
@login_required
def deliveries(request):
    # Queries: session, user, groups (3); the bases (1); per provider and per product (2).
    period, bases, base = _based_period(request)
    rates = selectors.delivery_rates(period, user=request.user)
    table = request.GET.get("table")
    if request.GET.get("format") in exports.FORMATS and table in ("providers", "products"):
        first = "shipping_provider" if table == "providers" else "product__name"
        titles = [
            _("Shipping provider") if table == "providers" else _("Product"),
            _("Orders"),
            _("Delivered"),
            _("Delivered share"),
            _("Returned"),
            _("Returned share"),
            _("Cancelled"),
            _("Cancelled share"),
            _("In progress"),
        ]
        return exports.table_response(
            name=f"deliveries-{table}",
            header=titles,
            rows=([entry[first], *(entry[c] for c in DELIVERY_COLUMNS)] for entry in rates[table]),
            file_format=request.GET["format"],
        )
    return render(
        request,
        "dashboards/deliveries.html",
        {
            "period": period,
            "period_query": _period_query(period, base),
            "bases": bases,
            "base": base,
            **rates,
        },
    )


@require_safe
@login_required
def monthly_report(request):
    # Queries: session, user, groups (3); KPIs (4) and rankings (4) of selectors.overview.
    month = month_from_param(request.GET.get("month"))
    # The bases (1 query): one base's report, or every base's.
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    figures = selectors.monthly_report(month, user=request.user, base_id=base.pk if base else None)
    period = replace(selectors.Period.month_of(month), base_id=base.pk if base else None)
    download = _download(request, f"report-{month:%Y-%m}", tables.monthly_report_tables(figures))
    if download is not None:
        return download
    return render(
        request,
        "dashboards/monthly_report.html",
        {
            "period": period,
            "previous_period": period.previous(),
            "month": month,
            "period_query": f"month={month:%Y-%m}" + (f"&base={base.slug}" if base else ""),
            "bases": bases,
            "base": base,
            **figures,
        },
    )


def _download(request, name: str, tables: dict, *, default: str | None = None):
    """The table asked for by `table` as CSV or XLSX (`format`); None when the request is
    for the page itself."""
    file_format = request.GET.get("format")
    table = request.GET.get("table", default)
    if file_format not in exports.FORMATS or table not in tables:
        return None
    built = tables[table]()
    return exports.table_response(
        name=f"{name}-{table}", header=built.header, rows=built.rows, file_format=file_format
    )


PROGRAMME_SECTIONS = (
    ("district", _lazy("By district of origin")),
    ("commune", _lazy("By commune of origin")),
    ("category", _lazy("By category")),
    ("platform", _lazy("By platform")),
    ("stars", _lazy("By OCOP rating")),
)
CAPACITY_SECTIONS = (
    ("all", _lazy("Whole base")),
    ("district", _lazy("By district of origin")),
    ("category", _lazy("By category")),
    ("stars", _lazy("By OCOP rating")),
)


@require_safe
@login_required
def programme(request):
    # Queries: session, user, groups (3); product roll-ups, OCOP ratings, capacities and
    # targets (4); with targets, their months' sales (1); the bases (1).
    period, bases, base = _based_period(request)
    rollup = selectors.programme_rollup(period, user=request.user)
    download = _download(request, "programme", tables.programme_tables(rollup))
    if download is not None:
        return download
    return render(
        request,
        "dashboards/programme.html",
        {
            "period": period,
            "period_query": _period_query(period, base),
            "bases": bases,
            "base": base,
            "sections": [(key, title, rollup[key]) for key, title in PROGRAMME_SECTIONS],
            "capacity": [(key, title, rollup["capacity"][key]) for key, title in CAPACITY_SECTIONS],
            "plan": rollup["plan"],
            "can_set_targets": is_bureau_staff(request.user),
            "charts": charts.programme_charts(rollup),
        },
    )


def _based_period(request) -> tuple[selectors.Period, list[Base], Base | None]:
    """The period asked for, of the base asked for (the reader's own by default), with the
    bases to choose from. Queries: 1 (the bases)."""
    bases, base = catalog_selectors.base_choice(request.user, request.GET.get("base"))
    period = replace(period_from_params(request.GET), base_id=base.pk if base else None)
    return period, bases, base


def _period_query(period, base: Base | None = None) -> str:
    query = f"start={period.start.isoformat()}&end={period.end.isoformat()}"
    return f"{query}&base={base.slug}" if base is not None else query


@require_safe
@login_required
def target_list(request):
    # Queries: session, user, groups (3); the targets with their categories (1).
    targets = selectors.programme_targets(user=request.user)
    download = _download(request, "programme", tables.target_tables(targets), default="targets")
    if download is not None:
        return download
    return render(
        request,
        "dashboards/target_list.html",
        {"targets": targets, "can_set_targets": is_bureau_staff(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def target_edit(request, target_id: int | None = None):
    """Bureau staff set a month's target; officials read the targets but change none."""
    if not is_bureau_staff(request.user):
        raise PermissionDenied
    target = (
        get_object_or_404(selectors.programme_targets(user=request.user), pk=target_id)
        if target_id
        else ProgrammeTarget()
    )
    form = ProgrammeTargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_programme_target(target=form.instance, set_by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("dashboards:target-list")
    return render(request, "dashboards/target_form.html", {"form": form, "target": target})


@require_POST
@login_required
def target_delete(request, target_id: int):
    if not is_bureau_staff(request.user):
        raise PermissionDenied
    target = get_object_or_404(selectors.programme_targets(user=request.user), pk=target_id)
    services.delete_programme_target(target=target)
    messages.success(request, _("Target deleted."))
    return redirect("dashboards:target-list")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def session_totals(request, session_id: int):
    """Bureau staff enter the totals the platform reports for a session (#13); each figure is
    optional, and an empty one stays unknown (shown as "not reported", never 0)."""
    # Queries: session, user, groups (3); the session with its channel and totals (1).
    if not is_bureau_staff(request.user):
        raise PermissionDenied
    try:
        session, totals = reported_totals_of(session_id, user=request.user)
    except Session.DoesNotExist:
        raise Http404 from None
    if session.channel is None:
        raise Http404
    # Bound on every POST: a form with every figure left empty is valid (all unknown).
    form = ReportedTotalsForm(request.POST if request.method == "POST" else None, instance=totals)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_reported_totals(
                session=session,
                **{name: form.cleaned_data[name] for name in services.REPORTED_FIGURES},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Platform totals saved."))
            return redirect("dashboards:session-detail", session_id=session.pk)
    return render(
        request, "dashboards/session_totals_form.html", {"session": session, "form": form}
    )
