"""Training pages: open trainings, a training's sign-up page (cooperative members sign up,
see and withdraw their own people), and staff's attendance sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperatives.models import Cooperative
from cooperatives.selectors import member_cooperative_ids
from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, has_role, is_bureau_staff

from . import selectors, services
from .models import Session, TrainingAttendance
from .training_forms import AttendanceSheetFormSet, TrainingSignUpForm


def _require_trainee_or_staff(user) -> None:
    if not has_role(user, BUREAU_STAFF, COOPERATIVE_MEMBER):
        raise Http404


def _load_training(session_id: int) -> Session:
    try:
        return selectors.training_session(session_id)
    except Session.DoesNotExist:
        raise Http404 from None


@require_safe
@login_required
def training_list(request):
    # Queries: session, user, groups (3); the open trainings with their sign-up counts (1).
    _require_trainee_or_staff(request.user)
    trainings = list(selectors.open_trainings())
    for training in trainings:
        capacity = training.room.capacity
        training.seats_left = None if capacity is None else max(capacity - training.signed_up, 0)
    return render(request, "livestreams/training_list.html", {"trainings": trainings})


@login_required
def training_sign_up(request, session_id: int):
    _require_trainee_or_staff(request.user)
    session = _load_training(session_id)
    user = request.user
    cooperatives = Cooperative.objects.filter(pk__in=member_cooperative_ids(user)).order_by("name")
    form = None
    if cooperatives and services.is_open_for_sign_up(session):
        form = TrainingSignUpForm(
            request.POST or None,
            cooperatives=cooperatives,
            initial={"attendee_name": user.get_full_name() or user.username},
        )
        if request.method == "POST" and form.is_valid():
            name = form.cleaned_data["attendee_name"]
            try:
                services.sign_up_for_training(
                    session=session,
                    cooperative=form.cleaned_data["cooperative"],
                    attendee_name=name,
                    # The sign-up is linked to the account when members sign up themselves.
                    user=user if name == (user.get_full_name() or user.username) else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is signed up.") % {"name": name})
                return redirect("livestreams:training-sign-up", session_id=session.pk)
    elif request.method == "POST":
        if not cooperatives:
            messages.error(request, _("Cooperative members sign up their own people here."))
        else:
            messages.error(
                request, _("Sign-up is open only for scheduled trainings that have not started.")
            )
        return redirect("livestreams:training-sign-up", session_id=session.pk)
    return render(
        request,
        "livestreams/training_sign_up.html",
        {
            "session": session,
            "form": form,
            "is_open": services.is_open_for_sign_up(session),
            "seats_left": services.seats_left(session),
            "sign_ups": list(selectors.training_sign_ups(session, user)),
            "can_withdraw": bool(cooperatives) or is_bureau_staff(user),
        },
    )


@login_required
@require_POST
def training_withdraw(request, session_id: int, attendance_id: int):
    _require_trainee_or_staff(request.user)
    attendance = get_object_or_404(
        selectors.attendances_visible_to(request.user).filter(session_id=session_id),
        pk=attendance_id,
    )
    try:
        services.withdraw_from_training(attendance=attendance)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is no longer signed up.") % {"name": attendance.attendee_name}
        )
    return redirect("livestreams:training-sign-up", session_id=session_id)


@login_required
def attendance_sheet(request, session_id: int):
    """Staff tick who came. Queries on a GET: session, user, groups (3); the training (1);
    its sign-ups with their cooperatives (1)."""
    if not is_bureau_staff(request.user):
        raise Http404
    session = _load_training(session_id)
    rows = (
        TrainingAttendance.objects.filter(session=session)
        .select_related("cooperative")
        .order_by("cooperative__name", "attendee_name", "pk")
    )
    formset = AttendanceSheetFormSet(request.POST or None, queryset=rows)
    if request.method == "POST" and formset.is_valid():
        changed = services.record_attendance_sheet(
            session=session,
            attended={
                form.instance.pk: form.cleaned_data["attended"]
                for form in formset.forms
                if form.instance.pk is not None
            },
        )
        messages.success(request, _("Attendance saved (%(count)s changed).") % {"count": changed})
        return redirect("livestreams:attendance-sheet", session_id=session.pk)
    return render(
        request,
        "livestreams/attendance_sheet.html",
        {
            "session": session,
            "formset": formset,
            "attended_count": sum(1 for form in formset.forms if form.instance.attended),
        },
    )
