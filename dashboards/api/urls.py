from django.urls import path

from . import views

app_name = "dashboards-api"
urlpatterns = [
    path("reports/overview/", views.OverviewReportView.as_view(), name="overview"),
    path("reports/sessions/", views.SessionsReportView.as_view(), name="sessions"),
    path("reports/hosts/", views.HostsReportView.as_view(), name="hosts"),
    path("reports/deliveries/", views.DeliveriesReportView.as_view(), name="deliveries"),
    path("reports/programme/", views.ProgrammeReportView.as_view(), name="programme"),
    path("reports/sessions/<int:pk>/", views.SessionReportView.as_view(), name="session"),
    path(
        "reports/cooperatives/<int:pk>/",
        views.CooperativeReportView.as_view(),
        name="cooperative",
    ),
]
