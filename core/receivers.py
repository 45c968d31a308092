"""Signal receivers: thin, one service call each."""

from django.utils import translation

from .mail import remember_language


def remember_language_at_login(sender, request, user, **kwargs) -> None:
    remember_language(user, getattr(request, "LANGUAGE_CODE", None) or translation.get_language())
