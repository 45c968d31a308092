from rest_framework import serializers

from catalog.models import Channel

from ..models import ImportBatch


class ImportBatchSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id", "channel", "original_name", "size_bytes", "sha256", "forced", "duplicate_of",
            "format", "status", "message", "missing_columns", "rows_total", "rows_done",
            "rows_read", "orders_created", "orders_updated", "orders_unchanged", "lines_written",
            "lines_matched", "lines_unmatched", "affiliate_links", "error_count",
            "orders_attributed", "orders_ambiguous", "orders_unknown_status", "orders_older",
            "replace_newer", "exported_at", "file_purged_at", "created_at", "started_at",
            "finished_at",
        ]  # fmt: skip
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
