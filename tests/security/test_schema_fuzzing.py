"""Schemathesis against /api/schema/, per persona (RELIABILITY.md S10): no generated request,
valid or not, sent as any of the six personas, gets a server error.

Each operation gets EXAMPLES generated requests (valid and invalid ones; half of those with a
path aim at the world's real object rather than a random id). All are sent as bureau staff,
whom every operation lets through to its code. The first PERSONA_EXAMPLES are also sent as
each other persona the access matrix (S7) lets past the permission check, and the first
REFUSED_EXAMPLES as the personas it refuses there (403/405). The budget keeps the run within
a few minutes on two cores; SCHEMA_FUZZ_PERSONA_EXAMPLES=100 sends every request as every
persona let through (about three times as long). Every request is rolled back, so each meets
the same world and a failure replays alone; Hypothesis runs derandomized.
"""

import os
import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from .matrix import API, ROLES

# Slow: hundreds of generated requests (make test-quick leaves them out; make test runs them).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "100"))
PERSONA_EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_PERSONA_EXAMPLES", "25"))
REFUSED_EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_REFUSED_EXAMPLES", "5"))
REFUSED = (403, 405)

APPLICATION = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APPLICATION)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}

# The world's object a path's {id} names, by the path's collection.
PATH_OBJECTS = {
    "/api/v1/certifications/": "certification",
    "/api/v1/channels/": "channel",
    "/api/v1/cooperatives/": "cooperative",
    "/api/v1/display-slots/": "slot",
    "/api/v1/displays/": "display",
    "/api/v1/hosts/": "host",
    "/api/v1/imports/": "batch",
    "/api/v1/listings/": "listing",
    "/api/v1/meetings/": "meeting",
    "/api/v1/products/": "product",
    "/api/v1/reports/cooperatives/": "cooperative",
    "/api/v1/reports/programme/targets/": "target",
    "/api/v1/reports/sessions/": "session",
    "/api/v1/rooms/": "room",
    "/api/v1/sessions/": "session",
    "/api/v1/training-attendances/": "attendance",
    "/api/v1/zones/": "zone",
}


def matrix_row(operation) -> tuple[int, ...]:
    """The operation's row of the access matrix (S7)."""
    route = resolve(operation.path.replace("{id}", "1")).view_name
    return API[route, operation.method.upper()]


def personas_let_through(operation) -> tuple[str, ...]:
    return tuple(
        role
        for role, status in zip(ROLES, matrix_row(operation), strict=True)
        if status not in REFUSED
    )


def strategy_for(operation, world):
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if "{id}" in operation.path:
        # Random ids are mostly not found; these aim at the world's real object.
        real = {"id": world.objects[PATH_OBJECTS[operation.path.split("{id}")[0]]].pk}
        strategies += [
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real),
            operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real),
        ]
    return st.one_of(strategies)


def fuzzer(operation, world, headers: dict[str, dict], sent: Counter):
    """A Hypothesis test sending each generated request as the personas, counting in `sent`."""
    let_through = personas_let_through(operation)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=strategy_for(operation, world))
    def fuzz(case):
        sent["examples"] += 1
        for role in ROLES:
            budget = (
                EXAMPLES
                if role == "staff"
                else PERSONA_EXAMPLES
                if role in let_through
                else REFUSED_EXAMPLES
            )
            if sent["examples"] > budget:
                continue
            sent[role] += 1
            with transaction.atomic():
                response = case.call(headers=headers[role])
                transaction.set_rollback(True)
            try:
                case.validate_response(response, checks=[not_a_server_error], headers=headers[role])
            except Exception as error:
                error.add_note(f"Sent as {role}.")
                raise

    return fuzz


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Django's WSGI handler closes the database connection after each request, which would
    end the test's transaction; the test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_of_the_schema_has_a_row_in_the_access_matrix():
    """So that the personas each operation is fuzzed as are the matrix's, kept current."""
    assert len(OPERATIONS) >= 80
    for operation in OPERATIONS.values():
        assert len(matrix_row(operation)) == len(ROLES), operation.label
        if "{id}" in operation.path:
            assert operation.path.split("{id}")[0] in PATH_OBJECTS, operation.label


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_generated_request_gets_a_server_error(world, wsgi_keeps_the_test_connection, label):
    operation = OPERATIONS[label]
    tokens = {
        role: Token.objects.get_or_create(user=user)[0].key
        for role, user in world.users.items()
        if user.is_authenticated
    }
    headers = {
        role: {"Authorization": f"Token {tokens[role]}"} if role in tokens else {} for role in ROLES
    }
    sent: Counter = Counter()
    started = time.perf_counter()
    fuzzer(operation, world, headers, sent)()
    elapsed = time.perf_counter() - started
    print(f"\n{label}: {elapsed:.1f}s, {dict(sent)}")
    assert sent["staff"] >= EXAMPLES, dict(sent)
