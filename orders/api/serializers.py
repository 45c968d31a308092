from rest_framework import serializers

from catalog.models import Channel, Platform, Product

from ..models import ImportBatch, Order


class ImportBatchSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "channel",
            "original_name",
            "size_bytes",
            "sha256",
            "forced",
            "duplicate_of",
            "format",
            "status",
            "message",
            "missing_columns",
            "rows_total",
            "rows_done",
            "rows_read",
            "orders_created",
            "orders_updated",
            "orders_unchanged",
            "lines_written",
            "lines_matched",
            "lines_unmatched",
            "affiliate_links",
            "error_count",
            "orders_attributed",
            "orders_ambiguous",
            "orders_unknown_status",
            "orders_older",
            "replace_newer",
            "exported_at",
            "file_purged_at",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    """Input of POST /api/v1/imports/ (multipart): the channel's slug, the file, force."""

    channel = serializers.SlugRelatedField(
        slug_field="slug", queryset=Channel.objects.filter(is_active=True)
    )
    file = serializers.FileField()
    force = serializers.BooleanField(default=False)
    # Staff's explicit choice: this file's values replace those of newer exports.
    replace_newer = serializers.BooleanField(default=False)


class ProductSalesSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id", allow_null=True)
    seller_sku = serializers.CharField()
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    gross_gmv = serializers.DecimalField(max_digits=16, decimal_places=2)
    net_gmv = serializers.DecimalField(max_digits=16, decimal_places=2)


class SessionSalesSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    currency = serializers.CharField()
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    # null when no order of the session named its buyer (Douyin and Lazada exports).
    buyers = serializers.IntegerField(allow_null=True)
    gross_gmv = serializers.DecimalField(max_digits=16, decimal_places=2)
    net_gmv = serializers.DecimalField(max_digits=16, decimal_places=2)
    cancelled_orders = serializers.IntegerField()
    refunded_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    # Return requests not granted yet: shown apart, not taken off net GMV.
    returns_pending = serializers.DecimalField(max_digits=16, decimal_places=2)
    unknown_status_orders = serializers.IntegerField()
    ambiguous_orders = serializers.IntegerField()
    products = ProductSalesSerializer(many=True)


class AmbiguousOrderSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Order
        fields = ["id", "external_id", "channel", "placed_at", "candidate_session_ids"]
        read_only_fields = fields


class AmbiguousDecisionSerializer(serializers.Serializer):
    """Input of POST /api/v1/ambiguous-orders/decide/: a session (null: none of them) for the
    orders named, or for every ambiguous order of a channel placed in [placed_from,
    placed_until)."""

    session = serializers.IntegerField(allow_null=True, min_value=1)
    order_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=10_000
    )
    channel = serializers.SlugRelatedField(
        slug_field="slug", queryset=Channel.objects.all(), required=False
    )
    placed_from = serializers.DateTimeField(required=False)
    placed_until = serializers.DateTimeField(required=False)

    def validate(self, data):
        by_range = all(data.get(name) for name in ("channel", "placed_from", "placed_until"))
        if not data.get("order_ids") and not by_range:
            raise serializers.ValidationError(
                "Give order_ids, or channel, placed_from and placed_until."
            )
        if by_range and data["placed_until"] <= data["placed_from"]:
            raise serializers.ValidationError("placed_until must be after placed_from.")
        return data


class DecisionResultSerializer(serializers.Serializer):
    decided = serializers.IntegerField()


class UnmatchedSkuSerializer(serializers.Serializer):
    platform = serializers.CharField(source="order__platform")
    sku_id = serializers.CharField()
    seller_sku = serializers.CharField()
    lines = serializers.IntegerField()
    orders = serializers.IntegerField()


class SkuSerializer(serializers.Serializer):
    sku_id = serializers.CharField(allow_blank=True, max_length=64, default="")
    seller_sku = serializers.CharField(allow_blank=True, max_length=100, default="")

    def validate(self, data):
        if not data["sku_id"] and not data["seller_sku"]:
            raise serializers.ValidationError("A SKU id or a seller SKU is needed.")
        return data


class SkuMappingSerializer(serializers.Serializer):
    """Input of POST /api/v1/unmatched-skus/map/: several SKUs of a platform, one product."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    skus = SkuSerializer(many=True, allow_empty=False, max_length=1_000)


class MappingResultSerializer(serializers.Serializer):
    matched_lines = serializers.IntegerField()


class UnknownStatusSerializer(serializers.Serializer):
    platform = serializers.CharField()
    raw_status = serializers.CharField()
    orders = serializers.IntegerField()


class StatusMappingInputSerializer(serializers.Serializer):
    """Input of POST /api/v1/unknown-statuses/map/: what a raw status means on a platform."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    raw_status = serializers.CharField(max_length=300)
    status = serializers.ChoiceField(
        choices=[value for value in Order.Status.values if value != Order.Status.UNKNOWN]
    )


class StatusMappingResultSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
