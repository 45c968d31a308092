"""Errors the services raise that the API answers in one way (core.api.errors)."""

from django.core.exceptions import ValidationError


class StateConflict(ValidationError):
    """A move the object's current state does not allow, or a race lost to another request
    (a session already ended, a status changed meanwhile). The API answers 409 Conflict:
    the request was well formed, but the state has to change (or be reloaded) first."""
