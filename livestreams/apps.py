from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivestreamsConfig(AppConfig):
    name = "livestreams"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        from catalog.hooks import register_upcoming_session_provider

        from .hooks import upcoming_session_for_product

        # The public product page announces the product's next live session; the catalogue
        # cannot import us (apps depend one way), so we tell it.
        register_upcoming_session_provider(upcoming_session_for_product)
