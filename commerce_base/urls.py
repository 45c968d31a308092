"""Top-level URLs: each app brings its own pages (`<app>.urls`) and API (`<app>.api.urls`)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views
from core.api.views import ApiRootView, ObtainTokenView
from core.ratelimit import limit_posts, posted_email

# core's pages come last: its home page answers "" once every other app had its turn.
APPS = (*(app for app in settings.DOMAIN_APPS if app != "core"), "core")

api_patterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *(path("", include(f"{app}.api.urls")) for app in APPS),
]

urlpatterns = [
    # The language switch remembers a signed-in person's choice for their e-mails.
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # The password-reset form is public: limited per address and per e-mail (core.ratelimit).
    path(
        "accounts/password_reset/",
        limit_posts("password-reset", "PASSWORD_RESET_RATE", keys=posted_email)(
            auth_views.PasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    *(path("", include(f"{app}.urls")) for app in APPS),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Commerce Base"
admin.site.site_title = "Commerce Base"
