"""API of the catalogue. Reads are scoped by the selectors of the user's role; writes use the
rows the user may edit, so another cooperative's object is simply not found (404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.images import validate_image_upload
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, is_bureau_staff

from .. import selectors, services
from ..models import (
    Certification,
    Display,
    DisplaySlot,
    PlatformListing,
    Product,
    ProductImage,
    Zone,
)
from .serializers import (
    CertificationSerializer,
    DisplaySerializer,
    DisplaySlotSerializer,
    PhotoInputSerializer,
    PlatformListingSerializer,
    ProductImageSerializer,
    ProductReviewInputSerializer,
    ProductSerializer,
    ZoneSerializer,
)

MEMBER_WRITES = (BUREAU_STAFF, COOPERATIVE_MEMBER)


class ScopedQuerysetMixin:
    """Reads from `visible(user)`, writes from `editable(user)`."""

    def scoped(self, visible, editable):
        user = self.request.user
        return visible(user) if self.request.method in SAFE_METHODS else editable(user)


# --- Products ------------------------------------------------------------------------------


class ProductFilter(filters.FilterSet):
    class Meta:
        model = Product
        fields = {
            "status": ["exact"],
            "cooperative": ["exact"],
            "category": ["exact"],
            "category__slug": ["exact"],
            "currency": ["exact"],
            "origin_province": ["exact"],
            "name": ["icontains"],
        }


class ProductViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    ordering_fields = ["name", "price", "status", "created_at", "updated_at"]
    ordering = ["name"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @property
    def write_roles(self):
        return (BUREAU_STAFF,) if self.action == "review" else MEMBER_WRITES

    def get_queryset(self):
        products = self.scoped(selectors.products_visible_to, selectors.products_editable_by)
        return products.prefetch_related(
            Prefetch(
                "images", queryset=ProductImage.objects.order_by("-is_primary", "position", "pk")
            )
        ).order_by("name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        cooperative = data.pop("cooperative")
        serializer.instance = services.create_product(
            cooperative=cooperative, actor=self.request.user, data=data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_product(
            product=serializer.instance,
            actor=self.request.user,
            data=serializer.validated_data,
        )

    def _respond(self, product):
        product = self.get_queryset().model.objects.prefetch_related("images").get(pk=product.pk)
        return Response(self.get_serializer(product).data)

    @extend_schema(request=None, responses=ProductSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the product for review (it needs a photo)."""
        product = self.get_object()
        return self._respond(services.submit_product(product=product, actor=request.user))

    @extend_schema(request=None, responses=ProductSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        product = self.get_object()
        return self._respond(services.archive_product(product=product, actor=request.user))

    @extend_schema(request=ProductReviewInputSerializer, responses=ProductSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Approve, reject or ask for changes (bureau staff)."""
        if not is_bureau_staff(request.user):
            raise NotFound
        product = self.get_object()
        payload = ProductReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._respond(
            services.review_product(
                product=product, reviewer=request.user, **payload.validated_data
            )
        )

    @extend_schema(request=PhotoInputSerializer, responses=ProductImageSerializer)
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        """Upload a photo (multipart); it is checked and re-encoded like on the web form."""
        product = self.get_object()
        payload = PhotoInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if not (is_bureau_staff(request.user) or product.is_editable_by_cooperative):
            raise ValidationError(
                {"detail": [_("Reopen the product as a draft to change photos.")]}
            )
        try:
            image = validate_image_upload(payload.validated_data["image"])
        except DjangoValidationError as error:
            raise ValidationError({"image": error.messages}) from None
        photo = services.add_product_image(
            product=product,
            image=image,
            alt_text=payload.validated_data["alt_text"],
            make_primary=payload.validated_data["make_primary"],
        )
        return Response(
            ProductImageSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


# --- Listings ------------------------------------------------------------------------------


class ListingFilter(filters.FilterSet):
    class Meta:
        model = PlatformListing
        fields = {
            "platform": ["exact"],
            "channel": ["exact"],
            "product": ["exact"],
            "product__cooperative": ["exact"],
            "sku_id": ["exact"],
            "seller_sku": ["exact"],
            "external_product_id": ["exact"],
        }


class PlatformListingViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    serializer_class = PlatformListingSerializer
    filterset_class = ListingFilter
    ordering_fields = ["platform", "sku_id", "seller_sku", "created_at"]
    ordering = ["product_id", "platform", "pk"]
    write_roles = MEMBER_WRITES

    def get_queryset(self):
        return self.scoped(selectors.listings_visible_to, selectors.listings_editable_by).order_by(
            "product_id", "platform", "pk"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        product = data.pop("product")
        serializer.instance = services.save_listing(product=product, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        product = data.pop("product", serializer.instance.product)
        serializer.instance = services.save_listing(
            product=product, data={**data, "product": product}, listing=serializer.instance
        )

    def perform_destroy(self, instance):
        services.delete_listing(listing=instance)


# --- Certifications ------------------------------------------------------------------------


class CertificationFilter(filters.FilterSet):
    current = filters.BooleanFilter(method="filter_current", label="current")

    class Meta:
        model = Certification
        fields = {
            "kind": ["exact"],
            "stars": ["exact"],
            "cooperative": ["exact"],
            "product": ["exact"],
            "valid_until": ["lte", "gte"],
        }

    def filter_current(self, queryset, name, value):
        condition = selectors.current_certification_q()
        return queryset.filter(condition) if value else queryset.exclude(condition)


class CertificationViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilter
    ordering_fields = ["valid_from", "valid_until", "kind", "created_at"]
    ordering = ["cooperative_id", "kind", "-valid_from"]
    write_roles = MEMBER_WRITES
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return self.scoped(
            selectors.certifications_visible_to, selectors.certifications_editable_by
        ).order_by("cooperative_id", "kind", "-valid_from", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        cooperative = data.pop("cooperative")
        document = data.pop("document", None)
        serializer.instance = services.save_certification(
            cooperative=cooperative, data=data, document=document
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        document = data.pop("document", None)
        serializer.instance = services.save_certification(
            cooperative=serializer.instance.cooperative,
            data=data,
            document=document,
            certification=serializer.instance,
        )


# --- Showroom ------------------------------------------------------------------------------


class ZoneViewSet(viewsets.ModelViewSet):
    serializer_class = ZoneSerializer
    filterset_fields = ["floor", "kind"]
    ordering_fields = ["floor", "code"]
    ordering = ["floor", "code"]

    def get_queryset(self):
        return (
            Zone.objects.select_related("base")
            .prefetch_related(
                Prefetch("slots", queryset=DisplaySlot.objects.order_by("position", "code"))
            )
            .order_by("floor", "code")
        )

    def perform_create(self, serializer):
        serializer.instance = services.save_zone(
            zone=Zone(), data=serializer.validated_data, user=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.save_zone(
            zone=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_zone(zone=instance)


class DisplaySlotViewSet(viewsets.ModelViewSet):
    serializer_class = DisplaySlotSerializer
    filterset_fields = ["zone", "zone__floor"]
    ordering_fields = ["code", "position"]
    ordering = ["code"]

    def get_queryset(self):
        return DisplaySlot.objects.order_by("code")

    def perform_create(self, serializer):
        serializer.instance = services.save_display_slot(
            slot=DisplaySlot(), data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.save_display_slot(
            slot=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_display_slot(slot=instance)


class DisplayFilter(filters.FilterSet):
    current = filters.BooleanFilter(method="filter_current", label="current")

    class Meta:
        model = Display
        fields = {"slot": ["exact"], "slot__zone": ["exact"], "product": ["exact"]}

    def filter_current(self, queryset, name, value):
        condition = selectors.displays_now_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class DisplayViewSet(viewsets.ModelViewSet):
    serializer_class = DisplaySerializer
    filterset_class = DisplayFilter
    ordering_fields = ["starts_at", "ends_at"]
    ordering = ["-starts_at"]

    def get_queryset(self):
        return selectors.displays().order_by("-starts_at", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.place_display(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        # A partial change keeps the display's other values; the service checks the period
        # and the slot's other displays as for a new one.
        display = serializer.instance
        placement = {
            name: serializer.validated_data.get(name, getattr(display, name))
            for name in ("slot", "product", "starts_at", "ends_at", "note")
        }
        serializer.instance = services.place_display(
            actor=self.request.user, display=display, **placement
        )

    def perform_destroy(self, instance):
        services.remove_display(display=instance)
