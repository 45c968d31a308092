"""Reads of the core app."""

from django.db.models import QuerySet

from .models import Job
from .roles import is_bureau_staff


def jobs_visible_to(user) -> QuerySet[Job]:
    """Staff see every job; others only those they started."""
    jobs = Job.objects.all()
    if is_bureau_staff(user):
        return jobs
    if not user.is_authenticated:
        return jobs.none()
    return jobs.filter(requested_by=user)
