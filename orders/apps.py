from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders and sales")

    def ready(self) -> None:
        # Imported in ready(): these modules load models, which needs the app registry.
        from livestreams.models import Session, SessionHost
        from livestreams.signals import lineup_changed, session_changed

        from . import receivers

        # Orders know sessions, never the reverse: the sessions app announces its changes.
        post_save.connect(receivers.session_saved, sender=Session, dispatch_uid="orders.session")
        pre_delete.connect(
            receivers.session_deleting, sender=Session, dispatch_uid="orders.session-"
        )
        post_save.connect(
            receivers.session_host_changed, sender=SessionHost, dispatch_uid="orders.host+"
        )
        post_delete.connect(
            receivers.session_host_changed, sender=SessionHost, dispatch_uid="orders.host-"
        )
        session_changed.connect(receivers.session_changed, dispatch_uid="orders.changed")
        lineup_changed.connect(receivers.lineup_changed, dispatch_uid="orders.lineup")
