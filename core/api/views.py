from importlib import import_module

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

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
