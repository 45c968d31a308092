"""Certifications of cooperatives and products, and the record of expiry warnings."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative

from .products import Product


def private_document_storage():
    """Evidence documents are private: served only by a view that checks the user's role."""
    return storages["documents"]


class Certification(models.Model):
    """A certification held by a cooperative, optionally for one of its products."""

    class Kind(models.TextChoices):
        OCOP = "ocop", _("OCOP (One Commune One Product)")
        ORGANIC = "organic", _("Organic")
        VIETGAP = "vietgap", _("VietGAP")
        GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")
        OTHER = "other", _("Other")

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(
        _("evidence"), upload_to="certifications/", storage=private_document_storage, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["cooperative", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ocop", stars__gte=3, stars__lte=5)
                | (~Q(kind="ocop") & Q(stars__isnull=True)),
                name="%(app_label)s_%(class)s_ocop_has_three_to_five_stars",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_valid_until_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.OCOP:
            return f"OCOP {self.stars}★"
        return self.get_kind_display()

    def clean(self) -> None:
        if self.kind == self.Kind.OCOP and self.stars not in (3, 4, 5):
            raise ValidationError({"stars": _("An OCOP rating has 3, 4 or 5 stars.")})
        if self.kind != self.Kind.OCOP and self.stars is not None:
            raise ValidationError({"stars": _("Only OCOP ratings have stars.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The end of validity cannot be before its start.")}
            )

    @property
    def stars_display(self) -> str:
        return "★" * (self.stars or 0)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class CertificationExpiryWarning(models.Model):
    """A record that the warning for one threshold was sent, so it goes out exactly once.

    Keyed by the expiry date too: a renewed certification (new `valid_until`) is warned again.
    """

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.CASCADE,
        related_name="expiry_warnings",
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    valid_until = models.DateField(_("expiry date warned about"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification expiry warning")
        verbose_name_plural = _("certification expiry warnings")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "days_before", "valid_until"],
                name="%(app_label)s_%(class)s_once_per_threshold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.days_before})"
