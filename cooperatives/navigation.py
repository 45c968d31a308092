from django.utils.translation import gettext_lazy as _

from core.navigation import ANONYMOUS, NavItem
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, OFFICIAL

NAV_ITEMS = (
    NavItem(_("Register a cooperative"), "cooperatives:register", (ANONYMOUS,), order=40),
    NavItem(_("My cooperative"), "cooperatives:mine", (COOPERATIVE_MEMBER,), order=30),
    NavItem(_("Cooperatives"), "cooperatives:list", (BUREAU_STAFF, OFFICIAL), order=30),
)
