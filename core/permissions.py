"""API permission by role: who may read and who may write, declared on each view."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .roles import ALL_ROLES, BUREAU_STAFF, role_names


class RolePermission(BasePermission):
    """Signed-in users with one of `view.read_roles` may read; `view.write_roles` may write.

    Defaults: every role reads, only bureau staff write. Which rows a user sees is the
    selector's business (querysets are scoped per role), not this class's.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        roles = role_names(user)
        if request.method in SAFE_METHODS:
            return bool(roles & set(getattr(view, "read_roles", ALL_ROLES)))
        return bool(roles & set(getattr(view, "write_roles", (BUREAU_STAFF,))))
