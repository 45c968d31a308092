from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "status",
        "progress_done",
        "progress_total",
        "requested_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
