"""Sign in, sign out, password change, role navigation and the language switch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_user_signs_in_with_the_right_password_and_lands_on_the_home_page(bureau_staff, client):
    response = client.post(
        reverse("login"), {"username": "bureau.staff", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"].username == "bureau.staff"


def test_a_wrong_password_is_refused_with_a_message(bureau_staff, client):
    response = client.post(reverse("login"), {"username": "bureau.staff", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_sign_out_is_a_post_and_ends_the_session(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert not staff_client.get(reverse("home")).context["user"].is_authenticated


def test_password_change_needs_the_old_password(bureau_staff, staff_client):
    response = staff_client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "Yak-butter-tea-2026",
            "new_password2": "Yak-butter-tea-2026",
        },
    )
    assert response.status_code == 302
    bureau_staff.refresh_from_db()
    assert bureau_staff.check_password("Yak-butter-tea-2026")


def test_navigation_fits_the_role(staff_client, coop_client, anonymous):
    staff_links = {item["url"] for item in staff_client.get("/").context["nav_items"]}
    member_links = {item["url"] for item in coop_client.get("/").context["nav_items"]}
    public_links = {item["url"] for item in anonymous.get("/").context["nav_items"]}
    assert reverse("admin:index") in staff_links
    assert reverse("admin:index") not in member_links
    assert reverse("admin:index") not in public_links
    assert reverse("home") in public_links


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "Đăng nhập"), ("zh-hans", "登录"), ("en", "Sign in")],
)
def test_the_language_switcher_translates_the_frame(client, language, expected):
    response = client.post(
        reverse("set_language"), {"language": language, "next": "/"}, follow=True
    )
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
    assert expected in response.content.decode()


def test_pages_send_the_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
