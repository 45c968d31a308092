from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("dashboards/", views.overview, name="overview"),
    path("dashboards/sessions/", views.session_list, name="session-list"),
    path("dashboards/sessions/<int:session_id>/", views.session_detail, name="session-detail"),
    path(
        "dashboards/sessions/<int:session_id>/platform-totals/",
        views.session_totals,
        name="session-totals",
    ),
    path("dashboards/hosts/", views.host_list, name="host-list"),
    path("dashboards/deliveries/", views.deliveries, name="deliveries"),
    path("dashboards/programme/", views.programme, name="programme"),
    path("dashboards/programme/targets/", views.target_list, name="target-list"),
    path("dashboards/programme/targets/new/", views.target_edit, name="target-add"),
    path("dashboards/programme/targets/<int:target_id>/", views.target_edit, name="target-edit"),
    path(
        "dashboards/programme/targets/<int:target_id>/delete/",
        views.target_delete,
        name="target-delete",
    ),
    path("dashboards/monthly-report/", views.monthly_report, name="monthly-report"),
    path("dashboards/my-cooperative/", views.my_cooperative, name="my-cooperative"),
    path("dashboards/cooperatives/", views.cooperative_list, name="cooperative-list"),
    path(
        "dashboards/cooperatives/<int:cooperative_id>/",
        views.cooperative_detail,
        name="cooperative-detail",
    ),
]
