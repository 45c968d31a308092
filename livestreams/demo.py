"""Demo rooms and hosts; sessions are added by the live-session issue."""

from catalog.models import Platform, Zone
from cooperatives.models import Cooperative
from core.demo import demo_user

from .models import Host, HostHandle, Room

ROOMS = (
    ("excellent-products-studio", "F2-LIVE-A", "Excellent products studio", Room.Kind.STUDIO, 12),
    (
        "helps-farmers-studio",
        "F2-LIVE-B",
        "Supply-and-marketing helps farmers studio",
        Room.Kind.STUDIO,
        10,
    ),
    ("meeting-room", "F3-MEET", "Negotiation room", Room.Kind.MEETING, 20),
)

# display name, kind, followers, (platform, handle), demo user, cooperative slug
HOSTS = (
    ("Dawa Tsering", Host.Kind.BUREAU, 12000, (Platform.DOUYIN, "dawa_lasa"), None, None),
    (
        "Lan Anh (KOL)",
        Host.Kind.KOL,
        850000,
        (Platform.TIKTOK_SHOP, "lananh.review"),
        "host.kol",
        None,
    ),
    ("Deputy Director Nguyễn Văn An", Host.Kind.OFFICIAL, None, None, None, None),
    (
        "Nguyễn Thị Hoa",
        Host.Kind.COOPERATIVE_REP,
        3200,
        (Platform.TIKTOK_SHOP, "hoa.chuse"),
        None,
        "chu-se-coffee",
    ),
)


def seed() -> str:
    for slug, zone_code, name, kind, capacity in ROOMS:
        Room.objects.update_or_create(
            slug=slug,
            defaults={
                "zone": Zone.objects.get(code=zone_code),
                "name": name,
                "kind": kind,
                "capacity": capacity,
            },
        )
    for display_name, kind, followers, handle, username, cooperative_slug in HOSTS:
        host, _ = Host.objects.update_or_create(
            display_name=display_name,
            defaults={
                "kind": kind,
                "follower_count": followers,
                "user": demo_user(username) if username else None,
                "cooperative": Cooperative.objects.get(slug=cooperative_slug)
                if cooperative_slug
                else None,
            },
        )
        if handle:
            HostHandle.objects.update_or_create(
                platform=handle[0], handle=handle[1], defaults={"host": host}
            )
    return f"{len(ROOMS)} rooms, {len(HOSTS)} hosts"
