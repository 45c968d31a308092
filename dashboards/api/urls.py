from django.urls import path

from . import views

app_name = "dashboards-api"
# Explicit routes, not a router: the API root lists this app's argument-free named routes.
targets = views.ProgrammeTargetViewSet.as_view({"get": "list", "post": "create"})
target = views.ProgrammeTargetViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
urlpatterns = [
    path("reports/overview/", views.OverviewReportView.as_view(), name="overview"),
    path("reports/sessions/", views.SessionsReportView.as_view(), name="sessions"),
    path("reports/hosts/", views.HostsReportView.as_view(), name="hosts"),
    path("reports/deliveries/", views.DeliveriesReportView.as_view(), name="deliveries"),
    path("reports/programme/", views.ProgrammeReportView.as_view(), name="programme"),
    path("reports/programme/targets/", targets, name="programme-targets"),
    path("reports/programme/targets/<int:pk>/", target, name="programme-target"),
    path("reports/sessions/<int:pk>/", views.SessionReportView.as_view(), name="session"),
    path(
        "reports/sessions/<int:pk>/platform-totals/",
        views.SessionTotalsView.as_view(),
        name="session-totals",
    ),
    path("reports/cooperatives/", views.CooperativesReportView.as_view(), name="cooperatives"),
    path(
        "reports/cooperatives/<int:pk>/",
        views.CooperativeReportView.as_view(),
        name="cooperative",
    ),
]
