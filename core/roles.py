"""The four roles of the platform, as Django groups, and the permissions each one holds.

The table below is the single source of truth: a migration creates the groups and, after
every migrate, the permissions are synchronised so that models added later are covered.
Object-level scoping (a cooperative member sees only their own cooperative) is done by the
selectors; these permissions say which kinds of object a role may touch at all.
"""

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import cast

from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.models import User as UserModel

from .types import AnyUser

BUREAU_STAFF = "Bureau staff"
COOPERATIVE_MEMBER = "Cooperative member"
OFFICIAL = "Official"
HOST = "Host"
ALL_ROLES = (BUREAU_STAFF, COOPERATIVE_MEMBER, OFFICIAL, HOST)

DOMAIN_APPS = settings.DOMAIN_APPS

# Patterns over "app_label.codename"; fnmatch syntax.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    BUREAU_STAFF: (
        *(f"{app}.*" for app in DOMAIN_APPS),
        "django_celery_beat.*",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "authtoken.view_tokenproxy",
    ),
    OFFICIAL: tuple(f"{app}.view_*" for app in DOMAIN_APPS if app != "core"),
    COOPERATIVE_MEMBER: (
        "cooperatives.view_*",
        "cooperatives.change_cooperative",
        "cooperatives.add_membership",
        "catalog.view_*",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_productimage",
        "catalog.change_productimage",
        "catalog.delete_productimage",
        "catalog.add_platformlisting",
        "catalog.change_platformlisting",
        "catalog.delete_platformlisting",
        "catalog.add_certification",
        "catalog.change_certification",
        "livestreams.view_session",
        "orders.view_*",
    ),
    HOST: (
        "catalog.view_product",
        "livestreams.view_*",
        "livestreams.add_sessionmetrics",
        "livestreams.change_sessionmetrics",
    ),
}


def permissions_for_role(role: str, permissions: Iterable[Permission]) -> list[Permission]:
    """Pick from `permissions` (Permission rows with content_type) those the role holds."""
    patterns = ROLE_PERMISSIONS[role]
    return [
        permission
        for permission in permissions
        if any(
            fnmatchcase(f"{permission.content_type.app_label}.{permission.codename}", pattern)
            for pattern in patterns
        )
    ]


def sync_role_permissions(
    group_model: type[Group] = Group, permission_model: type[Permission] = Permission
) -> None:
    """Create the role groups if needed and give each exactly the permissions of the table."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in ALL_ROLES:
        group, _created = group_model.objects.get_or_create(name=role)
        group.permissions.set(permissions_for_role(role, permissions))


def sync_role_permissions_after_migrate(
    sender: AppConfig, *, using: str = "default", **kwargs: object
) -> None:
    # Runs once per migrate (on core's signal); the permissions of the apps after core do not
    # exist yet at that point, so they are created here first (create_permissions is
    # idempotent and Django calls it again for each app afterwards).
    if sender.name != "core":
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_permissions()


def role_names(user: AnyUser) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    # AUTH_USER_MODEL is auth.User, so whoever is signed in is one; the stubs only know
    # request.user as an AbstractBaseUser, which has no groups.
    signed_in = cast(UserModel, user)
    cached: frozenset[str] | None = getattr(signed_in, "_role_names", None)
    if cached is None:
        cached = frozenset(signed_in.groups.values_list("name", flat=True))
        if signed_in.is_superuser:
            cached |= {BUREAU_STAFF}
        # The per-request cache is no field of the model, so the stubs' User does not declare it.
        setattr(signed_in, "_role_names", cached)  # noqa: B010
    return cached


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_bureau_staff(user: AnyUser) -> bool:
    return has_role(user, BUREAU_STAFF)
