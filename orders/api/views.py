from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import BUREAU_STAFF, OFFICIAL

from .. import selectors, services
from ..models import Order, OrderLine
from .serializers import (
    AmbiguousDecisionSerializer,
    AmbiguousOrderSerializer,
    DecisionResultSerializer,
    ImportBatchSerializer,
    ImportUploadSerializer,
    MappingResultSerializer,
    SessionSalesSerializer,
    SkuMappingSerializer,
    StatusMappingInputSerializer,
    StatusMappingResultSerializer,
    UnknownStatusSerializer,
    UnmatchedSkuSerializer,
)


class ImportBatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Upload platform exports (multipart POST) and follow their import."""

    read_roles = (BUREAU_STAFF, OFFICIAL)
    write_roles = (BUREAU_STAFF,)
    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["status", "channel"]

    def get_queryset(self):
        return selectors.batches_visible_to(self.request.user).order_by("-created_at")

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportBatchSerializer})
    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            batch = services.create_import_batch(
                channel=upload.validated_data["channel"],
                upload=upload.validated_data["file"],
                uploaded_by=request.user,
                force=upload.validated_data["force"],
                replace_newer=upload.validated_data["replace_newer"],
            )
        except services.ImportUploadRefused as refusal:
            return Response({"file": [str(refusal)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class SessionSalesView(APIView):
    """A session's sales figures (DESIGN.md definitions), money as decimal strings."""

    read_roles = (BUREAU_STAFF, OFFICIAL)

    @extend_schema(responses=SessionSalesSerializer)
    def get(self, request, pk: int):
        figures = selectors.session_sales_figures(request.user, pk)
        if figures is None:
            raise NotFound
        return Response(SessionSalesSerializer(figures).data)


class AmbiguousOrderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Orders in two or more session windows, waiting for staff (staff only): the list, and
    one decision for many of them, as the ambiguous-orders page does."""

    read_roles = (BUREAU_STAFF,)
    write_roles = (BUREAU_STAFF,)
    serializer_class = AmbiguousOrderSerializer

    def get_queryset(self):
        return selectors.ambiguous_orders()

    @extend_schema(request=AmbiguousDecisionSerializer, responses=DecisionResultSerializer)
    @action(detail=False, methods=["post"])
    def decide(self, request):
        decision = AmbiguousDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        data = decision.validated_data
        session = None
        if data["session"] is not None:
            session = selectors.sessions_by_id({data["session"]}).get(data["session"])
            if session is None:
                raise ValidationError({"session": ["No such session."]})
        scope = (
            {"order_ids": data["order_ids"]}
            if data.get("order_ids")
            else {key: data[key] for key in ("channel", "placed_from", "placed_until")}
        )
        try:
            decided = services.choose_session_for_ambiguous_orders(
                session=session, chosen_by=request.user, **scope
            )
        except services.QueueDecisionRefused as refusal:
            raise ValidationError({"session": [str(refusal)]}) from refusal
        return Response(DecisionResultSerializer({"decided": decided}).data)


class UnmatchedSkuViewSet(viewsets.GenericViewSet):
    """SKUs that match no product, most lines first (staff only), and mapping several at once."""

    read_roles = (BUREAU_STAFF,)
    write_roles = (BUREAU_STAFF,)
    serializer_class = UnmatchedSkuSerializer
    # For the schema only: the rows are grouped SKUs from the selector, not model instances.
    queryset = OrderLine.objects.none()

    def list(self, request):
        page = self.paginate_queryset(selectors.unmatched_skus())
        return self.get_paginated_response(UnmatchedSkuSerializer(page, many=True).data)

    @extend_schema(request=SkuMappingSerializer, responses=MappingResultSerializer)
    @action(detail=False, methods=["post"])
    def map(self, request):
        mapping = SkuMappingSerializer(data=request.data)
        mapping.is_valid(raise_exception=True)
        data = mapping.validated_data
        matched = services.map_skus_to_product(
            platform=data["platform"],
            product=data["product"],
            skus=[(sku["sku_id"], sku["seller_sku"]) for sku in data["skus"]],
            actor=request.user,
        )
        return Response(MappingResultSerializer({"matched_lines": matched}).data)


class UnknownStatusViewSet(viewsets.GenericViewSet):
    """Raw statuses no table knows, with their orders (staff only), and what one means."""

    read_roles = (BUREAU_STAFF,)
    write_roles = (BUREAU_STAFF,)
    serializer_class = UnknownStatusSerializer
    # For the schema only: the rows are grouped raw statuses from the service.
    queryset = Order.objects.none()

    def list(self, request):
        page = self.paginate_queryset(services.unknown_statuses())
        return self.get_paginated_response(UnknownStatusSerializer(page, many=True).data)

    @extend_schema(request=StatusMappingInputSerializer, responses=StatusMappingResultSerializer)
    @action(detail=False, methods=["post"])
    def map(self, request):
        mapping = StatusMappingInputSerializer(data=request.data)
        mapping.is_valid(raise_exception=True)
        changed = services.map_raw_status(mapped_by=request.user, **mapping.validated_data)
        return Response(StatusMappingResultSerializer({"orders": changed}).data)
