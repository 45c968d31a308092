"""Demo users, one or more per role. Other apps attach them to cooperatives and hosts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL

DEMO_PASSWORD = "demo-pass-2026"

# username, role, description
DEMO_USERS = (
    ("staff", BUREAU_STAFF, "Lhasa commerce bureau, schedules sessions and imports orders"),
    ("official", OFFICIAL, "Provincial leader, reads the sales dashboards"),
    ("coop.yak", COOPERATIVE_MEMBER, "Damxung Yak Herders' Cooperative (Lhasa)"),
    ("coop.coffee", COOPERATIVE_MEMBER, "Chu Se Coffee Cooperative (Gia Lai)"),
    ("host.kol", HOST, "KOL who streams the Gia Lai megalives"),
)


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


def seed() -> str:
    User = get_user_model()
    for username, role, description in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.commerce-base.local",
                "first_name": description.split(",")[0][:150],
                "is_staff": role == BUREAU_STAFF,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    return f"{len(DEMO_USERS)} demo users"
