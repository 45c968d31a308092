"""API of the live-sessions app. Reads are scoped per role by the selectors; writes are staff's
(RolePermission), except a session's figures, which its own hosts may enter too."""

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from catalog.models import Channel
from cooperatives.models import Cooperative
from cooperatives.selectors import member_cooperative_ids
from core.filters import UtcIsoDateTimeFilter
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, has_role, is_bureau_staff

from .. import selectors, services
from ..models import (
    Host,
    LineupItem,
    MeetingBooking,
    Room,
    Session,
    SessionMetrics,
    TrainingAttendance,
)
from .serializers import (
    AttendedInput,
    ChannelSerializer,
    MeetingBookingSerializer,
    MeetingInput,
    RoomSerializer,
    SessionInput,
    SessionMetricsSerializer,
    SessionSerializer,
    TrainingAttendanceChange,
    TrainingAttendanceInput,
    TrainingAttendanceSerializer,
    host_serializer_for,
)


class OnAirInput(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)


class ChannelViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Channel.objects.none()  # for the schema; get_queryset gives the rows
    serializer_class = ChannelSerializer
    filterset_fields = ["platform", "currency", "owner_kind", "is_active"]

    def get_queryset(self):
        return selectors.channels()


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Room.objects.none()
    serializer_class = RoomSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.rooms()


class HostViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Host.objects.none()
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.hosts_visible_to(self.request.user)

    def get_serializer_class(self):
        return host_serializer_for(self.request.user)


class SessionFilter(django_filters.FilterSet):
    starts_after = UtcIsoDateTimeFilter(
        field_name="scheduled_end", lookup_expr="gt", label="Ends after (ISO 8601)"
    )
    starts_before = UtcIsoDateTimeFilter(
        field_name="scheduled_start", lookup_expr="lt", label="Starts before (ISO 8601)"
    )
    room = django_filters.ModelChoiceFilter(
        queryset=Room.objects.all(), to_field_name="slug", field_name="room"
    )
    channel = django_filters.ModelChoiceFilter(
        queryset=Channel.objects.all(), to_field_name="slug", field_name="channel"
    )
    # A host is on a session at most once, so this join adds no duplicates.
    host = django_filters.ModelChoiceFilter(
        queryset=Host.objects.all(), field_name="session_hosts__host"
    )

    class Meta:
        model = Session
        fields = ["status", "kind", "is_rehearsal"]


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sessions with their hosts and line-up. Staff write; sessions are cancelled, not deleted."""

    queryset = Session.objects.none()
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["scheduled_start", "title"]
    write_roles = (BUREAU_STAFF,)

    def get_queryset(self):
        user = self.request.user
        lineup = LineupItem.objects.select_related("product").order_by("position")
        cooperatives = selectors.lineup_cooperatives_visible_to(user)
        if cooperatives is not None:
            lineup = lineup.filter(product__cooperative_id__in=cooperatives)
        return (
            selectors.with_listing_relations(selectors.sessions_visible_to(user))
            .prefetch_related(Prefetch("lineup", queryset=lineup))
            .order_by("scheduled_start", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return SessionInput
        return SessionSerializer

    def _answer(self, session: Session, code=status.HTTP_200_OK, warnings=()) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        data = SessionSerializer(fresh, context=self.get_serializer_context()).data
        if warnings:
            data["warnings"] = list(warnings)
        return Response(data, status=code)

    @extend_schema(request=SessionInput, responses=SessionSerializer)
    def create(self, request, *args, **kwargs):
        data = self._validated(request)
        session, warnings = services.save_session(
            session=None,
            fields={
                name: data[name] for name in (*services.SESSION_FIELDS, "status") if name in data
            },
            hosts=[(place["host"], place["role"]) for place in data.get("hosts", [])],
            lineup=self._lineup(data),
        )
        return self._answer(session, status.HTTP_201_CREATED, warnings)

    @extend_schema(request=SessionInput, responses=SessionSerializer)
    def update(self, request, *args, **kwargs):
        session = self.get_object()
        data = self._validated(request, partial=kwargs.get("partial", False))
        session, warnings = services.save_session(
            session=session,
            fields={name: data[name] for name in services.SESSION_FIELDS if name in data},
            hosts=[(place["host"], place["role"]) for place in data["hosts"]]
            if "hosts" in data
            else None,
            lineup=self._lineup(data),
        )
        return self._answer(session, warnings=warnings)

    def _validated(self, request, partial: bool = False) -> dict:
        serializer = SessionInput(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _lineup(self, data: dict) -> list[services.PlannedItem] | None:
        if "lineup" not in data:
            return None
        return [
            services.PlannedItem(
                product=row["product"],
                planned_minutes=row["planned_minutes"],
                promo_price=row.get("promo_price"),
                allocated_stock=row.get("allocated_stock"),
                talking_points=row.get("talking_points", ""),
            )
            for row in data["lineup"]
        ]

    def _move(self, request, move) -> Response:
        session = self.get_object()
        move(session=session)
        return self._answer(session)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(request, services.publish_session)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._move(request, services.cancel_session)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._move(request, services.start_session)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._move(request, services.end_session)

    def _check_runs(self, session: Session) -> None:
        """Staff run every session; a host only the sessions they are on."""
        if is_bureau_staff(self.request.user):
            return
        if not (
            has_role(self.request.user, HOST)
            and session.session_hosts.filter(host__user=self.request.user).exists()
        ):
            raise PermissionDenied

    def _air(self, request, mark) -> Response:
        session = self.get_object()
        self._check_runs(session)
        if session.status != Session.Status.LIVE:
            return Response(
                {"detail": [_("Products go on air only while the session is live.")]},
                status=status.HTTP_409_CONFLICT,
            )
        serializer = OnAirInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = get_object_or_404(session.lineup.all(), pk=serializer.validated_data["item"])
        changed = mark(item=item)
        item.refresh_from_db()
        return Response(
            {
                "changed": changed,
                "item": item.pk,
                "on_air_started_at": item.on_air_started_at,
                "on_air_ended_at": item.on_air_ended_at,
            }
        )

    @extend_schema(request=OnAirInput, responses=None)
    @action(detail=True, methods=["post"], url_path="on-air", write_roles=(BUREAU_STAFF, HOST))
    def on_air(self, request, pk=None):
        """Mark a line-up product on air now (the product before it goes off air)."""
        return self._air(request, services.mark_on_air)

    @extend_schema(request=OnAirInput, responses=None)
    @action(detail=True, methods=["post"], url_path="off-air", write_roles=(BUREAU_STAFF, HOST))
    def off_air(self, request, pk=None):
        return self._air(request, services.mark_off_air)

    @extend_schema(request=SessionMetricsSerializer, responses=SessionMetricsSerializer)
    @action(
        detail=True,
        methods=["get", "put"],
        serializer_class=SessionMetricsSerializer,
        # RolePermission lets hosts through; the check below keeps them to their own sessions.
        write_roles=(BUREAU_STAFF, HOST),
    )
    def metrics(self, request, pk=None):
        session = self.get_object()
        if request.method == "GET":
            metrics = SessionMetrics.objects.filter(session=session).first()
            if metrics is None:
                raise NotFound
            return Response(SessionMetricsSerializer(metrics).data)
        self._check_runs(session)
        serializer = SessionMetricsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        metrics = services.record_session_metrics(
            session=session,
            entered_by=request.user,
            source=SessionMetrics.Source.API,
            views_basis=data.pop("views_basis", None),
            precision=data.pop("precision", None),
            **data,
        )
        return Response(SessionMetricsSerializer(metrics).data)


class MeetingFilter(django_filters.FilterSet):
    starts_after = UtcIsoDateTimeFilter(
        field_name="session__scheduled_end", lookup_expr="gt", label="Ends after (ISO 8601)"
    )
    starts_before = UtcIsoDateTimeFilter(
        field_name="session__scheduled_start", lookup_expr="lt", label="Starts before (ISO 8601)"
    )
    room = django_filters.ModelChoiceFilter(
        queryset=Room.objects.all(), to_field_name="slug", field_name="session__room"
    )
    status = django_filters.ChoiceFilter(
        choices=Session.Status.choices, field_name="session__status"
    )

    class Meta:
        model = MeetingBooking
        fields = ["outcome"]


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Buyer meetings: sessions of kind meeting with the negotiation and its outcome."""

    queryset = MeetingBooking.objects.none()
    serializer_class = MeetingBookingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user)

    @extend_schema(request=MeetingInput, responses=MeetingBookingSerializer)
    def create(self, request, *args, **kwargs):
        serializer = MeetingInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        booking = services.book_meeting(
            title=data["title"],
            room=data["room"],
            scheduled_start=data["scheduled_start"],
            scheduled_end=data["scheduled_end"],
            hosts=[(place["host"], place["role"]) for place in data.get("hosts", [])],
            buyer_organisation=data["buyer_organisation"],
            buyer_contact=data.get("buyer_contact", ""),
            cooperatives=data.get("cooperatives", []),
            outcome=data.get("outcome", MeetingBooking.Outcome.PENDING),
            agreement_value=data.get("agreement_value"),
            agreement_currency=data.get("agreement_currency", ""),
            outcome_notes=data.get("outcome_notes", ""),
        )
        booking = get_object_or_404(self.get_queryset(), pk=booking.pk)
        return Response(MeetingBookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingInput, responses=MeetingBookingSerializer)
    def update(self, request, *args, **kwargs):
        """Records the outcome; times and room are changed on the session."""
        booking = self.get_object()
        serializer = MeetingInput(booking, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.record_meeting_outcome(
            booking=booking,
            outcome=data.get("outcome", booking.outcome),
            agreement_value=data.get("agreement_value", booking.agreement_value),
            agreement_currency=data.get("agreement_currency", booking.agreement_currency),
            outcome_notes=data.get("outcome_notes", booking.outcome_notes),
            cooperatives=data.get("cooperatives"),
        )
        booking = get_object_or_404(self.get_queryset(), pk=booking.pk)
        return Response(MeetingBookingSerializer(booking).data)


class TrainingAttendanceFilter(django_filters.FilterSet):
    class Meta:
        model = TrainingAttendance
        fields = ["session", "cooperative", "attended"]


class TrainingAttendanceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Sign-ups for trainings and who came. Staff manage every row; a cooperative member
    signs up their own cooperative's people (within the room's capacity, before the start),
    renames or withdraws them, and sees no other cooperative's rows. Only staff mark who came.
    """

    queryset = TrainingAttendance.objects.none()
    serializer_class = TrainingAttendanceSerializer
    filterset_class = TrainingAttendanceFilter
    ordering_fields = ["attendee_name"]
    write_roles = (BUREAU_STAFF, COOPERATIVE_MEMBER)

    def get_queryset(self):
        return selectors.attendances_visible_to(self.request.user)

    def _answer(self, attendance: TrainingAttendance, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=attendance.pk)
        return Response(TrainingAttendanceSerializer(fresh).data, status=code)

    @extend_schema(request=TrainingAttendanceInput, responses=TrainingAttendanceSerializer)
    def create(self, request, *args, **kwargs):
        serializer = TrainingAttendanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if is_bureau_staff(user):
            if "cooperative" not in data or "attendee_name" not in data:
                raise serializers.ValidationError(
                    {"cooperative": [_("Staff name the cooperative and the attendee.")]}
                )
            attendance = services.record_attendance(
                session=data["session"],
                cooperative=data["cooperative"],
                attendee_name=data["attendee_name"],
                attended=data.get("attended", False),
            )
            return self._answer(attendance, status.HTTP_201_CREATED)
        if "attended" in data:
            raise PermissionDenied(_("Only the bureau records who came."))
        attendance = services.sign_up_for_training(
            session=data["session"],
            cooperative=self._own_cooperative(data.get("cooperative")),
            attendee_name=data.get("attendee_name") or user.get_full_name() or user.username,
            user=user if "attendee_name" not in data else None,
        )
        return self._answer(attendance, status.HTTP_201_CREATED)

    def _own_cooperative(self, cooperative: Cooperative | None) -> Cooperative:
        own = member_cooperative_ids(self.request.user)
        if cooperative is None:
            if len(own) != 1:
                raise serializers.ValidationError(
                    {"cooperative": [_("Say which of your cooperatives signs up.")]}
                )
            return Cooperative.objects.get(pk=next(iter(own)))
        if cooperative.pk not in own:
            raise PermissionDenied(_("You sign up only your own cooperative's people."))
        return cooperative

    @extend_schema(request=TrainingAttendanceChange, responses=TrainingAttendanceSerializer)
    def update(self, request, *args, **kwargs):
        attendance = self.get_object()
        serializer = TrainingAttendanceChange(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "attended" in data:
            if not is_bureau_staff(request.user):
                raise PermissionDenied(_("Only the bureau records who came."))
            services.mark_attended(attendance=attendance, attended=data["attended"])
        if "attendee_name" in data and data["attendee_name"] != attendance.attendee_name:
            services.rename_attendee(attendance=attendance, attendee_name=data["attendee_name"])
        return self._answer(attendance)

    def destroy(self, request, *args, **kwargs):
        attendance = self.get_object()
        services.withdraw_from_training(
            attendance=attendance, any_time=is_bureau_staff(request.user)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=AttendedInput, responses=TrainingAttendanceSerializer)
    @action(detail=True, methods=["post"], write_roles=(BUREAU_STAFF,))
    def attended(self, request, pk=None):
        """Mark whether this person came (staff)."""
        attendance = self.get_object()
        serializer = AttendedInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.mark_attended(
            attendance=attendance, attended=serializer.validated_data["attended"]
        )
        return self._answer(attendance)
