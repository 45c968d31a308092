from importlib import import_module

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

# The apps that publish an API router in `<app>/api/urls.py` as `router`.
API_APPS = ("core", "cooperatives", "catalog", "livestreams", "orders")


class ApiRootView(APIView):
    """Links to every collection of the API, so a client can discover it."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, format=None):
        links = {}
        for app in API_APPS:
            router = import_module(f"{app}.api.urls").router
            for _prefix, _viewset, basename in router.registry:
                try:
                    links[basename] = request.build_absolute_uri(
                        reverse(f"{app}-api:{basename}-list")
                    )
                except NoReverseMatch:
                    continue
        links["schema"] = request.build_absolute_uri(reverse("schema"))
        links["docs"] = request.build_absolute_uri(reverse("api-docs"))
        return Response(dict(sorted(links.items())))
