"""Explicit fields for every endpoint; writes go through input serializers and the services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog.models import Channel, Product
from cooperatives.models import Cooperative
from core.roles import is_bureau_staff

from ..models import (
    Host,
    HostHandle,
    LineupItem,
    MeetingBooking,
    Room,
    Session,
    SessionHost,
    SessionMetrics,
    TrainingAttendance,
    check_live_room_url,
)
from ..services.metrics import FIGURE_FIELDS


class ChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Channel
        fields = [
            "id",
            "slug",
            "platform",
            "name",
            "handle",
            "shop_id",
            "currency",
            "time_zone",
            "owner_kind",
            "owner_cooperative",
            "owner_name",
            "is_active",
        ]


class RoomSerializer(serializers.ModelSerializer):
    floor = serializers.IntegerField(source="zone.floor", read_only=True)
    zone = serializers.CharField(source="zone.code", read_only=True)

    class Meta:
        model = Room
        fields = ["id", "slug", "name", "kind", "zone", "floor", "capacity", "equipment", "photo"]


class HostHandleSerializer(serializers.ModelSerializer):
    class Meta:
        model = HostHandle
        fields = ["platform", "handle"]


class HostSerializer(serializers.ModelSerializer):
    handles = HostHandleSerializer(many=True, read_only=True)

    class Meta:
        model = Host
        fields = ["id", "display_name", "kind", "follower_count", "handles", "cooperative"]


class HostWithContactSerializer(HostSerializer):
    """Staff also see how to reach a host."""

    class Meta(HostSerializer.Meta):
        fields = [*HostSerializer.Meta.fields, "email", "phone", "user"]


class SessionHostSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="host.display_name", read_only=True)

    class Meta:
        model = SessionHost
        fields = ["host", "name", "role"]


class LineupItemSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = LineupItem
        fields = [
            "id",
            "position",
            "product",
            "product_name",
            "planned_minutes",
            "promo_price",
            "allocated_stock",
            "talking_points",
            "on_air_started_at",
            "on_air_ended_at",
        ]


class SessionMetricsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionMetrics
        fields = [
            *FIGURE_FIELDS,
            "views_basis",
            "precision",
            "source",
            "updated_at",
        ]
        read_only_fields = ["source", "updated_at"]


class SessionSerializer(serializers.ModelSerializer):
    hosts = SessionHostSerializer(source="session_hosts", many=True, read_only=True)
    lineup = LineupItemSerializer(many=True, read_only=True)
    room = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "room",
            "channel",
            "scheduled_start",
            "scheduled_end",
            "actual_start",
            "actual_end",
            "platform_live_id",
            "live_room_url",
            "is_rehearsal",
            "notes",
            "series",
            "hosts",
            "lineup",
        ]


class HostPlaceInput(serializers.Serializer):
    host = serializers.PrimaryKeyRelatedField(queryset=Host.objects.all())
    role = serializers.ChoiceField(choices=SessionHost.Role.choices, default=SessionHost.Role.HOST)


class LineupInput(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    planned_minutes = serializers.IntegerField(min_value=1, max_value=600)
    promo_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    allocated_stock = serializers.IntegerField(
        min_value=0, max_value=2_147_483_647, required=False, allow_null=True
    )
    talking_points = serializers.CharField(required=False, allow_blank=True, default="")


class SessionInput(serializers.Serializer):
    """What staff send to create or change a session; status moves are separate actions."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Session.Kind.choices, default=Session.Kind.REGULAR)
    room = serializers.SlugRelatedField(slug_field="slug", queryset=Room.objects.all())
    channel = serializers.SlugRelatedField(
        slug_field="slug", queryset=Channel.objects.all(), required=False, allow_null=True
    )
    scheduled_start = serializers.DateTimeField()
    scheduled_end = serializers.DateTimeField()
    status = serializers.ChoiceField(
        choices=[Session.Status.DRAFT, Session.Status.SCHEDULED],
        default=Session.Status.SCHEDULED,
    )
    platform_live_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    live_room_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    is_rehearsal = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    hosts = HostPlaceInput(many=True, required=False)
    lineup = LineupInput(many=True, required=False)

    def validate(self, attrs):
        start, end = attrs.get("scheduled_start"), attrs.get("scheduled_end")
        if start and end and end <= start:
            raise serializers.ValidationError(
                {"scheduled_end": _("The session must end after it starts.")}
            )
        # A change that leaves the channel out is checked against the stored channel by the
        # service (update_session), which this input serializer does not hold.
        if attrs.get("live_room_url") and ("channel" in attrs or not self.partial):
            try:
                check_live_room_url(attrs["live_room_url"], channel=attrs.get("channel"))
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict) from None
        return attrs


class MeetingBookingSerializer(serializers.ModelSerializer):
    session = SessionSerializer(read_only=True)

    class Meta:
        model = MeetingBooking
        fields = [
            "id",
            "session",
            "buyer_organisation",
            "buyer_contact",
            "cooperatives",
            "outcome",
            "agreement_value",
            "agreement_currency",
            "outcome_notes",
        ]


class MeetingInput(serializers.ModelSerializer):
    """A meeting: its session (room, times, hosts) and the negotiation details."""

    title = serializers.CharField(max_length=200)
    room = serializers.SlugRelatedField(slug_field="slug", queryset=Room.objects.all())
    scheduled_start = serializers.DateTimeField()
    scheduled_end = serializers.DateTimeField()
    hosts = HostPlaceInput(many=True, required=False)

    class Meta:
        model = MeetingBooking
        fields = [
            "title",
            "room",
            "scheduled_start",
            "scheduled_end",
            "hosts",
            "buyer_organisation",
            "buyer_contact",
            "cooperatives",
            "outcome",
            "agreement_value",
            "agreement_currency",
            "outcome_notes",
        ]

    def validate(self, attrs):
        if attrs.get("outcome") == MeetingBooking.Outcome.AGREEMENT and (
            attrs.get("agreement_value") is None or not attrs.get("agreement_currency")
        ):
            raise serializers.ValidationError(
                {"agreement_value": _("An agreement needs a value and a currency.")}
            )
        return attrs


def host_serializer_for(user):
    return HostWithContactSerializer if is_bureau_staff(user) else HostSerializer


class TrainingAttendanceSerializer(serializers.ModelSerializer):
    session_title = serializers.CharField(source="session.title", read_only=True)
    session_start = serializers.DateTimeField(source="session.scheduled_start", read_only=True)
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = [
            "id",
            "session",
            "session_title",
            "session_start",
            "cooperative",
            "cooperative_name",
            "attendee_name",
            "user",
            "attended",
        ]
        read_only_fields = fields


class TrainingAttendanceInput(serializers.Serializer):
    """A sign-up: staff name the cooperative; a member's is their own (asked only when they
    belong to several). The name defaults to the member's own."""

    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.filter(kind=Session.Kind.TRAINING)
    )
    cooperative = serializers.PrimaryKeyRelatedField(
        queryset=Cooperative.objects.all(), required=False
    )
    attendee_name = serializers.CharField(max_length=150, required=False, allow_blank=False)
    attended = serializers.BooleanField(required=False)


class TrainingAttendanceChange(serializers.Serializer):
    attendee_name = serializers.CharField(max_length=150, required=False, allow_blank=False)
    attended = serializers.BooleanField(required=False)


class AttendedInput(serializers.Serializer):
    attended = serializers.BooleanField()
