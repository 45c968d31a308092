"""The four roles exist as groups with the permissions the table in core.roles gives them."""

import pytest
from django.contrib.auth.models import Group

from core.roles import ALL_ROLES, BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL, has_role

pytestmark = pytest.mark.django_db


def codenames(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_a_migration_creates_one_group_per_role():
    assert set(Group.objects.filter(name__in=ALL_ROLES).values_list("name", flat=True)) == set(
        ALL_ROLES
    )


def test_bureau_staff_may_change_everything_in_the_domain_apps():
    permissions = codenames(BUREAU_STAFF)
    for expected in (
        "cooperatives.change_cooperative",
        "catalog.add_product",
        "livestreams.change_session",
        "django_celery_beat.change_periodictask",
    ):
        assert expected in permissions


def test_officials_only_read():
    permissions = codenames(OFFICIAL)
    assert "catalog.view_product" in permissions
    assert "livestreams.view_session" in permissions
    assert all(codename.split(".")[1].startswith("view_") for codename in permissions)


def test_cooperative_members_edit_products_but_not_sessions():
    permissions = codenames(COOPERATIVE_MEMBER)
    assert "catalog.change_product" in permissions
    assert "livestreams.change_session" not in permissions
    assert "cooperatives.delete_cooperative" not in permissions


def test_hosts_read_sessions_and_may_not_change_the_catalogue():
    permissions = codenames(HOST)
    assert "livestreams.view_session" in permissions
    assert "catalog.change_product" not in permissions


def test_role_membership_is_read_from_groups(coop_member, official):
    assert has_role(coop_member, COOPERATIVE_MEMBER)
    assert not has_role(coop_member, BUREAU_STAFF)
    assert has_role(official, OFFICIAL)
