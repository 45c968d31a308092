"""Bureau staff schedule sessions here. Forms run the services' clash and line-up checks;
status moves are actions that call the services' conditional updates."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import (
    LineupInlineFormSet,
    RoomAdminForm,
    SessionAdminForm,
    SessionHostInlineFormSet,
    SessionSeriesAdminForm,
)
from .models import (
    Host,
    HostHandle,
    LineupItem,
    MeetingBooking,
    Room,
    Session,
    SessionHost,
    SessionMetrics,
    SessionReminder,
    SessionSeries,
    TrainingAttendance,
)


def _feed_link(url_name: str, obj) -> str:
    if obj is None or obj.pk is None:
        return "-"
    url = reverse(url_name, kwargs={"token": obj.feed_token})
    return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    form = RoomAdminForm
    list_display = ["name", "zone", "kind", "capacity"]
    list_filter = ["kind", "zone__floor"]
    list_select_related = ["zone"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["calendar_feed"]

    @admin.display(description=_("calendar feed (keep private)"))
    def calendar_feed(self, obj):
        return _feed_link("livestreams:room-feed", obj)


class HostHandleInline(admin.TabularInline):
    model = HostHandle
    extra = 0


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "follower_count", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["display_name", "handles__handle"]
    raw_id_fields = ["user"]
    readonly_fields = ["calendar_feed"]
    inlines = [HostHandleInline]

    @admin.display(description=_("calendar feed (keep private)"))
    def calendar_feed(self, obj):
        return _feed_link("livestreams:host-feed", obj)


class SessionHostInline(admin.TabularInline):
    model = SessionHost
    formset = SessionHostInlineFormSet
    fields = ["host", "role"]
    extra = 0


class LineupItemInline(admin.TabularInline):
    model = LineupItem
    formset = LineupInlineFormSet
    fields = [
        "position",
        "product",
        "planned_minutes",
        "promo_price",
        "allocated_stock",
        "talking_points",
        "on_air_started_at",
        "on_air_ended_at",
    ]
    raw_id_fields = ["product"]
    extra = 0


class MeetingBookingInline(admin.StackedInline):
    model = MeetingBooking
    extra = 0
    max_num = 1
    filter_horizontal = ["cooperatives"]


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    raw_id_fields = ["cooperative", "user"]


class SessionMetricsInline(admin.StackedInline):
    model = SessionMetrics
    extra = 0
    max_num = 1
    readonly_fields = ["entered_by", "updated_at"]


def _run_move(modeladmin, request, queryset, move, done_message) -> None:
    moved = 0
    for session in queryset:
        try:
            move(session=session)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{session}: {' '.join(error.messages)}", level=messages.ERROR
            )
        else:
            moved += 1
    if moved:
        modeladmin.message_user(request, done_message % {"count": moved}, messages.SUCCESS)


@admin.action(description=_("Publish (draft to scheduled)"))
def publish_sessions(modeladmin, request, queryset):
    _run_move(
        modeladmin, request, queryset, services.publish_session, gettext("%(count)s published.")
    )


@admin.action(description=_("Cancel"))
def cancel_sessions(modeladmin, request, queryset):
    _run_move(
        modeladmin, request, queryset, services.cancel_session, gettext("%(count)s cancelled.")
    )


@admin.action(description=_("Mark live now"))
def start_sessions(modeladmin, request, queryset):
    _run_move(modeladmin, request, queryset, services.start_session, gettext("%(count)s now live."))


@admin.action(description=_("Mark ended now"))
def end_sessions(modeladmin, request, queryset):
    _run_move(modeladmin, request, queryset, services.end_session, gettext("%(count)s ended."))


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = SessionAdminForm
    list_display = [
        "title",
        "kind",
        "room",
        "channel",
        "scheduled_start",
        "scheduled_end",
        "status",
        "is_rehearsal",
    ]
    list_filter = ["status", "kind", "room", "channel", "is_rehearsal"]
    list_select_related = ["room", "channel"]
    search_fields = ["title", "platform_live_id"]
    date_hierarchy = "scheduled_start"
    readonly_fields = ["series", "links"]
    actions = [publish_sessions, cancel_sessions, start_sessions, end_sessions]
    inlines = [
        SessionHostInline,
        LineupItemInline,
        MeetingBookingInline,
        TrainingAttendanceInline,
        SessionMetricsInline,
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Status moves are conditional updates (the actions above), never a free edit.
            fields.append("status")
        return fields

    @admin.display(description=_("pages"))
    def links(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("livestreams:run-sheet", args=[obj.pk]),
            gettext("Run-sheet"),
            reverse("livestreams:session-control", args=[obj.pk]),
            gettext("Live control"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Times may have changed without the host rows being touched.
        services.sync_host_copies(session=form.instance)
        for formset in formsets:
            for warning in getattr(formset, "cap_warnings", []):
                self.message_user(request, warning, messages.WARNING)


class SeriesSessionInline(admin.TabularInline):
    model = Session
    fields = ["title", "scheduled_start", "scheduled_end", "room", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SessionSeries)
class SessionSeriesAdmin(admin.ModelAdmin):
    form = SessionSeriesAdminForm
    list_display = ["title", "weekday", "start_time", "end_time", "first_date", "until_date"]
    list_select_related = ["room"]
    inlines = [SeriesSessionInline]

    def get_inlines(self, request, obj):
        # The occurrences exist only once the series is saved.
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Occurrences are sessions of their own: move or cancel them one by one.
        return [
            "kind",
            "room",
            "channel",
            "weekday",
            "start_time",
            "end_time",
            "time_zone",
            "first_date",
            "until_date",
        ]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None:
            fields = [name for name in fields if name not in ("hosts", "host_role", "skip_clashes")]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        result = services.create_weekly_series(**form.series_arguments(), created_by=request.user)
        obj.pk = result.series.pk
        obj.created_at = result.series.created_at
        for occurrence in result.skipped:
            self.message_user(
                request,
                services.occurrence_errors([occurrence])[0],
                messages.WARNING,
            )
        self.message_user(
            request,
            gettext("%(count)s sessions created.") % {"count": len(result.sessions)},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


@admin.register(SessionMetrics)
class SessionMetricsAdmin(admin.ModelAdmin):
    list_display = ["session", "views", "likes", "precision", "source", "updated_at"]
    list_filter = ["precision", "source", "views_basis"]
    list_select_related = ["session"]


@admin.register(MeetingBooking)
class MeetingBookingAdmin(admin.ModelAdmin):
    list_display = ["buyer_organisation", "session", "outcome", "agreement_value"]
    list_filter = ["outcome"]
    list_select_related = ["session"]
    filter_horizontal = ["cooperatives"]


@admin.register(SessionReminder)
class SessionReminderAdmin(admin.ModelAdmin):
    list_display = ["session", "host", "kind", "scheduled_start", "sent_at"]
    list_select_related = ["session", "host"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
