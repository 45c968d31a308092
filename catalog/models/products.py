"""Products, their review history and their photos."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from core.models import StatusReview

from .base import CURRENCIES_WITHOUT_MINOR_UNIT, Currency


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
    # The name and description as the cooperative gave them, in whatever language: what other
    # pages, exports and order matching use, and the fallback for a language with no
    # translation (translated_name).
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    # The same in each interface language (settings.LANGUAGES), shown to visitors using it.
    # Plain columns rather than django-modeltranslation: that library rewrites every query and
    # ordering on `name` to the active language's column, which would change what the order
    # import, the dashboards and the exports (other apps reading `product__name`) see, and
    # its fields are invisible to mypy; two fields in three languages need none of it.
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=200, blank=True)
    name_zh_hans = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_vi = models.TextField(_("description in Vietnamese"), blank=True)
    description_zh_hans = models.TextField(_("description in Chinese"), blank=True)
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
    def translated_name(self) -> str:
        """The name in the active language, else as given, else in any other language."""
        return self._translated("name")

    @property
    def translated_description(self) -> str:
        """The description in the active language, else as given, else in any language."""
        return self._translated("description")

    def _translated(self, field: str) -> str:
        active = translation_suffix(get_language() or "")
        texts = [getattr(self, f"{field}_{active}", "") if active else "", getattr(self, field)]
        texts += [getattr(self, f"{field}_{suffix}") for suffix in TRANSLATION_SUFFIXES]
        return next((text for text in texts if text), "")

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


# The suffixes of the translated columns, one per interface language (settings.LANGUAGES).
TRANSLATION_SUFFIXES = ("en", "vi", "zh_hans")


def translation_suffix(language: str) -> str:
    """`zh-hans` -> `zh_hans`; "" for a language with no translated column (`fr`)."""
    suffix = language.lower().replace("-", "_")
    if suffix in TRANSLATION_SUFFIXES:
        return suffix
    # A regional variant (`en-gb`, `vi-vn`) reads its language's column.
    base = suffix.split("_", 1)[0]
    return base if base in TRANSLATION_SUFFIXES else ""


# Statuses in which a cooperative member may still change a product and submit it.
EDITABLE_PRODUCT_STATUSES = frozenset(
    {Product.Status.DRAFT, Product.Status.CHANGES_REQUESTED, Product.Status.REJECTED}
)


class ProductReview(StatusReview):
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
