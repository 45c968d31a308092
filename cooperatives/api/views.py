from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, is_bureau_staff

from .. import selectors, services
from ..models import Cooperative
from .serializers import CooperativeReviewInputSerializer, CooperativeSerializer


class CooperativeFilter(filters.FilterSet):
    class Meta:
        model = Cooperative
        fields = {
            "status": ["exact"],
            "kind": ["exact"],
            "province": ["exact"],
            "district": ["exact"],
            "name": ["icontains"],
        }


class CooperativeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cooperatives the user may see; members update their own, staff create and review."""

    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter
    ordering_fields = ["name", "province", "status", "created_at"]
    ordering = ["name"]

    @property
    def write_roles(self):
        if self.action in ("create", "review"):
            return (BUREAU_STAFF,)
        return (BUREAU_STAFF, COOPERATIVE_MEMBER)

    def get_queryset(self):
        user = self.request.user
        if self.request.method in SAFE_METHODS:
            cooperatives = selectors.cooperatives_visible_to(user)
        else:
            cooperatives = selectors.cooperatives_editable_by(user)
        return cooperatives.select_related("reviewed_by").order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.create_cooperative(
            profile=serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_cooperative(
            cooperative=serializer.instance,
            actor=self.request.user,
            profile=serializer.validated_data,
            logo=None,
        )

    @extend_schema(request=CooperativeReviewInputSerializer, responses=CooperativeSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Approve, reject, ask for changes or suspend (bureau staff)."""
        if not is_bureau_staff(request.user):
            raise NotFound
        cooperative = self.get_object()
        payload = CooperativeReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cooperative = services.review_cooperative(
            cooperative=cooperative, reviewer=request.user, **payload.validated_data
        )
        return Response(CooperativeSerializer(cooperative, context={"request": request}).data)

    @extend_schema(request=None, responses=CooperativeSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Send a rejected or sent-back application for review again."""
        cooperative = self.get_object()
        cooperative = services.resubmit_cooperative(cooperative=cooperative, actor=request.user)
        return Response(CooperativeSerializer(cooperative, context={"request": request}).data)
