"""Writes of the cooperatives app: registration, review, membership.

Every state move is a conditional UPDATE acted on only when one row changed, so that two staff
members (or a double-click) never review the same application twice; emails leave after commit.
"""

import logging
import uuid
from collections.abc import Callable, Collection
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import CleanImage
from core.mail import send_email_on_commit
from core.roles import COOPERATIVE_MEMBER
from core.slugs import unique_slug
from core.transitions import move_status

from .models import Cooperative, CooperativeReview, Membership, MembershipInvitation

logger = logging.getLogger(__name__)

# The fields an applicant fills in; status and review fields are never among them.
COOPERATIVE_PROFILE_FIELDS = (
    "kind",
    "name",
    "registration_number",
    "tax_number",
    "province",
    "district",
    "commune",
    "address",
    "contact_name",
    "phone",
    "email",
    "description",
)
# Legal identity is fixed once the bureau has approved it; changing it needs the bureau.
LEGAL_FIELDS = ("kind", "name", "registration_number", "tax_number")

# decision -> (statuses it may start from, status it leads to)
REVIEW_MOVES = {
    CooperativeReview.Action.APPROVED: (
        {Cooperative.Status.PENDING, Cooperative.Status.SUSPENDED},
        Cooperative.Status.APPROVED,
    ),
    CooperativeReview.Action.REJECTED: ({Cooperative.Status.PENDING}, Cooperative.Status.REJECTED),
    CooperativeReview.Action.CHANGES_REQUESTED: (
        {Cooperative.Status.PENDING},
        Cooperative.Status.CHANGES_REQUESTED,
    ),
    CooperativeReview.Action.SUSPENDED: (
        {Cooperative.Status.APPROVED},
        Cooperative.Status.SUSPENDED,
    ),
}
DECISIONS_NEEDING_A_REASON = frozenset(
    {
        CooperativeReview.Action.REJECTED,
        CooperativeReview.Action.CHANGES_REQUESTED,
        CooperativeReview.Action.SUSPENDED,
    }
)


def cooperative_recipients(cooperative: Cooperative) -> list[str]:
    """The cooperative's contact address and its members' addresses."""
    addresses = [cooperative.email]
    addresses += Membership.objects.filter(cooperative=cooperative).values_list(
        "user__email", flat=True
    )
    return addresses


def _store_logo(cooperative: Cooperative, logo: CleanImage | None) -> None:
    if logo is None:
        return
    cooperative.logo.save(logo.name, ContentFile(logo.content), save=False)
    Cooperative.objects.filter(pk=cooperative.pk).update(logo=cooperative.logo.name)


@transaction.atomic
def register_cooperative(
    *,
    profile: dict[str, Any],
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    user_email: str = "",
    logo: CleanImage | None = None,
) -> Cooperative:
    """Create a pending cooperative and its first member (owner), and tell the bureau."""
    fields = {key: profile[key] for key in COOPERATIVE_PROFILE_FIELDS if key in profile}
    cooperative = Cooperative.objects.create(
        **fields,
        slug=unique_slug(Cooperative, fields["name"], fallback="cooperative"),
        status=Cooperative.Status.PENDING,
    )
    _store_logo(cooperative, logo)
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=user_email or fields["email"],
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name=COOPERATIVE_MEMBER))
    Membership.objects.create(user=user, cooperative=cooperative, role=Membership.Role.OWNER)
    CooperativeReview.objects.create(
        cooperative=cooperative,
        action=CooperativeReview.Action.SUBMITTED,
        from_status=Cooperative.Status.PENDING,
        to_status=Cooperative.Status.PENDING,
        actor=user,
    )
    send_email_on_commit(
        recipients=settings.BUREAU_NOTIFICATION_EMAILS,
        render=lambda: (
            _("New cooperative registration: %(name)s") % {"name": cooperative.name},
            _("%(name)s (%(province)s) registered and waits for review.")
            % {"name": cooperative.name, "province": cooperative.province},
        ),
    )
    send_email_on_commit(
        recipients=[cooperative.email, user.email],
        render=lambda: (
            _("We received your registration"),
            _(
                "Thank you. %(name)s is registered and waits for the bureau's review; "
                "we will write to you when it has been reviewed."
            )
            % {"name": cooperative.name},
        ),
    )
    return cooperative


@transaction.atomic
def create_cooperative(*, profile: dict[str, Any], actor: User) -> Cooperative:
    """A cooperative entered by the bureau (API or admin); it starts pending like any other."""
    fields = {key: profile[key] for key in COOPERATIVE_PROFILE_FIELDS if key in profile}
    cooperative = Cooperative(
        **fields,
        slug=unique_slug(Cooperative, fields.get("name", ""), fallback="cooperative"),
        status=Cooperative.Status.PENDING,
    )
    cooperative.full_clean()
    cooperative.save()
    CooperativeReview.objects.create(
        cooperative=cooperative,
        action=CooperativeReview.Action.SUBMITTED,
        from_status=Cooperative.Status.PENDING,
        to_status=Cooperative.Status.PENDING,
        actor=actor,
    )
    return cooperative


@transaction.atomic
def update_cooperative(
    *, cooperative: Cooperative, actor: User, profile: dict[str, Any], logo: CleanImage | None
) -> Cooperative:
    """Change a cooperative's profile; legal identity stays as approved."""
    locked = LEGAL_FIELDS if cooperative.is_approved else ()
    changed = []
    for key in COOPERATIVE_PROFILE_FIELDS:
        if key in profile and key not in locked and getattr(cooperative, key) != profile[key]:
            setattr(cooperative, key, profile[key])
            changed.append(key)
    if changed:
        cooperative.full_clean()
        cooperative.save(update_fields=[*changed, "updated_at"])
    _store_logo(cooperative, logo)
    return cooperative


def _move(
    *,
    cooperative: Cooperative,
    actor: User | None,
    action: str,
    sources: Collection[str],
    target: str,
    reason: str,
    reviewed: bool,
) -> Cooperative:
    current = cooperative.status
    now = timezone.now()
    update: dict[str, object] = {"status_reason": reason, "updated_at": now}
    if reviewed:
        update |= {"reviewed_by": actor, "reviewed_at": now}
    previous = move_status(Cooperative, pk=cooperative.pk, sources=sources, target=target, **update)
    if previous is None:
        raise ValidationError(
            _("This application is no longer %(status)s; reload the page.")
            % {"status": Cooperative.Status(current).label},
            code="stale",
        )
    CooperativeReview.objects.create(
        cooperative=cooperative,
        action=action,
        from_status=previous,
        to_status=target,
        reason=reason,
        actor=actor,
    )
    cooperative.refresh_from_db()
    return cooperative


@transaction.atomic
def review_cooperative(
    *, cooperative: Cooperative, reviewer: User, decision: str, reason: str = ""
) -> Cooperative:
    """Approve, reject, ask for changes or suspend; the applicant is told by email."""
    reason = reason.strip()
    if decision not in REVIEW_MOVES:
        raise ValidationError(_("Unknown decision."), code="invalid")
    if decision in DECISIONS_NEEDING_A_REASON and not reason:
        raise ValidationError(_("Please give a reason."), code="reason_required")
    sources, target = REVIEW_MOVES[CooperativeReview.Action(decision)]
    if cooperative.status not in sources:
        raise ValidationError(
            _("A cooperative that is %(status)s cannot be %(decision)s.")
            % {
                "status": cooperative.get_status_display(),
                "decision": CooperativeReview.Action(decision).label.lower(),
            },
            code="invalid_move",
        )
    cooperative = _move(
        cooperative=cooperative,
        actor=reviewer,
        action=decision,
        sources=sources,
        target=target,
        reason=reason,
        reviewed=True,
    )

    def decision_mail() -> tuple[str, str]:
        body = _("The review of %(name)s is complete: %(status)s.") % {
            "name": cooperative.name,
            "status": cooperative.get_status_display(),
        }
        if reason:
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": reason}
        subject = _("%(name)s: %(status)s") % {
            "name": cooperative.name,
            "status": cooperative.get_status_display(),
        }
        return subject, body

    send_email_on_commit(recipients=cooperative_recipients(cooperative), render=decision_mail)
    return cooperative


@transaction.atomic
def resubmit_cooperative(*, cooperative: Cooperative, actor: User) -> Cooperative:
    """Send a rejected or sent-back application to the bureau again."""
    cooperative = _move(
        cooperative=cooperative,
        actor=actor,
        action=CooperativeReview.Action.RESUBMITTED,
        sources={Cooperative.Status.CHANGES_REQUESTED, Cooperative.Status.REJECTED},
        target=Cooperative.Status.PENDING,
        reason="",
        reviewed=False,
    )
    send_email_on_commit(
        recipients=settings.BUREAU_NOTIFICATION_EMAILS,
        render=lambda: (
            _("Cooperative resubmitted: %(name)s") % {"name": cooperative.name},
            _("%(name)s was changed and waits for review again.") % {"name": cooperative.name},
        ),
    )
    return cooperative


@transaction.atomic
def invite_member(
    *,
    cooperative: Cooperative,
    email: str,
    invited_by: User,
    link_for: Callable[[uuid.UUID], str],
) -> MembershipInvitation:
    """Invite someone by email to join the cooperative; the link lets them make an account."""
    invitation = MembershipInvitation.objects.create(
        cooperative=cooperative, email=email, token=uuid.uuid4(), invited_by=invited_by
    )
    send_email_on_commit(
        recipients=[email],
        render=lambda: (
            _("You are invited to join %(name)s") % {"name": cooperative.name},
            _("%(who)s invites you to act for %(name)s on Commerce Base. Accept here: %(link)s")
            % {
                "who": invited_by.get_full_name() or invited_by.get_username(),
                "name": cooperative.name,
                "link": link_for(invitation.token),
            },
        ),
    )
    return invitation


@transaction.atomic
def accept_invitation(
    *,
    invitation: MembershipInvitation,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create the invitee's account and membership; an invitation is used once."""
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
    )
    claimed = MembershipInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if claimed != 1:
        raise ValidationError(_("This invitation has already been used."), code="used")
    user.groups.add(Group.objects.get(name=COOPERATIVE_MEMBER))
    Membership.objects.create(
        user=user, cooperative=invitation.cooperative, role=Membership.Role.MEMBER
    )
    return user
