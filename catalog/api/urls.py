from rest_framework.routers import SimpleRouter

from .views import (
    CertificationViewSet,
    DisplaySlotViewSet,
    DisplayViewSet,
    PlatformListingViewSet,
    ProductViewSet,
    ZoneViewSet,
)

app_name = "catalog-api"
router = SimpleRouter()
router.register("products", ProductViewSet, basename="product")
router.register("listings", PlatformListingViewSet, basename="listing")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("zones", ZoneViewSet, basename="zone")
router.register("display-slots", DisplaySlotViewSet, basename="display-slot")
router.register("displays", DisplayViewSet, basename="display")
urlpatterns = router.urls
