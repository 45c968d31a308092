from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LivestreamsConfig(AppConfig):
    name = "livestreams"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        # Imported in ready(): these modules load models, which needs the app registry.
        from catalog.signals import upcoming_session_wanted

        from .receivers import room_kind_rule_after_migrate, upcoming_session_for_product

        # The public product page announces the product's next live session; the catalogue
        # cannot import us (apps depend one way), so it asks and we answer.
        upcoming_session_wanted.connect(
            upcoming_session_for_product, dispatch_uid="livestreams.upcoming_session"
        )
        post_migrate.connect(
            room_kind_rule_after_migrate, sender=self, dispatch_uid="livestreams.room_kind_rule"
        )
