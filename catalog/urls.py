from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    # Public showcase: no login.
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/products/<slug:slug>/", views.showcase_product, name="showcase-product"),
    path(
        "showcase/cooperatives/<slug:slug>/",
        views.showcase_cooperative,
        name="showcase-cooperative",
    ),
    # Showroom: the floor plan and the QR cards are public; managing displays is staff's.
    path("showroom/", views.floor_plan, name="floor-plan"),
    path("showroom/displays/new/", views.display_create, name="display-create"),
    path("showroom/displays/<int:pk>/end/", views.display_end, name="display-end"),
    path("showroom/displays/<int:pk>/qr/", views.display_qr, name="display-qr"),
    path("showroom/displays/<int:pk>/qr.svg", views.display_qr_svg, name="display-qr-svg"),
    # Cooperative area (scoped to the member's cooperative) and reviews.
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/review/", views.review_queue, name="review-queue"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/submit/", views.product_submit, name="product-submit"),
    path("products/<int:pk>/archive/", views.product_archive, name="product-archive"),
    path("products/<int:pk>/reopen/", views.product_reopen, name="product-reopen"),
    path("products/<int:pk>/review/", views.product_review, name="product-review"),
    path("products/<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("products/<int:pk>/listings/new/", views.listing_create, name="listing-create"),
    path("photos/<int:pk>/primary/", views.photo_primary, name="photo-primary"),
    path("photos/<int:pk>/move/", views.photo_move, name="photo-move"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing-edit"),
    path("listings/<int:pk>/delete/", views.listing_delete, name="listing-delete"),
    path("certifications/", views.certification_list, name="certification-list"),
    path("certifications/new/", views.certification_create, name="certification-create"),
    path("certifications/<int:pk>/edit/", views.certification_edit, name="certification-edit"),
    path(
        "certifications/<int:pk>/evidence/",
        views.certification_document,
        name="certification-document",
    ),
]
