from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from core.roles import BUREAU_STAFF, OFFICIAL

NAV_ITEMS = (NavItem(_("Sales dashboards"), "dashboards:overview", (BUREAU_STAFF, OFFICIAL), 300),)
