"""Read-only report endpoints: the same selectors and permissions as the pages."""

from dataclasses import replace

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors as catalog_selectors
from cooperatives.models import Cooperative
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL
from livestreams.models import Session

from .. import selectors, services
from ..forms import SessionFilterForm, period_from_params
from ..models import ProgrammeTarget
from ..selectors.reported_totals import reported_totals_of
from .serializers import (
    OverviewSerializer,
    ProgrammeTargetSerializer,
    ReportedTotalsSerializer,
    cooperative_sales_data,
    figures_data,
    session_page_data,
    session_row_data,
)

PERIOD_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: this month)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, included"),
    OpenApiParameter(
        "base",
        OpenApiTypes.STR,
        description="A base's slug, or `all` (default: the reader's own base, else all)",
    ),
]
SESSION_PARAMETERS = [
    *PERIOD_PARAMETERS,
    *(OpenApiParameter(name, OpenApiTypes.STR) for name in selectors.SESSION_FILTERS),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=sorted(selectors.SESSION_SORTS)),
]


def _based_period(request) -> selectors.Period:
    """The period asked for, of the base asked for (the reader's own by default, as on the
    pages). Queries: 1 (the bases)."""
    _bases, base = catalog_selectors.base_choice(request.user, request.query_params.get("base"))
    return replace(period_from_params(request.query_params), base_id=base.pk if base else None)


class ReportView(APIView):
    """Reports are read-only for everyone: no role may write through them."""

    read_roles = (BUREAU_STAFF, OFFICIAL)
    write_roles = ()
    serializer_class = OverviewSerializer


class OverviewReportView(ReportView):
    """The overview's KPIs, trend and rankings for a period (`start`, `end`), per currency."""

    @extend_schema(
        operation_id="reports_overview", parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        period = _based_period(request)
        return Response(OverviewSerializer(selectors.overview(period, user=request.user)).data)


class SessionsReportView(ReportView):
    """The sessions table: filtered, sorted and paged like the page."""

    @extend_schema(
        operation_id="reports_sessions_list",
        parameters=SESSION_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        selectors.require_all_sales(request.user)
        period = _based_period(request)
        form = SessionFilterForm(request.query_params, choices=selectors.table_filter_choices())
        sessions = selectors.sessions_table(
            period, form.filters(), request.query_params.get("sort", "-date"), user=request.user
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(sessions, request, view=self)
        return paginator.get_paginated_response(
            [session_row_data(selectors.session_row(session)) for session in page]
        )


class SessionReportView(ReportView):
    """One session's figures: KPIs, five-minute bins, line-up, cooperatives, platform totals."""

    read_roles = (BUREAU_STAFF, OFFICIAL, HOST)

    @extend_schema(operation_id="reports_session_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        # Refused before the lookup: the answer says nothing of whether the session exists.
        try:
            session = selectors.session_detail(pk, user=request.user)
        except Session.DoesNotExist:
            raise NotFound from None
        if session.channel is None:
            raise PermissionDenied
        return Response(session_page_data(selectors.session_page(session)))


class CooperativesReportView(ReportView):
    """Every approved cooperative's sales over a period, one row per currency it sold in."""

    @extend_schema(
        operation_id="reports_cooperatives_list",
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(selectors.COOPERATIVE_SORTS)),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        period = _based_period(request)
        sort = request.query_params.get("sort", "name")
        rows = selectors.cooperative_table(
            period, sort if sort in selectors.COOPERATIVE_SORTS else "name", user=request.user
        )
        return Response({"cooperatives": _rows(rows)})


class CooperativeReportView(ReportView):
    """A cooperative's sales per month, product and session; members read their own only."""

    read_roles = (BUREAU_STAFF, OFFICIAL, COOPERATIVE_MEMBER)

    @extend_schema(operation_id="reports_cooperative_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        try:
            sales = selectors.cooperative_sales(pk, user=request.user)
        except Cooperative.DoesNotExist:
            raise NotFound from None
        return Response(cooperative_sales_data(sales["cooperative"], sales))


def _rows(rows: list[dict]) -> list[dict]:
    return [figures_data(row) for row in rows]


class HostsReportView(ReportView):
    """Hosts and KOLs compared over a period, per currency."""

    @extend_schema(
        operation_id="reports_hosts", parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        period = _based_period(request)
        return Response({"hosts": _rows(selectors.host_comparison(period, user=request.user))})


class DeliveriesReportView(ReportView):
    """Delivered, returned and cancelled shares per shipping provider and per product."""

    @extend_schema(
        operation_id="reports_deliveries",
        parameters=PERIOD_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        period = _based_period(request)
        rates = selectors.delivery_rates(period, user=request.user)
        return Response({name: _rows(rows) for name, rows in rates.items()})


class ProgrammeReportView(ReportView):
    """Sales by district, commune, category, platform and OCOP rating, per currency."""

    @extend_schema(
        operation_id="reports_programme",
        parameters=PERIOD_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        period = _based_period(request)
        rollup = selectors.programme_rollup(period, user=request.user)
        return Response(
            {
                **{name: _rows(rollup[name]) for name in selectors.PROGRAMME_DIMENSIONS},
                "capacity": {name: _rows(rows) for name, rows in rollup["capacity"].items()},
                "plan": _rows(rollup["plan"]),
            }
        )


class ProgrammeTargetViewSet(viewsets.ModelViewSet):
    """Monthly programme targets: bureau staff set them, officials read them."""

    read_roles = (BUREAU_STAFF, OFFICIAL)
    write_roles = (BUREAU_STAFF,)
    queryset = ProgrammeTarget.objects.none()  # for the schema; get_queryset gives the rows
    serializer_class = ProgrammeTargetSerializer
    filterset_fields = ["dimension", "currency", "month"]
    ordering_fields = ["month"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built with no user
            return ProgrammeTarget.objects.none()
        return selectors.programme_targets(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._save(ProgrammeTarget(), serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_programme_target(target=instance)

    def _save(self, target: ProgrammeTarget, data: dict) -> ProgrammeTarget:
        for name, value in data.items():
            setattr(target, name, value)
        return services.save_programme_target(target=target, set_by=self.request.user)


class SessionTotalsView(APIView):
    """The totals the platform's own dashboard reports for a session (#13). Bureau staff set
    them (PUT: every figure, a missing one becomes unknown; PATCH: those given); officials
    read them. Null is "not reported", never zero; with none entered every figure is null."""

    read_roles = (BUREAU_STAFF, OFFICIAL)
    write_roles = (BUREAU_STAFF,)
    serializer_class = ReportedTotalsSerializer

    def _load(self, pk: int):
        try:
            session, totals = reported_totals_of(pk, user=self.request.user)
        except Session.DoesNotExist:
            raise NotFound from None
        if session.channel is None:
            raise NotFound
        return session, totals

    def _answer(self, session, totals) -> Response:
        return Response(
            ReportedTotalsSerializer(
                {
                    "session": session.pk,
                    "currency": session.channel.currency,
                    **{name: getattr(totals, name, None) for name in services.REPORTED_FIGURES},
                    "entered_at": getattr(totals, "entered_at", None),
                }
            ).data
        )

    @extend_schema(
        operation_id="reports_session_platform_totals_retrieve",
        responses=ReportedTotalsSerializer,
    )
    def get(self, request, pk: int):
        return self._answer(*self._load(pk))

    @extend_schema(
        operation_id="reports_session_platform_totals_update",
        request=ReportedTotalsSerializer,
        responses=ReportedTotalsSerializer,
    )
    def put(self, request, pk: int):
        return self._save(request, pk, partial=False)

    @extend_schema(
        operation_id="reports_session_platform_totals_partial_update",
        request=ReportedTotalsSerializer,
        responses=ReportedTotalsSerializer,
    )
    def patch(self, request, pk: int):
        return self._save(request, pk, partial=True)

    def _save(self, request, pk: int, *, partial: bool) -> Response:
        session, _totals = self._load(pk)
        serializer = ReportedTotalsSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        figures = (
            {name: data[name] for name in services.REPORTED_FIGURES if name in data}
            if partial
            else {name: data.get(name) for name in services.REPORTED_FIGURES}
        )
        totals = services.save_reported_totals(session=session, **figures)
        return self._answer(session, totals)
