"""Demo cooperatives of the Lhasa base and the Gia Lai programme."""

from django.utils import timezone

from core.demo import demo_user

from .models import Cooperative, CooperativeReview, Membership

# slug: (kind, name, province, district, commune, contact, status, member username)
DEMO_COOPERATIVES = {
    "damxung-yak": (
        Cooperative.Kind.COOPERATIVE,
        "Damxung Yak Herders' Cooperative",
        "Lhasa",
        "Damxung",
        "Namtso",
        "Tenzin Norbu",
        Cooperative.Status.APPROVED,
        "coop.yak",
    ),
    "lhundrub-barley": (
        Cooperative.Kind.COOPERATIVE,
        "Lhundrub Highland Barley Cooperative",
        "Lhasa",
        "Lhundrub",
        "Gyama",
        "Pema Yangzom",
        Cooperative.Status.APPROVED,
        None,
    ),
    "nyemo-crafts": (
        Cooperative.Kind.ENTERPRISE,
        "Nyemo Incense and Crafts Co.",
        "Lhasa",
        "Nyemo",
        "Tunba",
        "Dorje Tsering",
        Cooperative.Status.APPROVED,
        None,
    ),
    "taktse-dairy": (
        Cooperative.Kind.HOUSEHOLD_BUSINESS,
        "Taktse Butter and Cheese Household",
        "Lhasa",
        "Dagze",
        "Zhangdoi",
        "Yangchen Drolma",
        Cooperative.Status.APPROVED,
        None,
    ),
    "chu-se-coffee": (
        Cooperative.Kind.COOPERATIVE,
        "Chu Se Coffee Cooperative",
        "Gia Lai",
        "Chư Sê",
        "Ia Blang",
        "Nguyễn Thị Hoa",
        Cooperative.Status.APPROVED,
        "coop.coffee",
    ),
    "ia-grai-pepper": (
        Cooperative.Kind.COOPERATIVE,
        "Ia Grai Pepper Cooperative",
        "Gia Lai",
        "Ia Grai",
        "Ia Sao",
        "Rơ Châm Hyun",
        Cooperative.Status.APPROVED,
        None,
    ),
    "kbang-honey": (
        Cooperative.Kind.HOUSEHOLD_BUSINESS,
        "Kbang Forest Honey Household",
        "Gia Lai",
        "Kbang",
        "Sơn Lang",
        "Đinh Văn Thơm",
        Cooperative.Status.PENDING,
        None,
    ),
    "mang-yang-tea": (
        Cooperative.Kind.COOPERATIVE,
        "Mang Yang Green Tea Cooperative",
        "Gia Lai",
        "Mang Yang",
        "Đak Yă",
        "Ksor H'Bia",
        Cooperative.Status.CHANGES_REQUESTED,
        None,
    ),
    "duc-co-cashew": (
        Cooperative.Kind.ENTERPRISE,
        "Duc Co Cashew Trading Co.",
        "Gia Lai",
        "Đức Cơ",
        "Ia Dơk",
        "Trần Văn Bình",
        Cooperative.Status.REJECTED,
        None,
    ),
}

# Why the bureau sent an application back, for the demo's review states.
DEMO_REASONS = {
    Cooperative.Status.CHANGES_REQUESTED: "Please upload the business licence and add the commune.",
    Cooperative.Status.REJECTED: "A trading company, not a producer: the base serves producers.",
}


def seed() -> str:
    now = timezone.now()
    staff = demo_user("staff")
    for slug, (
        kind,
        name,
        province,
        district,
        commune,
        contact,
        status,
        member,
    ) in DEMO_COOPERATIVES.items():
        reviewed = status != Cooperative.Status.PENDING
        reason = DEMO_REASONS.get(status, "")
        cooperative, _ = Cooperative.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name": name,
                "province": province,
                "district": district,
                "commune": commune,
                "contact_name": contact,
                "email": f"{slug}@demo.commerce-base.local",
                "status": status,
                "status_reason": reason,
                "reviewed_by": staff if reviewed else None,
            },
        )
        CooperativeReview.objects.get_or_create(
            cooperative=cooperative,
            action=CooperativeReview.Action.SUBMITTED,
            defaults={"from_status": Cooperative.Status.PENDING, "to_status": "pending"},
        )
        if reviewed:
            CooperativeReview.objects.get_or_create(
                cooperative=cooperative,
                action=status,
                defaults={
                    "from_status": Cooperative.Status.PENDING,
                    "to_status": status,
                    "reason": reason,
                    "actor": staff,
                },
            )
        if reviewed and cooperative.reviewed_at is None:
            Cooperative.objects.filter(pk=cooperative.pk).update(reviewed_at=now)
        if member:
            Membership.objects.get_or_create(
                user=demo_user(member),
                cooperative=cooperative,
                defaults={"role": Membership.Role.OWNER},
            )
    return f"{len(DEMO_COOPERATIVES)} cooperatives"
