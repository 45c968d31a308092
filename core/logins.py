"""Sign-in brute-force protection (django-axes): whose address a sign-in comes from, and what a
locked-out visitor is told (RELIABILITY.md S5)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

API_PREFIX = "/api/"


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = cool_off_seconds() // 60
    return ngettext(
        "Too many failed sign-ins for this username from your address. "
        "Try again in %(minutes)s minute.",
        "Too many failed sign-ins for this username from your address. "
        "Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or the one the trusted proxies put in front of theirs.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so the client is the entry TRUSTED_PROXY_COUNT from the right; anything left of it was
    written by the client and cannot be trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def login_locked_out(request: HttpRequest, original_response=None, credentials=None):
    """Axes' answer to a locked-out sign-in: 429 with a page, or JSON under /api/."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": lockout_message()}, status=status)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"lockout_message": lockout_message()},
            status=status,
        )
    response["Retry-After"] = str(cool_off_seconds())
    return response
