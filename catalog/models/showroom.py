"""The showroom: zones on floors, display slots, and which product stands where when."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .bases import Base
from .products import Product


class Zone(models.Model):
    """An area of the showroom building: exhibition, live room or meeting area."""

    class Kind(models.TextChoices):
        EXHIBITION = "exhibition", _("Exhibition")
        LIVE_ROOM = "live_room", _("Live room")
        MEETING = "meeting", _("Meeting area")

    base = models.ForeignKey(
        Base, verbose_name=_("base"), on_delete=models.PROTECT, related_name="zones"
    )
    floor = models.PositiveSmallIntegerField(_("floor"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["base_id", "floor", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DisplaySlot(models.Model):
    """A place in a zone where one product stands, e.g. shelf `F1-A-03`."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="slots"
    )
    code = models.CharField(_("code"), max_length=24, unique=True)
    label = models.CharField(_("label"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("display slot")
        verbose_name_plural = _("display slots")
        ordering = ["zone__floor", "zone__code", "position", "code"]

    def __str__(self) -> str:
        return self.code


class Display(models.Model):
    """A product standing in a slot from one time to another (open-ended when no end)."""

    slot = models.ForeignKey(
        DisplaySlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="displays"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="displays"
    )
    starts_at = models.DateTimeField(_("on show from"))
    ends_at = models.DateTimeField(_("on show until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("display")
        verbose_name_plural = _("displays")
        ordering = ["slot", "-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]
        indexes = [
            # The floor plan asks "what stands in each slot now": slot, then the time range.
            models.Index(fields=["slot", "starts_at", "ends_at"], name="catalog_display_slot_time"),
        ]

    def __str__(self) -> str:
        return f"{self.slot}: {self.product}"
