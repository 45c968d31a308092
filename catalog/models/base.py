"""Money, platforms and time zones shared by the catalogue's models."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    VND = "VND", _("Vietnamese dong (₫)")
    CNY = "CNY", _("Chinese yuan (¥)")
    USD = "USD", _("US dollar ($)")


# Currencies that have no minor unit: prices in them are whole numbers.
CURRENCIES_WITHOUT_MINOR_UNIT = frozenset({Currency.VND})


class Platform(models.TextChoices):
    TIKTOK_SHOP = "tiktok_shop", _("TikTok Shop")
    DOUYIN = "douyin", _("Douyin")
    SHOPEE = "shopee", _("Shopee")
    LAZADA = "lazada", _("Lazada")
    FACEBOOK = "facebook", _("Facebook")
    OTHER = "other", _("Other")


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not a known time zone."), params={"value": value}
        ) from None
