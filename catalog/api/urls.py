from rest_framework.routers import SimpleRouter

app_name = "catalog-api"
router = SimpleRouter()
urlpatterns = router.urls
