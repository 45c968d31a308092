from .navigation import items_for
from .roles import BUREAU_STAFF, role_names


def navigation(request) -> dict:
    roles = role_names(request.user)
    return {
        "nav_items": items_for(request),
        "user_roles": sorted(roles),
        "is_bureau_staff": BUREAU_STAFF in roles,
    }
