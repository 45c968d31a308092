from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, OFFICIAL

NAV_ITEMS = (
    NavItem(_("Sales dashboards"), "dashboards:overview", (BUREAU_STAFF, OFFICIAL), order=300),
    NavItem(_("Our sales"), "dashboards:my-cooperative", (COOPERATIVE_MEMBER,), order=301),
)
