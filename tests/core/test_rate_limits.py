"""Request limits: the API per address and per account, the public forms per address (and per
e-mail for a password reset). Over a limit: 429, and Retry-After says when to try again."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from commerce_base.settings import env
from tests.core.test_settings import run_manage

pytestmark = pytest.mark.django_db


def clear_own_counters() -> None:
    """Forget this test process's cached counters. On Redis only its own keys (the cache's
    KEY_PREFIX is the xdist worker's): cache.clear() is FLUSHDB there, which would also
    reset another test process's counters between two of its posts (a limit seen late)."""
    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):
        redis = client.get_client(write=True)
        keys = list(redis.scan_iter(match=cache.make_key("*")))
        if keys:
            redis.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def fresh_counters():
    clear_own_counters()
    yield
    clear_own_counters()


def assert_told_when_to_retry(response, *, seconds: int) -> None:
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= seconds


def test_the_api_limits_anonymous_requests_per_address(settings):
    settings.API_THROTTLE_ANON = "2/minute"
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    assert [client.get("/api/v1/").status_code for _ in range(2)] == [200, 200]

    refused = client.get("/api/v1/")

    assert_told_when_to_retry(refused, seconds=60)
    assert "available in" in refused.json()["detail"]
    assert APIClient(REMOTE_ADDR="203.0.113.8").get("/api/v1/").status_code == 200


def test_the_api_limits_each_signed_in_account(settings, bureau_staff, official):
    settings.API_THROTTLE_USER = "3/hour"
    staff = APIClient()
    staff.force_authenticate(bureau_staff)
    assert [staff.get("/api/v1/imports/").status_code for _ in range(3)] == [200] * 3

    assert_told_when_to_retry(staff.get("/api/v1/imports/"), seconds=3600)
    other = APIClient()
    other.force_authenticate(official)
    assert other.get("/api/v1/imports/").status_code == 200


def test_the_public_registration_form_is_limited_per_address(settings):
    settings.REGISTRATION_RATE = "2/hour"
    client = Client(REMOTE_ADDR="198.51.100.4")
    # An incomplete form: the view answers it (200, with errors) while under the limit.
    assert [client.post("/cooperatives/register/", {}).status_code for _ in range(2)] == [200] * 2

    refused = client.post("/cooperatives/register/", {})

    assert_told_when_to_retry(refused, seconds=3600)
    assert "Too many attempts from here" in refused.content.decode()
    assert Client(REMOTE_ADDR="198.51.100.5").post("/cooperatives/register/", {}).status_code == 200
    # Reading the form is never limited.
    assert client.get("/cooperatives/register/").status_code == 200


def test_the_password_reset_form_is_limited_per_address_and_per_email(settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    first = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(2):
        assert (
            first.post("/accounts/password_reset/", {"email": "a@example.org"}).status_code == 302
        )

    # Another address asking for the same account is refused too; another account is not.
    second = Client(REMOTE_ADDR="192.0.2.11")
    refused = second.post("/accounts/password_reset/", {"email": "A@example.org"})
    assert_told_when_to_retry(refused, seconds=3600)
    assert (
        Client(REMOTE_ADDR="192.0.2.12")
        .post("/accounts/password_reset/", {"email": "b@example.org"})
        .status_code
        == 302
    )


@pytest.mark.parametrize("value", ["60 per minute", "0/minute", "5/fortnight", "/hour"])
def test_a_rate_that_is_not_one_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("API_THROTTLE_ANON", value)
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        env.env_rate("API_THROTTLE_ANON", "60/minute")


def test_behind_the_proxy_each_forwarded_client_address_is_limited_apart(settings):
    # nginx appends the address it received the request from; the sign-in lockout (axes)
    # reads the client the same way, so one visitor is one visitor for every limit.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_THROTTLE_ANON = "1/minute"
    settings.REGISTRATION_RATE = "1/hour"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    visitor = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    # A visitor who writes an X-Forwarded-For of their own only adds an entry left of theirs.
    spoofing_visitor = {**proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.99, 198.51.100.20"}
    neighbour = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.21"}

    assert APIClient(**visitor).get("/api/v1/").status_code == 200
    assert APIClient(**spoofing_visitor).get("/api/v1/").status_code == 429
    assert APIClient(**neighbour).get("/api/v1/").status_code == 200

    assert Client(**visitor).post("/cooperatives/register/", {}).status_code == 200
    assert Client(**spoofing_visitor).post("/cooperatives/register/", {}).status_code == 429
    assert Client(**neighbour).post("/cooperatives/register/", {}).status_code == 200


def test_the_platform_refuses_to_start_with_a_rate_it_cannot_read():
    result = run_manage("check", REGISTRATION_RATE="5 per hour")
    assert result.returncode != 0
    assert "REGISTRATION_RATE: '5 per hour' is not a rate" in result.stderr
