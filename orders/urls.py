from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("imports/", views.import_list, name="import-list"),
    path("imports/unmatched/", views.unmatched_queue, name="unmatched"),
    path("imports/ambiguous/", views.ambiguous_queue, name="ambiguous"),
    path("imports/statuses/", views.unknown_statuses, name="statuses"),
    path("imports/<int:batch_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:batch_id>/status/", views.import_status, name="import-status"),
    path("imports/<int:batch_id>/errors.csv", views.import_errors_csv, name="import-errors"),
    path("imports/<int:batch_id>/file/", views.import_file, name="import-file"),
]
