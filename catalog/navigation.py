from django.utils.translation import gettext_lazy as _

from core.navigation import EVERYONE, NavItem
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, OFFICIAL

NAV_ITEMS = (
    NavItem(_("Showcase"), "catalog:showcase", (EVERYONE,), order=10),
    NavItem(_("Showroom"), "catalog:floor-plan", (EVERYONE,), order=20),
    NavItem(
        _("Products"),
        "catalog:product-list",
        (COOPERATIVE_MEMBER, BUREAU_STAFF, OFFICIAL),
        order=31,
    ),
    NavItem(
        _("Certifications"),
        "catalog:certification-list",
        (COOPERATIVE_MEMBER, BUREAU_STAFF, OFFICIAL),
        order=32,
    ),
    NavItem(_("Product reviews"), "catalog:review-queue", (BUREAU_STAFF,), order=33),
)
