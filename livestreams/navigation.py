from django.utils.translation import gettext_lazy as _

from core.navigation import EVERYONE, NavItem
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL

NAV_ITEMS = (
    # The public window: upcoming live sales, for everyone, signed in or not.
    NavItem(_("Live schedule"), "livestreams:public-schedule", (EVERYONE,), order=15),
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
    # Staff upload the platforms' live analytics exports beside the order exports.
    NavItem(
        _("Live analytics imports"), "livestreams:analytics-import", (BUREAU_STAFF,), order=410
    ),
    # Trainings open for sign-up: cooperative members sign their people up; staff keep the
    # attendance sheets.
    NavItem(
        _("Trainings"), "livestreams:training-list", (BUREAU_STAFF, COOPERATIVE_MEMBER), order=320
    ),
)
