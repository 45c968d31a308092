"""Limits on public forms (registration, password reset): so many posts per window, counted
in Django's cache (Redis in production, shared by every web process), per client address and,
where a form names one, per account.

A fixed window: the first post of a window creates its counter with the window's lifetime
(`cache.add`), later ones increment it atomically (`cache.incr`). Over the limit the view is
not run: the answer is 429 with Retry-After, the seconds left in the window.
"""

import functools
import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commerce_base.settings.env import parse_rate

from .logins import client_ip_address


def seconds_to_wait(scope: str, key: str, rate: str) -> int | None:
    """Count one request of ``key`` in ``scope``; the seconds until the window ends when it
    is over ``rate``, else None."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    counter = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(counter, 1, timeout=period):
        hits = 1
    else:
        try:
            hits = cache.incr(counter)
        except ValueError:  # expired between add and incr: a new window
            cache.add(counter, 1, timeout=period)
            hits = 1
    if hits <= limit:
        return None
    return max(1, int(period - now % period))


def limit_posts(
    scope: str, rate_setting: str, *, keys: Callable[[HttpRequest], list[str]] | None = None
):
    """Decorate a view so that its POSTs are limited to ``settings.<rate_setting>`` per client
    address, and per each extra key ``keys(request)`` returns (an e-mail, a user name)."""

    def decorate(view):
        @functools.wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                rate = getattr(settings, rate_setting)
                candidates = [f"ip:{client_ip_address(request) or 'unknown'}"]
                candidates += [f"key:{hashed(key)}" for key in (keys(request) if keys else [])]
                waits = [seconds_to_wait(scope, key, rate) for key in candidates]
                wait = max((seconds for seconds in waits if seconds), default=None)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def hashed(key: str) -> str:
    """A posted key as it is counted: e-mail addresses are not kept in the cache in clear, and
    whatever length a client posts, the counter's name stays short."""
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = max(1, -(-wait // 60))
    message = ngettext(
        "Too many attempts from here. Please try again in %(minutes)d minute.",
        "Too many attempts from here. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(
        request,
        "core/too_many_requests.html",
        {"message": message, "title": _("Please wait a moment")},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def posted_email(request: HttpRequest) -> list[str]:
    """The e-mail address a form posts: a password reset is limited per address it targets."""
    email = request.POST.get("email", "").strip()
    return [email] if email else []
