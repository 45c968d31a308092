from rest_framework.routers import SimpleRouter

from . import analytics, views

app_name = "livestreams-api"
router = SimpleRouter()
router.register("channels", views.ChannelViewSet, basename="channel")
router.register("rooms", views.RoomViewSet, basename="room")
router.register("hosts", views.HostViewSet, basename="host")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register(
    "training-attendances", views.TrainingAttendanceViewSet, basename="training-attendance"
)
router.register("analytics-imports", analytics.AnalyticsImportViewSet, basename="analytics-import")
urlpatterns = router.urls
