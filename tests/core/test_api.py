"""The REST API root, its schema and docs, and token authentication."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_links_and_the_schema():
    response = APIClient().get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert links["schema"].endswith("/api/schema/")
    assert links["imports"].endswith("/api/v1/imports/")
    assert links["reports-overview"].endswith("/api/v1/reports/overview/")


def test_the_openapi_schema_describes_the_api():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Commerce Base API"


def test_the_interactive_docs_are_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body
    assert "cdn.jsdelivr" not in body and "unpkg.com" not in body


def test_drf_create_token_gives_a_token_that_authenticates(bureau_staff, capsys):
    call_command("drf_create_token", "bureau.staff")
    token = Token.objects.get(user=bureau_staff)
    assert token.key in capsys.readouterr().out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/").status_code == 200


def test_a_token_is_obtained_with_username_and_password(bureau_staff):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "bureau.staff", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=bureau_staff).key
