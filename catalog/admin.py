"""Admin of the catalogue: products reviewed in bulk, photos, listings, certifications, showroom.

Querysets go through the selectors, so a signed-in user sees in the admin exactly the rows the
rest of the platform shows them.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperatives.admin import run_bulk_review

from . import selectors, services
from .forms import clean_evidence
from .models import (
    Base,
    Category,
    Certification,
    CertificationExpiryWarning,
    Channel,
    Display,
    DisplaySlot,
    PlatformListing,
    Product,
    ProductImage,
    ProductReview,
    StaffBase,
    Zone,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class PlatformListingInline(admin.TabularInline):
    model = PlatformListing
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["channel"]


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "thumbnail", "alt_text", "position", "is_primary"]
    # Photos enter through the cooperative area's upload, which checks and re-encodes them.
    readonly_fields = ["image", "thumbnail"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProductReviewInline(admin.TabularInline):
    model = ProductReview
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _product_action(decision, label, needs_reason):
    def action(modeladmin, request, queryset):
        return run_bulk_review(
            modeladmin,
            request,
            queryset.select_related("cooperative"),
            decision=decision,
            title=label,
            needs_reason=needs_reason,
            review=lambda product, reason: services.review_product(
                product=product, reviewer=request.user, decision=decision, notes=reason
            ),
        )

    action.__name__ = f"review_{decision}"
    return admin.action(description=label, permissions=["change"])(action)


@admin.action(description=_("Archive"), permissions=["change"])
def archive_products(modeladmin, request, queryset):
    return run_bulk_review(
        modeladmin,
        request,
        queryset,
        decision="archived",
        title=_("Archive"),
        needs_reason=False,
        review=lambda product, reason: services.archive_product(
            product=product, actor=request.user
        ),
    )


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "cooperative", "category", "price", "currency", "status", "updated_at"]
    list_filter = ["status", "currency", "category", "cooperative__province", "cooperative"]
    list_select_related = ["cooperative", "category"]
    search_fields = ["name", "cooperative__name", "listings__sku_id", "listings__seller_sku"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["cooperative"]
    inlines = [ProductImageInline, PlatformListingInline, ProductReviewInline]
    # Status moves go through the review actions, so that each is recorded and emailed.
    readonly_fields = ["status", "created_at", "updated_at"]
    actions = [
        _product_action("approved", _("Approve"), False),
        _product_action("rejected", _("Reject (with notes)"), True),
        _product_action("changes_requested", _("Ask for changes (with notes)"), True),
        archive_products,
    ]

    def get_queryset(self, request):
        return selectors.products_visible_to(request.user)


@admin.register(ProductReview)
class ProductReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action", "to_status"]
    search_fields = ["product__name", "reason"]
    list_select_related = ["product", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    list_display = ["product", "position", "is_primary", "width", "height", "has_thumbnail"]
    list_filter = ["is_primary"]
    search_fields = ["product__name", "alt_text"]
    list_select_related = ["product"]
    readonly_fields = ["image", "thumbnail", "width", "height"]

    @admin.display(boolean=True, description=_("thumbnail"))
    def has_thumbnail(self, photo) -> bool:
        return bool(photo.thumbnail)

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        return ProductImage.objects.filter(product__in=selectors.products_visible_to(request.user))


class StaffBaseInline(admin.TabularInline):
    model = StaffBase
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Base)
class BaseAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "province", "time_zone"]
    search_fields = ["name", "city", "province"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StaffBaseInline]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "base",
        "platform",
        "handle",
        "currency",
        "time_zone",
        "grace_minutes",
        "is_active",
    ]
    list_filter = ["base", "platform", "currency", "is_active"]
    list_select_related = ["base"]
    search_fields = ["name", "handle", "shop_id"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PlatformListing)
class PlatformListingAdmin(admin.ModelAdmin):
    # Listing addresses are https only (catalog.platform_urls); one typed without its scheme
    # is read as such.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["product", "platform", "channel", "external_product_id", "sku_id", "seller_sku"]
    list_filter = ["platform", "channel"]
    list_select_related = ["product", "channel"]
    search_fields = ["sku_id", "seller_sku", "external_product_id", "product__name"]
    autocomplete_fields = ["product", "channel"]

    def get_queryset(self, request):
        return selectors.listings_visible_to(request.user)


class DisplaySlotInline(admin.TabularInline):
    model = DisplaySlot
    extra = 0


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "base", "floor", "kind"]
    list_filter = ["base", "floor", "kind"]
    list_select_related = ["base"]
    search_fields = ["code", "name"]
    inlines = [DisplaySlotInline]


@admin.register(DisplaySlot)
class DisplaySlotAdmin(admin.ModelAdmin):
    list_display = ["code", "zone", "label", "position"]
    list_filter = ["zone__floor", "zone"]
    list_select_related = ["zone"]
    search_fields = ["code", "label"]


@admin.register(Display)
class DisplayAdmin(admin.ModelAdmin):
    list_display = ["slot", "product", "starts_at", "ends_at"]
    list_filter = ["slot__zone", "slot__zone__floor"]
    list_select_related = ["slot", "product"]
    search_fields = ["slot__code", "product__name"]
    autocomplete_fields = ["product"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_by", "created_at"]


class ExpiryFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(selectors.current_certification_q())
        if self.value() == "expired":
            return queryset.exclude(selectors.current_certification_q())
        return queryset


class CertificationAdminForm(forms.ModelForm):
    """Evidence uploaded in the admin is checked like in the cooperative area: a PDF or a photo
    (re-encoded), stored under a generated name; never an HTML or script file."""

    class Meta:
        model = Certification
        fields = [
            "cooperative",
            "product",
            "kind",
            "stars",
            "number",
            "issuer",
            "valid_from",
            "valid_until",
            "document",
        ]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or not hasattr(document, "content_type"):  # unchanged or cleared
            return document
        return clean_evidence(document)


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    form = CertificationAdminForm
    list_display = [
        "cooperative",
        "product",
        "kind",
        "stars",
        "number",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["kind", "stars", ExpiryFilter]
    list_select_related = ["cooperative", "product"]
    search_fields = ["number", "issuer", "cooperative__name", "product__name"]
    autocomplete_fields = ["cooperative", "product"]
    date_hierarchy = "valid_until"

    def get_queryset(self, request):
        return selectors.certifications_visible_to(request.user)


@admin.register(CertificationExpiryWarning)
class CertificationExpiryWarningAdmin(admin.ModelAdmin):
    list_display = ["certification", "days_before", "valid_until", "sent_at"]
    list_filter = ["days_before"]
    list_select_related = ["certification", "certification__cooperative"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
