"""Reads of the cooperatives app, scoped to what the user's role may see."""

import uuid

from django.db.models import Prefetch, QuerySet

from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL, role_names
from core.selectors import signed_in_user
from core.types import AnyUser

from .models import Cooperative, CooperativeReview, Membership, MembershipInvitation


def member_cooperative_ids(user: AnyUser) -> frozenset[int]:
    """Ids of the cooperatives the user is a member of, cached on the user for the request."""
    signed_in = signed_in_user(user)
    if signed_in is None:
        return frozenset()
    cached: frozenset[int] | None = getattr(signed_in, "_cooperative_ids", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=signed_in).values_list("cooperative_id", flat=True)
        )
        # The per-request cache is no field of the model, so the stubs' User does not declare it.
        setattr(signed_in, "_cooperative_ids", cached)  # noqa: B010
    return cached


def cooperatives_visible_to(user: AnyUser) -> QuerySet[Cooperative]:
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


def cooperatives_editable_by(user: AnyUser) -> QuerySet[Cooperative]:
    """Staff: all; members: their own; everyone else: none."""
    roles = role_names(user)
    if BUREAU_STAFF in roles:
        return Cooperative.objects.all()
    if COOPERATIVE_MEMBER in roles:
        return Cooperative.objects.filter(pk__in=member_cooperative_ids(user))
    return Cooperative.objects.none()


def cooperative_list(user: AnyUser, *, status: str = "") -> QuerySet[Cooperative]:
    cooperatives = cooperatives_visible_to(user).select_related("reviewed_by")
    if status:
        cooperatives = cooperatives.filter(status=status)
    return cooperatives.order_by("status", "name")


def cooperative_detail(user: AnyUser, pk: int) -> QuerySet[Cooperative]:
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


def open_invitation(token: uuid.UUID) -> QuerySet[MembershipInvitation]:
    return MembershipInvitation.objects.filter(
        token=token, accepted_at__isnull=True
    ).select_related("cooperative")
