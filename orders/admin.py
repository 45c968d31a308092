from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel

from . import services
from .importers import GENERIC_FIELDS
from .models import (
    ColumnMapping,
    ImportBatch,
    ImportRange,
    ImportRowError,
    Order,
    OrderLine,
    SessionSales,
    StatusMapping,
)


def _field_or_download(name: str) -> str:
    return "download" if name == "file" else name


class ImportUploadAdminForm(forms.ModelForm):
    force = forms.BooleanField(label=_("Import again even if imported before"), required=False)

    class Meta:
        model = ImportBatch
        fields = ["channel", "file"]


class ImportRowErrorInline(admin.TabularInline):
    model = ImportRowError
    extra = 0
    can_delete = False
    readonly_fields = ["row_number", "column", "value", "reason"]
    max_num = 0


class ImportRangeInline(admin.TabularInline):
    """The ranges of a batch that workers share, as the workers left them: read-only."""

    model = ImportRange
    extra = 0
    can_delete = False
    fields = [
        "position",
        "start_row",
        "end_row",
        "rows_done",
        "status",
        "worker",
        "attempts",
        "heartbeat_at",
    ]
    readonly_fields = fields
    ordering = ["position"]

    # Only the workers write ranges (claims and checkpoints are conditional updates); an edit
    # here would race them.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "original_name",
        "channel",
        "format",
        "status",
        "rows_read",
        "orders_created",
        "orders_updated",
        "error_count",
        "created_at",
    ]
    list_filter = ["status", "format", "channel"]
    list_select_related = ["channel"]
    search_fields = ["original_name", "sha256"]
    inlines = [ImportRangeInline, ImportRowErrorInline]

    def get_inlines(self, request, obj=None):
        # A new batch has no ranges or row errors yet; the add form is only channel, file and force.
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ImportUploadAdminForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["channel", "file", "force"]
        return [_field_or_download(field.name) for field in ImportBatch._meta.fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [_field_or_download(field.name) for field in ImportBatch._meta.fields]

    @admin.display(description=_("file"))
    def download(self, obj):
        # The file is private: the staff-only view serves it; nothing under /media/ does.
        if not obj.file:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("orders:import-file", args=[obj.pk]), obj.original_name
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "channel":
            kwargs["queryset"] = Channel.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Uploads go through the same service as the staff page and the API.
        if change:
            return
        try:
            batch = services.create_import_batch(
                channel=form.cleaned_data["channel"],
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
                force=form.cleaned_data.get("force", False),
            )
        except services.ImportUploadRefused as refusal:
            messages.error(request, str(refusal))
            return
        obj.pk = batch.pk

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = [
        "external_line_id",
        "sku_id",
        "seller_sku",
        "product",
        "quantity",
        "returned_quantity",
        "line_value",
        "refund_amount",
        "lineup_item",
    ]
    readonly_fields = fields
    max_num = 0


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "external_id",
        "channel",
        "status",
        "placed_at",
        "order_amount",
        "session",
        "attribution",
    ]
    list_filter = ["status", "attribution", "channel", "platform"]
    list_select_related = ["channel", "session"]
    search_fields = ["external_id", "live_room_id", "creator_handle"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline]
    readonly_fields = [field.name for field in Order._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SessionSales)
class SessionSalesAdmin(admin.ModelAdmin):
    list_display = [
        "session",
        "currency",
        "orders",
        "units",
        "gross_gmv",
        "net_gmv",
        "cancelled_orders",
        "refunded_amount",
        "computed_at",
    ]
    list_select_related = ["session"]
    readonly_fields = [field.name for field in SessionSales._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["channel", "updated_at"]
    list_select_related = ["channel"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["mapping"].help_text = _(
            'A JSON object of {"field": "header in the file"}. Needed: order_id, created_at and '
            "line_value or unit_price. All fields: %(fields)s."
        ) % {"fields": ", ".join(GENERIC_FIELDS)}
        return form


@admin.register(StatusMapping)
class StatusMappingAdmin(admin.ModelAdmin):
    list_display = ["platform", "raw_status", "status", "created_by", "created_at"]
    list_filter = ["platform", "status"]
    search_fields = ["raw_status"]
    readonly_fields = ["created_by", "created_at"]
