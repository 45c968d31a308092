"""The API's one translation of the services' errors (settings: EXCEPTION_HANDLER).

Services raise Django's errors; views call them without catching anything. Here:

- ``core.errors.StateConflict`` (a move the state does not allow, a lost race) -> 409, with
  the messages under ``detail``;
- any other ``ValidationError`` -> 400: field errors keyed by field, others under ``detail``;
- ``ProtectedError`` (a row other rows still use, such as a zone with rooms) -> 409 with the
  reason, instead of the database's refusal surfacing as a server error.

Everything else is DRF's own handling (404, 403, throttling, its own validation errors).
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import StateConflict


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ProtectedError):
        exc = Conflict(_("This cannot be deleted while other records use it; remove those first."))
    elif isinstance(exc, StateConflict):
        exc = Conflict({"detail": exc.messages})
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = ValidationError(exc.message_dict)
        else:
            exc = ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)
