"""Admin of the cooperatives app: review in bulk, with the reason asked for on its own page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.images import validate_image_upload

from . import selectors, services
from .models import Cooperative, CooperativeReview, Membership, MembershipInvitation


class CooperativeAdminForm(forms.ModelForm):
    """Logos uploaded in the admin are checked and re-encoded like on the public form."""

    # A plain file field: Django's ImageField would open the upload with Pillow's lenient
    # defaults before our check runs.
    logo = forms.FileField(label=_("logo"), required=False)

    class Meta:
        model = Cooperative
        fields = ["slug", *services.COOPERATIVE_PROFILE_FIELDS, "logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "content_type"):  # unchanged or cleared
            return logo
        image = validate_image_upload(logo)
        return ContentFile(image.content, name=image.name)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


def run_bulk_review(modeladmin, request, queryset, *, decision, title, review, needs_reason):
    """Apply `review(item, reason)` to every selected row; ask for the reason first if needed.

    Rows whose status does not allow the decision are reported, not changed.
    """
    reason = ""
    if needs_reason:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "cooperatives/admin/review_reason.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": title,
                    "queryset": queryset,
                    "action": request.POST.get("action"),
                    "form": form,
                    "opts": modeladmin.model._meta,
                },
            )
        reason = form.cleaned_data["reason"]
    done, refused = 0, []
    for item in queryset:
        try:
            review(item, reason)
        except ValidationError as error:
            refused.append(f"{item}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d reviewed.", "%(count)d reviewed.", done) % {"count": done},
            messages.SUCCESS,
        )
    for message in refused:
        modeladmin.message_user(request, message, messages.WARNING)
    return None


def _cooperative_action(decision, label, needs_reason):
    def action(modeladmin, request, queryset):
        return run_bulk_review(
            modeladmin,
            request,
            queryset,
            decision=decision,
            title=label,
            needs_reason=needs_reason,
            review=lambda cooperative, reason: services.review_cooperative(
                cooperative=cooperative, reviewer=request.user, decision=decision, reason=reason
            ),
        )

    action.__name__ = f"review_{decision}"
    return admin.action(description=label, permissions=["change"])(action)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class CooperativeReviewInline(admin.TabularInline):
    model = CooperativeReview
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    form = CooperativeAdminForm
    list_display = ["name", "kind", "province", "district", "status", "reviewed_at"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["name", "tax_number", "registration_number", "contact_name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, CooperativeReviewInline]
    # Status moves go through the review actions, so that each one is recorded and emailed.
    readonly_fields = [
        "status",
        "status_reason",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "updated_at",
    ]
    actions = [
        _cooperative_action(CooperativeReview.Action.APPROVED, _("Approve"), False),
        _cooperative_action(CooperativeReview.Action.REJECTED, _("Reject (with a reason)"), True),
        _cooperative_action(
            CooperativeReview.Action.CHANGES_REQUESTED, _("Ask for changes (with a reason)"), True
        ),
        _cooperative_action(CooperativeReview.Action.SUSPENDED, _("Suspend (with a reason)"), True),
    ]

    def get_queryset(self, request):
        return selectors.cooperatives_visible_to(request.user).select_related("reviewed_by")


@admin.register(CooperativeReview)
class CooperativeReviewAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action", "to_status"]
    search_fields = ["cooperative__name", "reason"]
    list_select_related = ["cooperative", "actor"]
    readonly_fields = ["cooperative", "action", "from_status", "to_status", "reason", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MembershipInvitation)
class MembershipInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "cooperative", "invited_by", "created_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email", "cooperative__name"]
    list_select_related = ["cooperative", "invited_by"]
    readonly_fields = ["token", "accepted_by", "accepted_at"]
