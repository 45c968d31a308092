"""Serializers of the catalogue API.

Related fields that name a cooperative or a product are limited to those the requesting user
may edit, so a member can neither create for another cooperative nor move a row to one (S9);
status and review fields are read-only everywhere and move only through the actions.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperatives.models import Cooperative
from cooperatives.selectors import cooperatives_editable_by

from ..forms import clean_evidence
from ..models import (
    CURRENCIES_WITHOUT_MINOR_UNIT,
    Base,
    Certification,
    Display,
    DisplaySlot,
    PlatformListing,
    Product,
    ProductImage,
    Zone,
)
from ..platform_urls import validate_platform_url
from ..selectors import products_editable_by
from ..services import PRODUCT_REVIEW_MOVES


class UserScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key chosen among the rows `scope(user)` returns."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.scope(None).none()
        return self.scope(request.user)


def _editable_cooperatives(user):
    return cooperatives_editable_by(user) if user else Cooperative.objects.none()


def _editable_products(user):
    return products_editable_by(user) if user else Product.objects.none()


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="image", read_only=True)
    thumbnail_url = serializers.FileField(source="thumbnail", read_only=True)

    class Meta:
        model = ProductImage
        fields = [
            "id",
            "url",
            "thumbnail_url",
            "width",
            "height",
            "alt_text",
            "position",
            "is_primary",
        ]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    cooperative = UserScopedRelatedField(scope=_editable_cooperatives)
    images = ProductImageSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "cooperative",
            "category",
            "name",
            "slug",
            "description",
            # The name and description in each interface language; empty where the product
            # has none (pages then show `name`, the name as the cooperative gave it).
            "name_en",
            "name_vi",
            "name_zh_hans",
            "description_en",
            "description_vi",
            "description_zh_hans",
            "origin_province",
            "origin_district",
            "origin_commune",
            "unit",
            "net_weight_grams",
            "price",
            "currency",
            "seasonality",
            "monthly_capacity",
            "status",
            "images",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "status", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # A product never moves to another cooperative.
            self.fields["cooperative"].read_only = True

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["cooperative"] = instance.cooperative_id
        return data

    def validate(self, attrs):
        price = attrs.get("price", getattr(self.instance, "price", None))
        currency = attrs.get("currency", getattr(self.instance, "currency", None))
        if (
            currency in CURRENCIES_WITHOUT_MINOR_UNIT
            and price is not None
            and price != price.to_integral_value()
        ):
            raise serializers.ValidationError(
                {"price": _("This currency has no minor unit: use a whole number.")}
            )
        return attrs


class ProductReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[str(value) for value in PRODUCT_REVIEW_MOVES])
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PhotoInputSerializer(serializers.Serializer):
    image = serializers.FileField()
    alt_text = serializers.CharField(required=False, allow_blank=True, default="")
    make_primary = serializers.BooleanField(required=False, default=False)


class PlatformListingSerializer(serializers.ModelSerializer):
    product = UserScopedRelatedField(scope=_editable_products)

    class Meta:
        model = PlatformListing
        fields = [
            "id",
            "product",
            "platform",
            "channel",
            "external_product_id",
            "sku_id",
            "seller_sku",
            "url",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        # The address is a public "Buy on ..." link: on the listing's platform's own site.
        platform = attrs.get("platform", getattr(self.instance, "platform", None))
        url = attrs.get("url", getattr(self.instance, "url", ""))
        if platform:
            try:
                validate_platform_url(url, platform=platform)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"url": error.messages}) from None
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["product"] = instance.product_id
        return data


class CertificationSerializer(serializers.ModelSerializer):
    cooperative = UserScopedRelatedField(scope=_editable_cooperatives)
    product = UserScopedRelatedField(scope=_editable_products, required=False, allow_null=True)
    document = serializers.FileField(required=False, allow_null=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "cooperative",
            "product",
            "kind",
            "stars",
            "number",
            "issuer",
            "valid_from",
            "valid_until",
            "document",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["cooperative"].read_only = True

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["cooperative"] = instance.cooperative_id
        data["product"] = instance.product_id
        # The evidence is private: its address is the view that checks the reader's role.
        data["document"] = (
            self._absolute(reverse("catalog:certification-document", args=[instance.pk]))
            if instance.document
            else None
        )
        return data

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate_document(self, upload):
        if not upload:
            return None
        try:
            return clean_evidence(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class DisplaySlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisplaySlot
        fields = ["id", "zone", "code", "label", "position"]


class ZoneSerializer(serializers.ModelSerializer):
    slots = DisplaySlotSerializer(many=True, read_only=True)
    # By its slug; left out on creation, the zone goes to the staff member's base, or to the
    # only base there is (catalog.services.save_zone).
    base = serializers.SlugRelatedField(
        slug_field="slug", queryset=Base.objects.all(), required=False
    )

    class Meta:
        model = Zone
        fields = ["id", "base", "floor", "code", "name", "kind", "description", "slots"]


class DisplaySerializer(serializers.ModelSerializer):
    slot_code = serializers.CharField(source="slot.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Display
        fields = [
            "id",
            "slot",
            "slot_code",
            "product",
            "product_name",
            "starts_at",
            "ends_at",
            "note",
            "created_at",
        ]
        read_only_fields = ["created_at"]
