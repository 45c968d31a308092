from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Sales dashboards")

    def ready(self) -> None:
        # Imported in ready(): these modules load models, which needs the app registry.
        from orders.services.sales import orders_changed, session_sales_recomputed

        from .receivers import record_changed_orders, record_recomputed_session

        # Orders cannot import us (apps depend one way): it announces each recomputed session
        # roll-up and we keep the dashboards' roll-ups in step, in the same transaction.
        session_sales_recomputed.connect(
            record_recomputed_session, dispatch_uid="dashboards.record_recomputed_session"
        )
        orders_changed.connect(
            record_changed_orders, dispatch_uid="dashboards.record_changed_orders"
        )
