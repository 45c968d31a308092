"""Brute force on the three sign-ins: the web page, the admin and the API token (RELIABILITY.md
S5). The failure limit locks that username from that address: the limit-th wrong password and
every attempt after it, the right password included, get 429, while another user on the same
address signs in as usual. The lock ends after the cool-off, and a success forgets failures."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.logins import client_ip_address
from core.roles import BUREAU_STAFF
from tests.core.factories import UserFactory
from tests.core.test_settings import run_manage

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
WRONG = "wrong-horse-battery"


@dataclass(frozen=True)
class SignIn:
    """One way in: where the credentials go and how a success and a refusal look."""

    name: str
    url_name: str
    refused_status: int
    signed_in_status: int

    def attempt(self, client: Client, username: str, password: str):
        data = {"username": username, "password": password}
        if self.name != "api-token":
            data["next"] = "/"
        return client.post(reverse(self.url_name), data)

    def signed_in(self, client: Client, response) -> bool:
        if self.name == "api-token":
            return response.status_code == 200 and "token" in response.json()
        return response.status_code == 302 and "_auth_user_id" in client.session


SIGN_INS = [
    SignIn("web", "login", refused_status=200, signed_in_status=302),
    SignIn("admin", "admin:login", refused_status=200, signed_in_status=302),
    SignIn("api-token", "api-token", refused_status=400, signed_in_status=200),
]
each_sign_in = pytest.mark.parametrize("sign_in", SIGN_INS, ids=lambda sign_in: sign_in.name)


@pytest.fixture
def target(db):
    return UserFactory(username="target.staff", roles=[BUREAU_STAFF], is_staff=True)


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague.staff", roles=[BUREAU_STAFF], is_staff=True)


def fail(sign_in: SignIn, client: Client, times: int, username: str = "target.staff") -> list:
    return [sign_in.attempt(client, username, WRONG).status_code for _ in range(times)]


def test_the_settings_lock_per_username_and_address_for_a_while_and_forget_on_success():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AXES_HTTP_RESPONSE_CODE == 429


def test_the_limit_and_the_cool_off_come_from_the_environment_and_refuse_bad_values():
    shown = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds())",
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_COOL_OFF_MINUTES="30",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["8", "1800.0"]
    refused = run_manage("check", LOGIN_COOL_OFF_MINUTES="0")
    assert refused.returncode != 0
    assert "LOGIN_COOL_OFF_MINUTES=0 is below the minimum of 1" in refused.stderr


@each_sign_in
def test_the_limit_th_failure_and_the_next_request_get_429_even_with_the_right_password(
    sign_in, target
):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert fail(sign_in, client, limit - 1) == [sign_in.refused_status] * (limit - 1)
    assert fail(sign_in, client, 1) == [429]

    # Request limit + 1, with the right password: still refused.
    response = sign_in.attempt(client, "target.staff", PASSWORD)
    assert response.status_code == 429
    assert not sign_in.signed_in(client, response)
    assert "_auth_user_id" not in client.session
    assert int(response["Retry-After"]) == 15 * 60


@each_sign_in
def test_another_user_on_the_same_address_is_not_locked(sign_in, target, colleague):
    client = Client()
    fail(sign_in, client, settings.AXES_FAILURE_LIMIT)
    assert sign_in.attempt(client, "target.staff", PASSWORD).status_code == 429

    other = Client()  # same REMOTE_ADDR (127.0.0.1), another username
    response = sign_in.attempt(other, "colleague.staff", PASSWORD)
    assert response.status_code == sign_in.signed_in_status
    assert sign_in.signed_in(other, response)


@each_sign_in
def test_the_same_username_from_another_address_is_not_locked(sign_in, target):
    fail(sign_in, Client(REMOTE_ADDR="198.51.100.7"), settings.AXES_FAILURE_LIMIT)
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = sign_in.attempt(client, "target.staff", PASSWORD)
    assert sign_in.signed_in(client, response)


@each_sign_in
def test_the_lock_ends_after_the_cool_off(sign_in, target):
    client = Client()
    fail(sign_in, client, settings.AXES_FAILURE_LIMIT)
    assert sign_in.attempt(client, "target.staff", PASSWORD).status_code == 429

    # Sixteen minutes pass: the attempts are dated back rather than waiting.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in.attempt(client, "target.staff", PASSWORD)
    assert sign_in.signed_in(client, response)


@each_sign_in
def test_a_success_forgets_the_earlier_failures(sign_in, target):
    limit = settings.AXES_FAILURE_LIMIT
    fail(sign_in, Client(), limit - 1)
    client = Client()
    assert sign_in.signed_in(client, sign_in.attempt(client, "target.staff", PASSWORD))
    assert not AccessAttempt.objects.filter(username="target.staff").exists()

    # Another limit - 1 failures are again answered as usual, not with 429.
    assert fail(sign_in, Client(), limit - 1) == [sign_in.refused_status] * (limit - 1)


def test_the_web_lockout_page_explains_the_pause_in_the_site_frame(target):
    client = Client()
    fail(SIGN_INS[0], client, settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("login"), {"username": "target.staff", "password": PASSWORD})
    assert response.status_code == 429
    # The sign-in view renders its form first; the lockout page replaces that answer.
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    body = response.content.decode()
    assert 'class="site-header"' in body
    assert "Sign-in paused" in body
    assert "Try again in 15 minutes." in body


def test_the_lockout_page_follows_the_visitors_language(target):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    fail(SIGN_INS[0], client, settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("login"), {"username": "target.staff", "password": PASSWORD})
    assert response.status_code == 429
    assert 'lang="vi"' in response.content.decode()


def test_the_api_answers_the_lockout_in_json(target):
    client = Client()
    fail(SIGN_INS[2], client, settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("api-token"), {"username": "target.staff", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Try again in 15 minutes." in response.json()["detail"]


def test_failures_on_one_way_in_count_on_the_others(target):
    """Splitting the guesses over the page, the admin and the API buys no extra attempts."""
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    fail(SIGN_INS[0], client, limit - 2)
    fail(SIGN_INS[1], client, 1)
    assert fail(SIGN_INS[2], client, 1) == [429]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip_address(request) == "10.0.0.2"


def test_behind_one_proxy_the_address_it_appended_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote the first entry itself to dodge the lock; the proxy appended the real one.
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_ip_address(request) == "203.0.113.9"


def test_behind_a_proxy_a_forged_address_does_not_escape_the_lock(settings, target):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in = SIGN_INS[0]
    for number in range(settings.AXES_FAILURE_LIMIT):
        forged = Client(
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9"
        )
        sign_in.attempt(forged, "target.staff", WRONG)
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9")
    assert sign_in.attempt(client, "target.staff", PASSWORD).status_code == 429
