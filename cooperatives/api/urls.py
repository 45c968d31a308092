from rest_framework.routers import SimpleRouter

app_name = "cooperatives-api"
router = SimpleRouter()
urlpatterns = router.urls
