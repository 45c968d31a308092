import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative


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


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A product a cooperative offers through the base; shown publicly once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    class Unit(models.TextChoices):
        KILOGRAM = "kg", _("kilogram")
        PACK = "pack", _("pack")
        BOX = "box", _("box")
        BOTTLE = "bottle", _("bottle")
        BAG = "bag", _("bag")
        PIECE = "piece", _("piece")

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    origin_province = models.CharField(_("province of origin"), max_length=100, blank=True)
    origin_district = models.CharField(_("district of origin"), max_length=100, blank=True)
    origin_commune = models.CharField(_("commune of origin"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PACK)
    net_weight_grams = models.PositiveIntegerField(_("net weight (g)"), null=True, blank=True)
    price = models.DecimalField(
        _("price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    seasonality = models.CharField(_("seasonality"), max_length=200, blank=True)
    monthly_capacity = models.PositiveIntegerField(
        _("monthly capacity (units)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="%(app_label)s_%(class)s_price_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(currency__in=sorted(CURRENCIES_WITHOUT_MINOR_UNIT))
                | Q(price=Round(F("price"))),
                name="%(app_label)s_%(class)s_whole_price_without_minor_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:showcase-product", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if (
            self.currency in CURRENCIES_WITHOUT_MINOR_UNIT
            and self.price is not None
            and self.price != self.price.to_integral_value()
        ):
            raise ValidationError(
                {"price": _("This currency has no minor unit: use a whole number.")}
            )

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editable_by_cooperative(self) -> bool:
        """Members change a product's details only while it is not under or past review."""
        return self.status in EDITABLE_PRODUCT_STATUSES

    @property
    def origin(self) -> str:
        return ", ".join(
            part
            for part in (self.origin_commune, self.origin_district, self.origin_province)
            if part
        )


# Statuses in which a cooperative member may still change a product and submit it.
EDITABLE_PRODUCT_STATUSES = frozenset(
    {Product.Status.DRAFT, Product.Status.CHANGES_REQUESTED, Product.Status.REJECTED}
)


class ProductReview(models.Model):
    """One step of a product's review: who moved it from which status to which, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ARCHIVED = "archived", _("Archived")
        REOPENED = "reopened", _("Reopened as a draft")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="reviews"
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=32, choices=Product.Status)
    to_status = models.CharField(_("to status"), max_length=32, choices=Product.Status)
    notes = models.TextField(_("notes"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product review")
        verbose_name_plural = _("product reviews")
        ordering = ["product", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.product}: {self.get_action_display()}"


class ProductImage(models.Model):
    """A photo of a product, stored re-encoded under a generated name; thumbnailed later."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.FileField(_("image"), upload_to="products/photos/", max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to="products/thumbnails/", max_length=200, blank=True
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    alt_text = models.CharField(_("description of the photo"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_primary = models.BooleanField(_("primary photo"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["product", "-is_primary", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(is_primary=True),
                name="%(app_label)s_%(class)s_one_primary_per_product",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text or f"{self.product} #{self.position}"

    @property
    def display_url(self) -> str:
        """The thumbnail once the worker has made it, the (re-encoded) original until then."""
        return (self.thumbnail or self.image).url


class Channel(models.Model):
    """One account on a sales platform, e.g. the bureau's official Douyin account."""

    class OwnerKind(models.TextChoices):
        BUREAU = "bureau", _("Commerce bureau")
        COOPERATIVE = "cooperative", _("Cooperative")
        KOL = "kol", _("KOL / influencer")

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


class Zone(models.Model):
    """An area of the showroom building: exhibition, live room or meeting area."""

    class Kind(models.TextChoices):
        EXHIBITION = "exhibition", _("Exhibition")
        LIVE_ROOM = "live_room", _("Live room")
        MEETING = "meeting", _("Meeting area")

    floor = models.PositiveSmallIntegerField(_("floor"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["floor", "code"]

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
    document = models.FileField(_("evidence"), upload_to="certifications/", blank=True)
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
