from django.urls import path

from . import analytics_views, public_views, training_views, views

app_name = "livestreams"
urlpatterns = [
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/analytics/", analytics_views.analytics_import, name="analytics-import"),
    path("sessions/<int:session_id>/", views.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/run-sheet/", views.run_sheet, name="run-sheet"),
    path("sessions/<int:session_id>/control/", views.session_control, name="session-control"),
    path("sessions/<int:session_id>/metrics/", views.session_metrics, name="session-metrics"),
    path(
        "sessions/<int:session_id>/attendance/",
        training_views.attendance_sheet,
        name="attendance-sheet",
    ),
    path("trainings/", training_views.training_list, name="training-list"),
    path("trainings/<int:session_id>/", training_views.training_sign_up, name="training-sign-up"),
    path(
        "trainings/<int:session_id>/withdraw/<int:attendance_id>/",
        training_views.training_withdraw,
        name="training-withdraw",
    ),
    path("calendar/", views.calendar_week, name="calendar"),
    path("calendar/rooms/<str:token>.ics", views.room_feed, name="room-feed"),
    path("calendar/hosts/<str:token>.ics", views.host_feed, name="host-feed"),
    # The public schedule: no sign-in.
    path("schedule/", public_views.public_schedule, name="public-schedule"),
    path("schedule/week/", public_views.public_week, name="public-week"),
    path("schedule/live-sales.ics", public_views.public_feed, name="public-feed"),
]
