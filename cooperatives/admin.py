from django.contrib import admin

from .models import Cooperative, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "district", "status", "reviewed_at"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["name", "tax_number", "registration_number", "contact_name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    readonly_fields = ["reviewed_by", "reviewed_at", "created_at", "updated_at"]
