from django.contrib import admin

from .models import Host, HostHandle, LineupItem, Room, Session, SessionHost


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "kind", "capacity"]
    list_filter = ["kind", "zone__floor"]
    list_select_related = ["zone"]
    prepopulated_fields = {"slug": ["name"]}


class HostHandleInline(admin.TabularInline):
    model = HostHandle
    extra = 0


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "follower_count", "user"]
    list_filter = ["kind"]
    search_fields = ["display_name", "handles__handle"]
    inlines = [HostHandleInline]


class SessionHostInline(admin.TabularInline):
    model = SessionHost
    extra = 0


class LineupItemInline(admin.TabularInline):
    model = LineupItem
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "room", "channel", "scheduled_start", "status", "is_rehearsal"]
    list_filter = ["status", "kind", "room", "channel", "is_rehearsal"]
    list_select_related = ["room", "channel"]
    search_fields = ["title", "platform_live_id"]
    date_hierarchy = "scheduled_start"
    inlines = [SessionHostInline, LineupItemInline]
