"""A registry of navigation entries: each app lists its own in `<app>/navigation.py`.

The base template shows the entries that fit the visitor's role, so apps add pages without
editing a shared template.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import BUREAU_STAFF, role_names

EVERYONE = "everyone"
ANONYMOUS = "anonymous"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # EVERYONE, ANONYMOUS, SIGNED_IN or role names (core.roles).
    audience: tuple[str, ...]
    order: int = 100


@cache
def registered_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for app_config in apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.navigation")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.navigation":
                raise
            continue
        items.extend(getattr(module, "NAV_ITEMS", ()))
    return tuple(sorted(items, key=lambda item: item.order))


def visible_to(item: NavItem, user) -> bool:
    if EVERYONE in item.audience:
        return True
    if not user.is_authenticated:
        return ANONYMOUS in item.audience
    if SIGNED_IN in item.audience:
        return True
    return bool(role_names(user) & set(item.audience))


def items_for(request) -> list[dict]:
    entries = []
    for item in registered_items():
        if not visible_to(item, request.user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        entries.append({"label": item.label, "url": url, "active": active})
    return entries


def _core_items() -> tuple[NavItem, ...]:
    return (
        NavItem(_("Home"), "home", (EVERYONE,), order=0),
        NavItem(_("API"), "api-docs", (BUREAU_STAFF,), order=900),
        NavItem(_("Admin"), "admin:index", (BUREAU_STAFF,), order=950),
    )


NAV_ITEMS = _core_items()
