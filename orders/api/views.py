from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import BUREAU_STAFF, OFFICIAL

from .. import selectors, services
from .serializers import ImportBatchSerializer, ImportUploadSerializer, SessionSalesSerializer


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
