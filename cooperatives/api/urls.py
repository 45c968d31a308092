from rest_framework.routers import SimpleRouter

from .views import CooperativeViewSet

app_name = "cooperatives-api"
router = SimpleRouter()
router.register("cooperatives", CooperativeViewSet, basename="cooperative")
urlpatterns = router.urls
