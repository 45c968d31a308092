"""Bases: the buildings of the programme. Each owns its floors (zones, with their rooms and
showroom) and its sales channels, and bureau staff may belong to one of them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import validate_time_zone


class Base(models.Model):
    """A livestream commerce base, e.g. the Lhasa base or the Gia Lai base."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Ho_Chi_Minh",
        validators=[validate_time_zone],
    )

    class Meta:
        verbose_name = _("base")
        verbose_name_plural = _("bases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffBase(models.Model):
    """The one base a member of the bureau's staff works for; staff without one work for all
    bases. Their pages open on their base's figures."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_base",
    )
    base = models.ForeignKey(
        Base, verbose_name=_("base"), on_delete=models.CASCADE, related_name="staff"
    )

    class Meta:
        verbose_name = _("staff member's base")
        verbose_name_plural = _("staff members' bases")
        ordering = ["base", "user"]

    def __str__(self) -> str:
        return f"{self.user} ({self.base})"
