"""Sales channels (accounts on platforms) and the listings the order importer matches."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative

from ..platform_urls import validate_platform_url
from .base import Currency, Platform, validate_time_zone
from .bases import Base
from .products import Product


class Channel(models.Model):
    """One account on a sales platform, e.g. the bureau's official Douyin account."""

    class OwnerKind(models.TextChoices):
        BUREAU = "bureau", _("Commerce bureau")
        COOPERATIVE = "cooperative", _("Cooperative")
        KOL = "kol", _("KOL / influencer")

    # The base whose staff run the account (its sales are the base's).
    base = models.ForeignKey(
        Base, verbose_name=_("base"), on_delete=models.PROTECT, related_name="channels"
    )
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    handle = models.CharField(_("account handle"), max_length=150, blank=True)
    shop_id = models.CharField(_("shop id"), max_length=64, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Ho_Chi_Minh", validators=[validate_time_zone]
    )
    grace_minutes = models.PositiveIntegerField(
        _("grace period (minutes)"),
        default=30,
        help_text=_("Orders placed this long after a session ends still count for it."),
    )
    settlement_delay_days = models.PositiveIntegerField(
        _("settlement delay (days)"),
        default=2,
        help_text=_("Figures become final this long after the last import of an ended session."),
    )
    owner_kind = models.CharField(
        _("owner"), max_length=16, choices=OwnerKind.choices, default=OwnerKind.BUREAU
    )
    owner_cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("owning cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
    )
    owner_name = models.CharField(_("owner name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["platform", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_kind="cooperative", owner_cooperative__isnull=False)
                | (~Q(owner_kind="cooperative") & Q(owner_cooperative__isnull=True)),
                name="%(app_label)s_%(class)s_cooperative_owner_iff_cooperative",
            ),
            models.UniqueConstraint(
                fields=["platform", "shop_id"],
                condition=~Q(shop_id=""),
                name="%(app_label)s_%(class)s_unique_platform_shop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"


class PlatformListing(models.Model):
    """A product as it is listed on a platform; the order importer matches lines on these ids."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="listings"
    )
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
    )
    external_product_id = models.CharField(_("platform product id"), max_length=64, blank=True)
    sku_id = models.CharField(_("platform SKU id"), max_length=64, blank=True)
    seller_sku = models.CharField(_("seller SKU"), max_length=100, blank=True)
    # The product's page on the platform, where a showroom visitor buys it (the QR page links
    # to it); checked to be on the platform's own domains by the forms and the API.
    url = models.URLField(_("product page address"), max_length=500, blank=True)
    # Who mapped the SKU to the product from the unmatched queue (page or API); empty for
    # listings entered with the product or before this was recorded.
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mapped by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("platform listing")
        verbose_name_plural = _("platform listings")
        ordering = ["product", "platform"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sku_id="") | ~Q(seller_sku=""),
                name="%(app_label)s_%(class)s_has_sku_or_seller_sku",
            ),
            # Matching looks a line up by (platform, SKU id), then (platform, seller SKU): each
            # must lead to one product.
            models.UniqueConstraint(
                fields=["platform", "sku_id"],
                condition=~Q(sku_id=""),
                name="%(app_label)s_%(class)s_unique_platform_sku",
            ),
            models.UniqueConstraint(
                fields=["platform", "seller_sku"],
                condition=~Q(seller_sku=""),
                name="%(app_label)s_%(class)s_unique_platform_seller_sku",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.sku_id or self.seller_sku}"

    def clean(self) -> None:
        # The address is a public "Buy on ..." link: only the listing's platform's own site.
        if self.platform in Platform.values:
            try:
                validate_platform_url(self.url, platform=self.platform)
            except ValidationError as error:
                raise ValidationError({"url": error.error_list}) from None
