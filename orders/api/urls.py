from rest_framework.routers import SimpleRouter

app_name = "orders-api"
router = SimpleRouter()
urlpatterns = router.urls
