from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from core.roles import BUREAU_STAFF

NAV_ITEMS = (NavItem(_("Order imports"), "orders:import-list", (BUREAU_STAFF,), order=400),)
