from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ImportBatchViewSet, SessionSalesView

app_name = "orders-api"
router = SimpleRouter()
router.register("imports", ImportBatchViewSet, basename="import")
urlpatterns = [
    *router.urls,
    path("sessions/<int:pk>/sales/", SessionSalesView.as_view(), name="session-sales"),
]
