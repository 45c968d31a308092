"""Role x route x object (RELIABILITY.md S7): every cell of `matrix.py` holds; member B gets 404
on A's objects, exactly as on objects that do not exist, and none of A's rows in lists; an
official is refused (403/405) every unsafe API method; and a route without a row fails."""

import pytest

from .calls import Caller, missing_object_url, objects_in_url
from .matrix import API, API_LISTS, LIST_QUERIES, NOT_IN_MATRIX, PAGE_LISTS, PAGES, ROLES
from .routes import Route, all_routes

pytestmark = pytest.mark.django_db

ROWS = {**API, **PAGES}
API_ROUTES = {route for route, _method in API}
REFUSED = (403, 404, 405)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# What cooperative A owns, or what is about A's goods (the session features A's product, the
# meeting is with A). The invitation's token is a secret that anyone holding it may use.
A_OBJECTS = {"cooperative", "product", "photo", "listing", "certification", "session", "meeting"}


def routes_without_rows(routes: list[Route]) -> list[str]:
    """Routes (API: each method its view answers; pages: GET and POST) without a row."""
    missing = []
    for route in routes:
        if route.pattern.startswith(tuple(NOT_IN_MATRIX)):
            continue
        if not route.name:
            missing.append(f"unnamed route {route.pattern!r}")
            continue
        table, methods = (API, route.methods) if route.is_api else (PAGES, ("GET", "POST"))
        missing += [
            f"{route.name} {method} ({route.pattern})"
            for method in methods
            if (route.name, method) not in table
        ]
    return missing


def rows_without_routes(routes: list[Route]) -> list[tuple[str, str]]:
    answered = {
        (route.name, method) for route in routes if route.is_api for method in route.methods
    }
    named = {route.name for route in routes if not route.is_api}
    return [
        *(key for key in API if key not in answered),
        *(key for key in PAGES if key[0] not in named),
    ]


def test_every_route_has_a_row():
    assert routes_without_rows(all_routes()) == []


def test_every_row_names_a_route_that_still_exists():
    assert rows_without_routes(all_routes()) == []


def test_a_route_added_without_a_row_is_caught():
    routes = all_routes()
    product_detail = next(route for route in routes if route.name == "catalog-api:product-detail")
    page = next(route for route in routes if route.name == "catalog:product-detail")
    added = [
        Route("catalog-api:product-copy", "api/v1/products/<pk>/copy/", product_detail.callback),
        Route("catalog:product-copy", "products/<int:pk>/copy/", page.callback),
        Route("", "products/<int:pk>/copy-again/", page.callback),
    ]
    assert routes_without_rows([*routes, *added]) == [
        "catalog-api:product-copy GET (api/v1/products/<pk>/copy/)",
        "catalog-api:product-copy PATCH (api/v1/products/<pk>/copy/)",
        "catalog-api:product-copy PUT (api/v1/products/<pk>/copy/)",
        "catalog:product-copy GET (products/<int:pk>/copy/)",
        "catalog:product-copy POST (products/<int:pk>/copy/)",
        "unnamed route 'products/<int:pk>/copy-again/'",
    ]


@pytest.mark.parametrize("route", sorted({route for route, _method in ROWS}))
def test_access_matrix(world, route):
    caller = Caller(world)
    expected, actual = {}, {}
    for (name, method), cells in ROWS.items():
        if name == route:
            expected[method] = dict(zip(ROLES, cells, strict=True))
            actual[method] = {role: caller.call(role, route, method).status_code for role in ROLES}
    assert actual == expected


# Pages that answer 403 on an existing object and 404 on a missing one, so that B learns
# which ids exist (never what they hold). Strict: the test fails once the page is fixed.
# Routes known to tell existing objects from missing ones, each with its reason (none now).
KNOWN_EXISTENCE_ORACLES: dict[str, str] = {}


def routes_naming_as_objects() -> list:
    routes = sorted(
        route
        for route in {route for route, _method in ROWS}
        if objects_in_url(route) & A_OBJECTS
        # Public pages (the showcase) show A's approved goods to everyone, B included.
        and ROWS.get((route, "GET"), (None,))[ROLES.index("anonymous")] != 200
    )
    return [
        pytest.param(
            route,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_EXISTENCE_ORACLES[route]),
        )
        if route in KNOWN_EXISTENCE_ORACLES
        else route
        for route in routes
    ]


@pytest.mark.parametrize("route", routes_naming_as_objects())
def test_member_b_cannot_tell_as_objects_from_missing_ones(world, route):
    """B's answer on A's object equals B's answer on an id that does not exist, for every
    method, and is never a success: 404 where members may use the route, else 403/405."""
    caller = Caller(world)
    missing = missing_object_url(route, world)
    methods = ("GET", *UNSAFE) if route in API_ROUTES else ("GET", "POST")
    for method in methods:
        on_a = caller.call("coop_b", route, method).status_code
        on_nothing = caller.call("coop_b", route, method, url=missing).status_code
        assert (method, on_a) == (method, on_nothing)
        assert on_a in REFUSED, (method, on_a)
        member_a = ROWS[route, method][ROLES.index("coop_a")] if (route, method) in ROWS else None
        if member_a is not None and member_a not in REFUSED:
            # Where A's member gets through, B is told there is nothing there.
            assert on_a == 404, (method, on_a)


@pytest.mark.parametrize(
    "route",
    sorted(
        {
            route
            for route, _method in API
            # Signing in for a token changes no data; a wrong password is a 400 for anyone.
            if route != "api-token"
        }
    ),
)
def test_an_official_is_refused_every_unsafe_api_method(world, route):
    caller = Caller(world)
    answers = {method: caller.call("official", route, method).status_code for method in UNSAFE}
    assert set(answers.values()) <= {403, 405}, answers


def seen_in_api_list(response, world, key: str) -> bool:
    return world.objects[key].pk in {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("route", sorted(API_LISTS))
def test_api_lists_show_as_rows_only_to_those_who_may_see_them(world, route):
    key, expected = API_LISTS[route]
    caller = Caller(world)
    seen = []
    for role in ROLES:
        response = caller.call(role, route, "GET")
        seen.append(seen_in_api_list(response, world, key) if response.status_code == 200 else None)
    assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize("route", sorted(PAGE_LISTS))
def test_page_lists_show_as_rows_only_to_those_who_may_see_them(world, route):
    marker, expected = PAGE_LISTS[route]
    query = LIST_QUERIES.get(route, "")
    caller = Caller(world)
    seen = []
    for role in ROLES:
        response = caller.call(role, route, "GET", url=caller.url(route) + query)
        seen.append(marker in response.content.decode() if response.status_code == 200 else None)
    assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_member_b_sees_its_own_rows_in_the_lists(world):
    """The lists B gets are B's, not empty for a broken scope."""
    caller = Caller(world)
    products = caller.call("coop_b", "catalog-api:product-list", "GET").json()["results"]
    assert [product["name"] for product in products] == ["B pepper"]
    cooperatives = caller.call("coop_b", "cooperatives-api:cooperative-list", "GET").json()
    assert [row["name"] for row in cooperatives["results"]] == ["Ia Grai Pepper Cooperative"]
