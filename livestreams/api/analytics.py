"""The live analytics import through the API (#13): bureau staff POST a platform's live
analytics export (multipart) and get back what became of every row, at once (the file has one
row per live, so the import runs in the request)."""

import json

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from catalog.models import Channel
from core.roles import BUREAU_STAFF

from ..services import analytics
from ..services.analytics_files import COLUMNS, MAX_BYTES


class AnalyticsUploadSerializer(serializers.Serializer):
    channel = serializers.SlugRelatedField(
        slug_field="slug", queryset=Channel.objects.filter(is_active=True)
    )
    file = serializers.FileField()
    # For a layout we do not know: {"launched_at": "<header>", "views": "<header>", ...}.
    columns = serializers.CharField(required=False, allow_blank=True)

    def validate_file(self, upload):
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: a live analytics "
                "export is far smaller."
            )
        return upload

    def validate_columns(self, value: str) -> dict[str, str]:
        if not value:
            return {}
        try:
            columns = json.loads(value)
        except ValueError:
            raise serializers.ValidationError("Give the columns as a JSON object.") from None
        if not isinstance(columns, dict) or not all(
            isinstance(name, str) and isinstance(header, str) for name, header in columns.items()
        ):
            raise serializers.ValidationError("Give the columns as a JSON object of texts.")
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise serializers.ValidationError(f"Unknown columns: {', '.join(sorted(unknown))}.")
        return {name: header for name, header in columns.items() if header}


class AnalyticsRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="number")
    launched_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    session = serializers.IntegerField(source="session.pk", allow_null=True, default=None)
    reason = serializers.CharField()
    figures = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class AnalyticsResultSerializer(serializers.Serializer):
    layout = serializers.CharField()
    columns = serializers.DictField(child=serializers.CharField())
    imported = AnalyticsRowSerializer(many=True)
    reported = AnalyticsRowSerializer(many=True)


class AnalyticsImportViewSet(viewsets.ViewSet):
    """Upload a live analytics export: 200 with the imported rows and the rows reported (with
    why); 400 with `headers` when the layout is not one we know and `columns` must name them."""

    read_roles = (BUREAU_STAFF,)
    write_roles = (BUREAU_STAFF,)
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=AnalyticsUploadSerializer, responses={200: AnalyticsResultSerializer})
    def create(self, request):
        upload = AnalyticsUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            result = analytics.import_live_analytics(
                channel=data["channel"],
                content=data["file"].read(),
                entered_by=request.user,
                columns=data.get("columns") or None,
            )
        except analytics.AnalyticsFileRefused as refused:
            return Response({"file": [refused.message]}, status=status.HTTP_400_BAD_REQUEST)
        except analytics.ColumnsNeeded as needed:
            return Response(
                {"columns": [needed.message], "headers": needed.headers, "guess": needed.guess},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(AnalyticsResultSerializer(result).data)
