from django.contrib import admin

from . import services
from .models import ProgrammeTarget, ReportedSessionTotals


@admin.register(ReportedSessionTotals)
class ReportedSessionTotalsAdmin(admin.ModelAdmin):
    list_display = ("session", "orders", "units", "gross_gmv", "entered_at")
    raw_id_fields = ("session",)
    search_fields = ("session__title",)


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(admin.ModelAdmin):
    list_display = ("month", "dimension", "value", "category", "currency", "target_gmv",
                    "target_units", "set_by", "updated_at")  # fmt: skip
    list_filter = ("dimension", "currency", "month")
    fields = ("dimension", "value", "category", "month", "currency", "target_gmv",
              "target_units", "note")  # fmt: skip
    date_hierarchy = "month"

    def save_model(self, request, obj, form, change) -> None:
        services.save_programme_target(target=obj, set_by=request.user)
