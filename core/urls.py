from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.health, name="health"),
    path("jobs/system-check/", views.start_system_check, name="system-check"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:job_id>/status/", views.job_status, name="job-status"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", views.history, name="history"),
]
