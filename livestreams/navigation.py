from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL

NAV_ITEMS = (
    NavItem(
        _("Live sessions"),
        "livestreams:session-list",
        (BUREAU_STAFF, OFFICIAL, COOPERATIVE_MEMBER, HOST),
        order=300,
    ),
    NavItem(
        _("Calendar"),
        "livestreams:calendar",
        (BUREAU_STAFF, OFFICIAL, COOPERATIVE_MEMBER, HOST),
        order=310,
    ),
)
