"""Typed readers for environment variables that refuse bad values with a clear message.

A typo in a deployment variable should stop the process at start-up with a sentence that
names the variable, not surface hours later as a strange behaviour.
"""

import os
import re
import zoneinfo
from urllib.parse import urlparse, urlunparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None else None


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value in (None, "") else value


def env_required(name: str, *, purpose: str) -> str:
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set: {purpose}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, *, schemes: tuple[str, ...]) -> str | None:
    """Read a URL and check its scheme, so that 'postgress://' fails loudly at start-up."""
    value = env_str(name)
    if value is None:
        return None
    scheme = urlparse(value).scheme
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in schemes)}; "
            f"got {scheme + '://' if scheme else 'no scheme'}."
        )
    return value


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a known time zone (e.g. Asia/Ho_Chi_Minh)."
        ) from None
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


# Redis has databases 0-15 unless configured otherwise: offsets wrap within them.
REDIS_DATABASES = 16


def redis_database(url: str, offset: int) -> str:
    """Return ``url`` pointing at its database number plus ``offset`` (wrapping at 16), so
    that one REDIS_URL gives the broker, the results and the cache databases of their own."""
    parts = urlparse(url)
    path = parts.path.strip("/")
    try:
        number = int(path or 0)
    except ValueError:
        raise ImproperlyConfigured(
            f"The Redis URL {url!r} must end with a database number, e.g. redis://host:6379/0."
        ) from None
    return urlunparse(parts._replace(path=f"/{(number + offset) % REDIS_DATABASES}"))


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^(\d+)/(second|minute|hour|day)$")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/hour" -> (5, 3600): requests allowed, and the window in seconds."""
    match = _RATE.match(rate or "")
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(
            f"{rate!r} is not a rate: write a number of requests per second, minute, hour or "
            "day, e.g. 5/hour."
        )
    return int(match.group(1)), RATE_PERIODS[match.group(2)]


def env_rate(name: str, default: str) -> str:
    """Read a request rate such as 60/minute, so that "60 per min" fails loudly at start-up."""
    value = env_str(name, default)
    try:
        parse_rate(value)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None
    return value
