from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AmbiguousOrderViewSet,
    ImportBatchViewSet,
    SessionSalesView,
    UnknownStatusViewSet,
    UnmatchedSkuViewSet,
)

app_name = "orders-api"
router = SimpleRouter()
router.register("imports", ImportBatchViewSet, basename="import")
router.register("ambiguous-orders", AmbiguousOrderViewSet, basename="ambiguous-order")
router.register("unmatched-skus", UnmatchedSkuViewSet, basename="unmatched-sku")
router.register("unknown-statuses", UnknownStatusViewSet, basename="unknown-status")
urlpatterns = [
    *router.urls,
    path("sessions/<int:pk>/sales/", SessionSalesView.as_view(), name="session-sales"),
]
