"""Reads of the core app."""

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import Job
from .roles import is_bureau_staff
from .types import AnyUser


def signed_in_user(user: AnyUser) -> User | None:
    """The user as the user model when signed in, None for an anonymous visitor.

    AUTH_USER_MODEL is auth.User, so whoever is signed in is one; the stubs only know
    request.user as an AbstractBaseUser, which queries cannot take for a User.
    """
    if not user.is_authenticated:
        return None
    return cast(User, user)


def jobs_visible_to(user: AnyUser) -> QuerySet[Job]:
    """Staff see every job; others only those they started."""
    jobs = Job.objects.all()
    if is_bureau_staff(user):
        return jobs
    signed_in = signed_in_user(user)
    if signed_in is None:
        return jobs.none()
    return jobs.filter(requested_by=signed_in)
