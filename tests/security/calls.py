"""How the matrix calls a route: which of the world's objects fills its URL, what body an unsafe
request carries, and a caller that rolls every request back so that one cell never changes
what the next one sees."""

import json
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .conftest import World

# Route -> its URL arguments: {argument: (object of the world, attribute)}, or (None, value)
# for a literal. Routes without arguments are absent.
ARGUMENTS: dict[str, dict[str, tuple[str | None, str]]] = {
    "password_reset_confirm": {"uidb64": (None, "MQ"), "token": (None, "set-password")},
    "cooperatives-api:cooperative-detail": {"pk": ("cooperative", "pk")},
    "cooperatives-api:cooperative-resubmit": {"pk": ("cooperative", "pk")},
    "cooperatives-api:cooperative-review": {"pk": ("cooperative", "pk")},
    "catalog-api:product-detail": {"pk": ("product", "pk")},
    "catalog-api:product-archive": {"pk": ("product", "pk")},
    "catalog-api:product-photos": {"pk": ("product", "pk")},
    "catalog-api:product-review": {"pk": ("product", "pk")},
    "catalog-api:product-submit": {"pk": ("product", "pk")},
    "catalog-api:listing-detail": {"pk": ("listing", "pk")},
    "catalog-api:certification-detail": {"pk": ("certification", "pk")},
    "catalog-api:zone-detail": {"pk": ("zone", "pk")},
    "catalog-api:display-slot-detail": {"pk": ("slot", "pk")},
    "catalog-api:display-detail": {"pk": ("display", "pk")},
    "livestreams-api:channel-detail": {"pk": ("channel", "pk")},
    "livestreams-api:room-detail": {"pk": ("room", "pk")},
    "livestreams-api:host-detail": {"pk": ("host", "pk")},
    "livestreams-api:session-detail": {"pk": ("session", "pk")},
    "livestreams-api:session-cancel": {"pk": ("session", "pk")},
    "livestreams-api:session-end": {"pk": ("session", "pk")},
    "livestreams-api:session-metrics": {"pk": ("session", "pk")},
    "livestreams-api:session-off-air": {"pk": ("session", "pk")},
    "livestreams-api:session-on-air": {"pk": ("session", "pk")},
    "livestreams-api:session-publish": {"pk": ("session", "pk")},
    "livestreams-api:session-start": {"pk": ("session", "pk")},
    "livestreams-api:meeting-detail": {"pk": ("meeting", "pk")},
    "livestreams-api:training-attendance-detail": {"pk": ("attendance", "pk")},
    "livestreams-api:training-attendance-attended": {"pk": ("attendance", "pk")},
    "orders-api:import-detail": {"pk": ("batch", "pk")},
    "orders-api:session-sales": {"pk": ("session", "pk")},
    "dashboards-api:programme-target": {"pk": ("target", "pk")},
    "dashboards-api:session": {"pk": ("session", "pk")},
    "dashboards-api:session-totals": {"pk": ("session", "pk")},
    "dashboards-api:cooperative": {"pk": ("cooperative", "pk")},
    "cooperatives:detail": {"pk": ("cooperative", "pk")},
    "cooperatives:edit": {"pk": ("cooperative", "pk")},
    "cooperatives:review": {"pk": ("cooperative", "pk")},
    "cooperatives:resubmit": {"pk": ("cooperative", "pk")},
    "cooperatives:invite": {"pk": ("cooperative", "pk")},
    "cooperatives:accept-invitation": {"token": ("invitation", "token")},
    "catalog:showcase-product": {"slug": ("product", "slug")},
    "catalog:showcase-cooperative": {"slug": ("cooperative", "slug")},
    "catalog:display-end": {"pk": ("display", "pk")},
    "catalog:display-qr": {"pk": ("display", "pk")},
    "catalog:display-qr-svg": {"pk": ("display", "pk")},
    "catalog:product-detail": {"pk": ("product", "pk")},
    "catalog:product-edit": {"pk": ("product", "pk")},
    "catalog:product-submit": {"pk": ("product", "pk")},
    "catalog:product-archive": {"pk": ("product", "pk")},
    "catalog:product-reopen": {"pk": ("product", "pk")},
    "catalog:product-review": {"pk": ("product", "pk")},
    "catalog:photo-add": {"pk": ("product", "pk")},
    "catalog:listing-create": {"pk": ("product", "pk")},
    "catalog:photo-primary": {"pk": ("photo", "pk")},
    "catalog:photo-move": {"pk": ("photo", "pk")},
    "catalog:photo-delete": {"pk": ("photo", "pk")},
    "catalog:listing-edit": {"pk": ("listing", "pk")},
    "catalog:listing-delete": {"pk": ("listing", "pk")},
    "catalog:certification-edit": {"pk": ("certification", "pk")},
    "catalog:certification-document": {"pk": ("certification", "pk")},
    "livestreams:session-detail": {"session_id": ("session", "pk")},
    "livestreams:run-sheet": {"session_id": ("session", "pk")},
    "livestreams:session-control": {"session_id": ("session", "pk")},
    "livestreams:session-metrics": {"session_id": ("session", "pk")},
    "livestreams:attendance-sheet": {"session_id": ("training", "pk")},
    "livestreams:training-sign-up": {"session_id": ("training", "pk")},
    "livestreams:training-withdraw": {
        "session_id": ("training", "pk"),
        "attendance_id": ("attendance", "pk"),
    },
    "livestreams:room-feed": {"token": ("room", "feed_token")},
    "livestreams:host-feed": {"token": ("host", "feed_token")},
    "orders:import-detail": {"batch_id": ("batch", "pk")},
    "orders:import-status": {"batch_id": ("batch", "pk")},
    "orders:import-errors": {"batch_id": ("batch", "pk")},
    "orders:import-file": {"batch_id": ("batch", "pk")},
    "dashboards:session-detail": {"session_id": ("session", "pk")},
    "dashboards:session-totals": {"session_id": ("session", "pk")},
    "dashboards:target-edit": {"target_id": ("target", "pk")},
    "dashboards:target-delete": {"target_id": ("target", "pk")},
    "dashboards:cooperative-detail": {"cooperative_id": ("cooperative", "pk")},
    "job-detail": {"job_id": ("job", "pk")},
    # The audit trail of A's product (any audited model answers alike).
    "history": {
        "app_label": (None, "catalog"),
        "model_name": (None, "product"),
        "pk": ("product", "pk"),
    },
    "job-status": {"job_id": ("job", "pk")},
}

# Bodies of the unsafe API requests whose matrix cell shows a write going through (a change
# that is valid for whoever may make it); the other unsafe requests send {} and the roles
# allowed through get the validation answer (400), which is as telling.
API_BODIES: dict[tuple[str, str], Callable[[World], dict]] = {
    ("cooperatives-api:cooperative-detail", "PATCH"): lambda w: {"description": "Robusta."},
    ("catalog-api:product-detail", "PATCH"): lambda w: {"description": "Roasted."},
    ("catalog-api:listing-detail", "PATCH"): lambda w: {"seller_sku": "A-BEANS-1"},
    ("catalog-api:certification-detail", "PATCH"): lambda w: {"issuer": "Gia Lai DARD"},
    ("catalog-api:zone-detail", "PATCH"): lambda w: {"name": "Live rooms"},
    ("catalog-api:display-slot-detail", "PATCH"): lambda w: {"label": "Front"},
    ("catalog-api:display-detail", "PATCH"): lambda w: {"note": "Window"},
    ("livestreams-api:session-detail", "PATCH"): lambda w: {"notes": "Bring samples."},
    ("livestreams-api:meeting-detail", "PATCH"): lambda w: {"outcome_notes": "Samples sent."},
    ("livestreams-api:training-attendance-detail", "PATCH"): lambda w: {
        "attendee_name": "Nguyễn T. Hoa"
    },
    ("dashboards-api:programme-target", "PATCH"): lambda w: {"note": "Harvest month"},
    ("cooperatives-api:cooperative-review", "POST"): lambda w: {
        "decision": "suspended",
        "reason": "Audit of the cooperative's registration.",
    },
}

# Form pages whose POST carries a form body; the rest post nothing.
PAGE_BODIES: dict[str, Callable[[World], dict]] = {
    "cooperatives:invite": lambda w: {"email": "second.member@example.org"},
}


def url_arguments(route: str, world: World) -> dict:
    return {
        argument: value if key is None else getattr(world.objects[key], value)
        for argument, (key, value) in ARGUMENTS.get(route, {}).items()
    }


def objects_in_url(route: str) -> set[str]:
    """The world's objects the route's URL names."""
    return {key for key, _value in ARGUMENTS.get(route, {}).values() if key}


def missing_object_url(route: str, world: World) -> str:
    """The route's URL with every object replaced by one that does not exist."""
    arguments = {}
    for argument, value in url_arguments(route, world).items():
        if isinstance(value, int):
            arguments[argument] = 999_999
        elif isinstance(value, uuid.UUID):
            arguments[argument] = uuid.UUID(int=1)
        else:
            arguments[argument] = "no-such-thing"
    return reverse(route, kwargs=arguments or None)


class Caller:
    """Calls routes as one of the six personas, each request inside a rolled-back savepoint.

    Each persona signs in once; every request gets a fresh client carrying that session, so
    that a sign-out in one cell does not sign the persona out of the next.
    """

    def __init__(self, world: World):
        self.world = world
        self.sessions: dict[str, str | None] = {}
        for role, user in world.users.items():
            if user.is_authenticated:
                client = Client()
                client.force_login(user)
                self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            else:
                self.sessions[role] = None

    def url(self, route: str) -> str:
        return reverse(route, kwargs=url_arguments(route, self.world) or None)

    def client(self, role: str) -> Client:
        client = Client()
        if self.sessions[role]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def call(self, role: str, route: str, method: str, *, url: str | None = None):
        """The response (status 500 when the view raised) of one request, then rolled back."""
        url = url or self.url(route)
        client = self.client(role)
        arguments: dict = {}
        if method != "GET":
            if url.startswith("/api/"):
                body = API_BODIES.get((route, method), lambda w: {})(self.world)
                arguments = {"data": json.dumps(body), "content_type": "application/json"}
            else:
                body = PAGE_BODIES.get(route, lambda w: {})(self.world)
                arguments = {"data": body}
        with transaction.atomic():
            try:
                response = getattr(client, method.lower())(url, **arguments)
            except Exception as error:  # a server error is a cell like any other
                response = ServerError(error)
            transaction.set_rollback(True)
        return response


class ServerError:
    status_code = 500

    def __init__(self, error: Exception):
        self.error = error

    def __repr__(self) -> str:
        return f"<500 {type(self.error).__name__}: {self.error}>"
