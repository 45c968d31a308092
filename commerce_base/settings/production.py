"""Production overrides: no debug, secrets and servers required, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BUYER_HASH_KEY,
    DATABASES,
    DEVELOPMENT_SECRET_KEY,
    DOCUMENTS_STORAGE,
    IMPORTS_STORAGE,
    REDIS_URL,
    SECRET_KEY,
)
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False

if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(set(SECRET_KEY)) < 5 or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if env_str("BUYER_HASH_KEY") is None or len(BUYER_HASH_KEY) < 32:
    raise ImproperlyConfigured(
        "BUYER_HASH_KEY must be set to a random value of at least 32 characters in production: "
        "it keys the hash that counts distinct buyers. Keep it for good; changing it splits "
        "buyer counts (README: Buyer counts and BUYER_HASH_KEY)."
    )
env_required("SITE_URL", purpose="the address users reach the site at, for links in e-mails")
env_required("ALLOWED_HOSTS", purpose="the host names this site answers to, comma-separated")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
env_required("DATABASE_URL", purpose="production runs on PostgreSQL (postgres://user:pass@host/db)")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: Celery's broker and the cache."
    )

# Behind a proxy that terminates TLS, it tells us the original scheme in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Health checks come from inside the private network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "imports": IMPORTS_STORAGE,
    "documents": DOCUMENTS_STORAGE,
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
