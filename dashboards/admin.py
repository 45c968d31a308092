from django.contrib import admin

from .models import ReportedSessionTotals


@admin.register(ReportedSessionTotals)
class ReportedSessionTotalsAdmin(admin.ModelAdmin):
    list_display = ("session", "orders", "units", "gross_gmv", "entered_at")
    raw_id_fields = ("session",)
    search_fields = ("session__title",)
