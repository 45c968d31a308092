"""Which web addresses belong to which sales platform: the one policy for listing addresses
(a product's page on the platform) and live-room addresses (where a session is watched).

Both are shown to the public as links (the showroom's QR page, the public schedule), so an
address is accepted only on the platform's own domains and over https: a visitor who scans a
QR card in the showroom must land on TikTok Shop or Shopee, never on a look-alike site.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models.base import Platform

# The registrable domains of each platform; their subdomains are accepted too (shop.tiktok.com,
# vt.tiktok.com, s.lazada.vn, m.facebook.com...). Short-link domains are the platforms' own
# (shp.ee is Shopee's, fb.watch Facebook's, haohuo.jinritemai.com Douyin's shop pages).
PLATFORM_DOMAINS: dict[str, tuple[str, ...]] = {
    Platform.TIKTOK_SHOP: ("tiktok.com",),
    Platform.DOUYIN: ("douyin.com", "iesdouyin.com", "jinritemai.com"),
    Platform.SHOPEE: (
        "shopee.vn",
        "shopee.co.th",
        "shopee.ph",
        "shopee.sg",
        "shopee.com.my",
        "shopee.co.id",
        "shopee.tw",
        "shp.ee",
    ),
    Platform.LAZADA: (
        "lazada.vn",
        "lazada.co.th",
        "lazada.com.ph",
        "lazada.sg",
        "lazada.com.my",
        "lazada.co.id",
    ),
    Platform.FACEBOOK: ("facebook.com", "fb.watch", "fb.com"),
}

# Characters that browsers read differently from Python's URL parser (a backslash is a slash
# to a browser, so "https://evil.example\\@tiktok.com" opens evil.example), or that no
# address a platform hands out contains.
_REFUSED_CHARACTERS = frozenset("\\ \t\r\n\x00")


def _host(url: str) -> str | None:
    """The address's host, lower-cased, when it is a plain https address; else None."""
    if any(character in _REFUSED_CHARACTERS for character in url) or not url.isascii():
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or parts.username is not None or port not in (None, 443):
        return None
    host = (parts.hostname or "").rstrip(".")
    return host or None


def _on_domain(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def platform_of_url(url: str) -> str | None:
    """The platform whose domains hold this https address, or None."""
    host = _host(url)
    if host is None:
        return None
    for platform, domains in PLATFORM_DOMAINS.items():
        if any(_on_domain(host, domain) for domain in domains):
            return platform
    return None


def _platform_names(platforms) -> str:
    return ", ".join(str(Platform(platform).label) for platform in platforms)


def validate_platform_url(url: str, *, platform: str | None) -> None:
    """Refuse an address that is not https on `platform`'s own domains.

    `platform` None means "any known platform" (a session with no channel yet); the "other"
    platform has no known domains, so any https address is accepted for it. An empty address
    is accepted: the fields are optional.
    """
    if not url:
        return
    host = _host(url)
    if host is None:
        raise ValidationError(
            _("Enter an https address (https://...), with no spaces, user name or port."),
            code="not_https",
        )
    if platform == Platform.OTHER:
        return
    found = platform_of_url(url)
    if platform is None:
        if found is None:
            raise ValidationError(
                _("The address must be on a sales platform's own site (%(platforms)s)."),
                params={"platforms": _platform_names(PLATFORM_DOMAINS)},
                code="not_platform_domain",
            )
        return
    if found != platform:
        raise ValidationError(
            _("The address must be on %(platform)s's own site (%(domains)s)."),
            params={
                "platform": Platform(platform).label,
                "domains": ", ".join(PLATFORM_DOMAINS.get(platform, ())),
            },
            code="not_platform_domain",
        )
