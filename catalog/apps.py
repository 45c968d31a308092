from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        # Imported in ready(): these modules load models, which needs the app registry.
        from django.db.models.signals import post_save

        from core.audit import status_move_logger

        from .models import ProductReview

        # The audit trail (core.audit) cannot see a product's status moves (QuerySet.update());
        # the review row written with each one is logged on the product.
        post_save.connect(
            status_move_logger("product"),
            sender=ProductReview,
            weak=False,
            dispatch_uid="catalog.audit.status",
        )
