from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        # Imported in ready(): these modules load models, which needs the app registry.
        from django.db.models.signals import post_save

        from core.audit import status_move_logger

        from .models import CooperativeReview

        # The audit trail (core.audit) cannot see a cooperative's status moves
        # (QuerySet.update()); the review row written with each one is logged on it.
        post_save.connect(
            status_move_logger("cooperative"),
            sender=CooperativeReview,
            weak=False,
            dispatch_uid="cooperatives.audit.status",
        )
