"""Every URL pattern of the project, with the HTTP methods its view answers, read from the
resolver so that a route added later shows up here without anyone listing it."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

IGNORED_METHODS = frozenset({"options", "head", "trace"})


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, e.g. "catalog-api:product-detail"
    pattern: str  # the full pattern, for messages
    callback: object

    @property
    def is_api(self) -> bool:
        """The API, its schema and docs: DRF views, whose methods are read from the view."""
        return self.pattern.startswith("api/")

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods the view handles, as far as its class tells (DRF views, class views)."""
        actions = getattr(self.callback, "actions", None)
        if actions:  # a ViewSet bound to {method: action}
            # DRF adds "head" to this very dict the first time the route answers a GET, so
            # the methods must not depend on which tests ran before.
            return tuple(
                sorted(method.upper() for method in actions if method not in IGNORED_METHODS)
            )
        view_class = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", None
        )
        if view_class is None:
            return ()
        return tuple(
            sorted(
                method.upper()
                for method in view_class.http_method_names
                if method not in IGNORED_METHODS and hasattr(view_class, method)
            )
        )


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(name=name, pattern=prefix + str(pattern.pattern), callback=pattern.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))
