from django.urls import path

from . import views

app_name = "dashboards-api"
urlpatterns = [
    path("reports/overview/", views.OverviewReportView.as_view(), name="overview"),
]
