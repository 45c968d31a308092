"""The API's request limits (DRF throttles), with rates read from the settings at each request.

DRF's own classes copy DEFAULT_THROTTLE_RATES when they are defined, so a rate changed in the
settings afterwards (a test, a reloaded configuration) would go unseen.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .logins import client_ip_address


class AnonymousThrottle(AnonRateThrottle):
    """API_THROTTLE_ANON per client address, the one the sign-in lockout uses too."""

    def get_rate(self) -> str:
        return settings.API_THROTTLE_ANON

    def get_ident(self, request) -> str:
        return client_ip_address(request) or "unknown"


class AccountThrottle(UserRateThrottle):
    """API_THROTTLE_USER per signed-in account (per client address when anonymous)."""

    def get_rate(self) -> str:
        return settings.API_THROTTLE_USER

    def get_ident(self, request) -> str:
        return client_ip_address(request) or "unknown"
