from django.contrib import admin

from .models import Category, Certification, Channel, PlatformListing, Product, Zone


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class PlatformListingInline(admin.TabularInline):
    model = PlatformListing
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "cooperative", "category", "price", "currency", "status"]
    list_filter = ["status", "currency", "category", "cooperative__province"]
    list_select_related = ["cooperative", "category"]
    search_fields = ["name", "cooperative__name", "listings__sku_id", "listings__seller_sku"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlatformListingInline]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "platform",
        "handle",
        "currency",
        "time_zone",
        "grace_minutes",
        "is_active",
    ]
    list_filter = ["platform", "currency", "is_active"]
    search_fields = ["name", "handle", "shop_id"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PlatformListing)
class PlatformListingAdmin(admin.ModelAdmin):
    list_display = ["product", "platform", "channel", "sku_id", "seller_sku"]
    list_filter = ["platform", "channel"]
    list_select_related = ["product", "channel"]
    search_fields = ["sku_id", "seller_sku", "external_product_id", "product__name"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "floor", "kind"]
    list_filter = ["floor", "kind"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "product", "kind", "stars", "valid_from", "valid_until"]
    list_filter = ["kind", "stars"]
    list_select_related = ["cooperative", "product"]
