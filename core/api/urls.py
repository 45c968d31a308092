from rest_framework.routers import SimpleRouter

app_name = "core-api"
router = SimpleRouter()
urlpatterns = router.urls
