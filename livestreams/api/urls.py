from rest_framework.routers import SimpleRouter

app_name = "livestreams-api"
router = SimpleRouter()
urlpatterns = router.urls
