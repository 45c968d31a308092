from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import BUREAU_STAFF, OFFICIAL

from .. import selectors
from .serializers import OverviewSerializer

PERIOD_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: this month)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, included"),
]


class OverviewReportView(APIView):
    """The overview's KPIs, trend and rankings for a period (`start`, `end`), per currency."""

    read_roles = (BUREAU_STAFF, OFFICIAL)
    write_roles = ()
    serializer_class = OverviewSerializer

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        period = selectors.period_from_params(request.query_params)
        return Response(OverviewSerializer(selectors.overview(period)).data)
