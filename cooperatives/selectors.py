"""Reads of the cooperatives app, scoped to what the user's role may see."""

from django.db.models import Prefetch, QuerySet

from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL, role_names

from .models import Cooperative, CooperativeReview, Membership, MembershipInvitation


def member_cooperative_ids(user) -> frozenset[int]:
    """Ids of the cooperatives the user is a member of, cached on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cooperative_ids", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user).values_list("cooperative_id", flat=True)
        )
        user._cooperative_ids = cached
    return cached


def sees_everything(user) -> bool:
    """Bureau staff and officials read every cooperative's rows."""
    return bool(role_names(user) & {BUREAU_STAFF, OFFICIAL})


def is_member(user) -> bool:
    return COOPERATIVE_MEMBER in role_names(user)


def cooperatives_visible_to(user) -> QuerySet[Cooperative]:
    """Staff and officials: all; members: their own; hosts: approved ones; others: none."""
    cooperatives = Cooperative.objects.all()
    roles = role_names(user)
    if roles & {BUREAU_STAFF, OFFICIAL}:
        return cooperatives
    if COOPERATIVE_MEMBER in roles:
        return cooperatives.filter(pk__in=member_cooperative_ids(user))
    if HOST in roles:
        return cooperatives.filter(status=Cooperative.Status.APPROVED)
    return cooperatives.none()


def cooperatives_editable_by(user) -> QuerySet[Cooperative]:
    """Staff: all; members: their own; everyone else: none."""
    roles = role_names(user)
    if BUREAU_STAFF in roles:
        return Cooperative.objects.all()
    if COOPERATIVE_MEMBER in roles:
        return Cooperative.objects.filter(pk__in=member_cooperative_ids(user))
    return Cooperative.objects.none()


def cooperative_list(user, *, status: str = "") -> QuerySet[Cooperative]:
    cooperatives = cooperatives_visible_to(user).select_related("reviewed_by")
    if status:
        cooperatives = cooperatives.filter(status=status)
    return cooperatives.order_by("status", "name")


def cooperative_detail(user, pk: int) -> QuerySet[Cooperative]:
    """The one cooperative with its review history, members and open invitations."""
    return cooperatives_visible_to(user).prefetch_related(
        Prefetch(
            "reviews",
            queryset=CooperativeReview.objects.select_related("actor").order_by(
                "-created_at", "-pk"
            ),
        ),
        Prefetch("memberships", queryset=Membership.objects.select_related("user")),
        Prefetch(
            "invitations",
            queryset=MembershipInvitation.objects.filter(accepted_at__isnull=True),
            to_attr="open_invitations",
        ),
    )


def approved_cooperatives() -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(status=Cooperative.Status.APPROVED)


def open_invitation(token) -> QuerySet[MembershipInvitation]:
    return MembershipInvitation.objects.filter(
        token=token, accepted_at__isnull=True
    ).select_related("cooperative")
