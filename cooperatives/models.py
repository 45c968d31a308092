import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusReview


class Cooperative(models.Model):
    """A producer organisation that sells through the base: cooperative, enterprise or household."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        ENTERPRISE = "enterprise", _("Enterprise")
        HOUSEHOLD_BUSINESS = "household_business", _("Household business")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.COOPERATIVE
    )
    name = models.CharField(_("legal name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    tax_number = models.CharField(_("tax number"), max_length=32, blank=True)
    province = models.CharField(_("province"), max_length=100)
    district = models.CharField(_("district"), max_length=100, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"))
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="cooperatives/logos/", blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.TextField(_("reason given with the status"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_number"],
                condition=~Q(tax_number=""),
                name="%(app_label)s_%(class)s_unique_tax_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Membership(models.Model):
    """A user's membership of a cooperative; members act for it in the cooperative area."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="cooperative_memberships",
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cooperative", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cooperative"],
                name="%(app_label)s_%(class)s_unique_user_cooperative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.cooperative}"


class CooperativeReview(StatusReview):
    """One step of a cooperative's review: who moved it from which status to which, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SUSPENDED = "suspended", _("Suspended")

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=32, choices=Cooperative.Status)
    to_status = models.CharField(_("to status"), max_length=32, choices=Cooperative.Status)

    class Meta:
        verbose_name = _("cooperative review")
        verbose_name_plural = _("cooperative reviews")
        ordering = ["cooperative", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cooperative}: {self.get_action_display()}"


class MembershipInvitation(models.Model):
    """An invitation, sent by email, to join a cooperative as a member with a new account."""

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    token = models.UUIDField(_("token"), unique=True, default=uuid.uuid4, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ["cooperative", "-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.cooperative}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None
