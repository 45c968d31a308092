from django.urls import path

from . import views

app_name = "dashboards-api"
urlpatterns = [
    path("reports/overview/", views.OverviewReportView.as_view(), name="overview"),
    path("reports/sessions/", views.SessionsReportView.as_view(), name="sessions"),
    path("reports/sessions/<int:pk>/", views.SessionReportView.as_view(), name="session"),
    path(
        "reports/cooperatives/<int:pk>/",
        views.CooperativeReportView.as_view(),
        name="cooperative",
    ),
]
