from django.urls import path

from . import views

app_name = "cooperatives"
urlpatterns = [
    path("cooperatives/register/", views.register, name="register"),
    path("cooperatives/mine/", views.mine, name="mine"),
    path("cooperatives/", views.cooperative_list, name="list"),
    path("cooperatives/<int:pk>/", views.cooperative_detail, name="detail"),
    path("cooperatives/<int:pk>/edit/", views.cooperative_edit, name="edit"),
    path("cooperatives/<int:pk>/review/", views.cooperative_review, name="review"),
    path("cooperatives/<int:pk>/resubmit/", views.cooperative_resubmit, name="resubmit"),
    path("cooperatives/<int:pk>/invite/", views.cooperative_invite, name="invite"),
    path(
        "cooperatives/invitations/<uuid:token>/",
        views.accept_invitation,
        name="accept-invitation",
    ),
]
