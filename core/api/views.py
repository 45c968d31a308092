from importlib import import_module

from django.contrib.auth.signals import user_logged_in
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..logins import cool_off_seconds, lockout_message

# The apps that publish an API router in `<app>/api/urls.py` as `router`.
API_APPS = ("core", "cooperatives", "catalog", "livestreams", "orders", "dashboards")


class ApiRootView(APIView):
    """Links to every collection of the API, so a client can discover it."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, format=None):
        links = {}
        for app in API_APPS:
            module = import_module(f"{app}.api.urls")
            router = getattr(module, "router", None)
            # {link name: URL name}: a router's collections by their prefix; apps without a
            # router (reports) by their named routes that take no argument.
            names = (
                {prefix: f"{basename}-list" for prefix, _v, basename in router.registry}
                if router
                else {}
            )
            names |= {
                str(pattern.pattern).strip("/").replace("/", "-"): pattern.name
                for pattern in getattr(module, "urlpatterns", [])
                if not router and pattern.name and not pattern.pattern.converters
            }
            for key, name in names.items():
                try:
                    links[key] = request.build_absolute_uri(reverse(f"{app}-api:{name}"))
                except NoReverseMatch:
                    continue
        links["schema"] = request.build_absolute_uri(reverse("schema"))
        links["docs"] = request.build_absolute_uri(reverse("api-docs"))
        return Response(dict(sorted(links.items())))


class ObtainTokenView(ObtainAuthToken):
    """A username and password in, the user's API token out; 429 after too many failures."""

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # The serializer checks the password with authenticate(request=...), so django-axes
            # counts the failures; it flags a lockout on DRF's request, which its middleware
            # never sees, so the 429 is given here.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(wait=cool_off_seconds(), detail=lockout_message())
            serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # Announced like a web sign-in, so that axes forgets the earlier failures.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
