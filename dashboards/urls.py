from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("dashboards/", views.overview, name="overview"),
    path("dashboards/sessions/", views.session_list, name="session-list"),
    path("dashboards/sessions/<int:session_id>/", views.session_detail, name="session-detail"),
]
