from django.contrib import admin

from . import services
from .forms import ReportedTotalsForm
from .models import FinalFigureChange, ProgrammeTarget, ReportedSessionTotals


@admin.register(ReportedSessionTotals)
class ReportedSessionTotalsAdmin(admin.ModelAdmin):
    # Every figure optional: an empty one is "not reported", never zero (#13).
    form = ReportedTotalsForm
    fields = ("session", "orders", "units", "gross_gmv")
    list_display = ("session", "orders", "units", "gross_gmv", "entered_at")
    raw_id_fields = ("session",)
    search_fields = ("session__title",)

    def save_model(self, request, obj, form, change) -> None:
        saved = services.save_reported_totals(
            session=obj.session,
            **{name: getattr(obj, name) for name in services.REPORTED_FIGURES},
        )
        # The admin goes on with `obj` (its history entry, the redirect to its page).
        obj.pk, obj.entered_at = saved.pk, saved.entered_at


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(admin.ModelAdmin):
    list_display = (
        "month",
        "dimension",
        "value",
        "category",
        "currency",
        "target_gmv",
        "target_units",
        "set_by",
        "updated_at",
    )
    list_filter = ("dimension", "currency", "month")
    fields = (
        "dimension",
        "value",
        "category",
        "month",
        "currency",
        "target_gmv",
        "target_units",
        "note",
    )
    date_hierarchy = "month"

    def save_model(self, request, obj, form, change) -> None:
        services.save_programme_target(target=obj, set_by=request.user)


@admin.register(FinalFigureChange)
class FinalFigureChangeAdmin(admin.ModelAdmin):
    """A record of what changed after final: read, never written by hand."""

    list_display = (
        "session",
        "recorded_at",
        "final_at",
        "currency",
        "previous_gross_gmv_cents",
        "gross_gmv_cents",
        "previous_orders",
        "orders",
    )
    raw_id_fields = ("session",)
    search_fields = ("session__title",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
