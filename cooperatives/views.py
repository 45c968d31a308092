"""Pages of the cooperatives app: public registration, the cooperative's own area, reviews."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import limit_posts
from core.roles import is_bureau_staff

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    CooperativeProfileForm,
    InvitationForm,
    RegistrationForm,
    ReviewForm,
)
from .models import Cooperative

RESUBMITTABLE = {Cooperative.Status.CHANGES_REQUESTED, Cooperative.Status.REJECTED}


def _signed_in_account(request, user) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


@limit_posts("registration", "REGISTRATION_RATE")
def register(request):
    """The public registration form; the applicant is signed in to follow the review."""
    if request.user.is_authenticated:
        # Registering makes a new account and signs it in; never swap a signed-in session.
        if selectors.member_cooperative_ids(request.user):
            messages.info(request, _("You already belong to a cooperative."))
            return redirect("cooperatives:mine")
        messages.info(request, _("Sign out first to register a new cooperative."))
        return redirect("home")
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cooperative = services.register_cooperative(
            profile=form.profile(),
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            logo=data.get("logo"),
        )
        user = cooperative.memberships.get().user
        _signed_in_account(request, user)
        messages.success(
            request,
            _("Thank you: your registration waits for the bureau's review. We will email you."),
        )
        return redirect("cooperatives:detail", pk=cooperative.pk)
    return render(request, "cooperatives/register.html", {"form": form})


@login_required
def mine(request):
    """A member's shortcut to their cooperative."""
    ids = sorted(selectors.member_cooperative_ids(request.user))
    if len(ids) == 1:
        return redirect("cooperatives:detail", pk=ids[0])
    return redirect("cooperatives:list")


@login_required
def cooperative_list(request):
    status = request.GET.get("status", "")
    if status not in Cooperative.Status.values:
        status = ""
    cooperatives = selectors.cooperative_list(request.user, status=status)
    return render(
        request,
        "cooperatives/cooperative_list.html",
        {
            "cooperatives": cooperatives,
            "status": status,
            "statuses": Cooperative.Status.choices,
        },
    )


@login_required
def cooperative_detail(request, pk: int):
    cooperative = get_object_or_404(selectors.cooperative_detail(request.user, pk), pk=pk)
    can_edit = selectors.cooperatives_editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "cooperatives/cooperative_detail.html",
        {
            "cooperative": cooperative,
            "can_edit": can_edit,
            "can_resubmit": can_edit and cooperative.status in RESUBMITTABLE,
            "review_form": ReviewForm() if is_bureau_staff(request.user) else None,
            "invitation_form": InvitationForm() if can_edit else None,
        },
    )


@login_required
def cooperative_edit(request, pk: int):
    cooperative = get_object_or_404(selectors.cooperatives_editable_by(request.user), pk=pk)
    form = CooperativeProfileForm(request.POST or None, request.FILES or None, instance=cooperative)
    if request.method == "POST" and form.is_valid():
        services.update_cooperative(
            cooperative=Cooperative.objects.get(pk=pk),
            actor=request.user,
            profile=form.profile(),
            logo=form.cleaned_data.get("logo"),
        )
        messages.success(request, _("Saved."))
        return redirect("cooperatives:detail", pk=pk)
    return render(
        request, "cooperatives/cooperative_form.html", {"form": form, "cooperative": cooperative}
    )


@require_POST
@login_required
def cooperative_review(request, pk: int):
    if not is_bureau_staff(request.user):
        raise Http404
    cooperative = get_object_or_404(Cooperative, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_cooperative(
                cooperative=cooperative,
                reviewer=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded; the cooperative was told by email."))
    else:
        messages.error(request, _("Please choose a decision."))
    return redirect("cooperatives:detail", pk=pk)


@require_POST
@login_required
def cooperative_resubmit(request, pk: int):
    cooperative = get_object_or_404(selectors.cooperatives_editable_by(request.user), pk=pk)
    try:
        services.resubmit_cooperative(cooperative=cooperative, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent to the bureau for review again."))
    return redirect("cooperatives:detail", pk=pk)


@require_POST
@login_required
def cooperative_invite(request, pk: int):
    cooperative = get_object_or_404(selectors.cooperatives_editable_by(request.user), pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invite_member(
            cooperative=cooperative,
            email=form.cleaned_data["email"],
            invited_by=request.user,
            link_for=lambda token: request.build_absolute_uri(
                reverse("cooperatives:accept-invitation", kwargs={"token": token})
            ),
        )
        messages.success(request, _("Invitation sent."))
    else:
        messages.error(request, " ".join(form.errors.get("email", [])))
    return redirect("cooperatives:detail", pk=pk)


def accept_invitation(request, token):
    invitation = get_object_or_404(selectors.open_invitation(token))
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(
                invitation=invitation,
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        _signed_in_account(request, user)
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.cooperative})
        return redirect("cooperatives:detail", pk=invitation.cooperative_id)
    return render(
        request,
        "cooperatives/accept_invitation.html",
        {"form": form, "invitation": invitation},
    )
