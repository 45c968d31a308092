"""The production stack as docker-compose.yml runs it, without Docker: the web service's own
command (migrate, collectstatic, gunicorn) under the production settings, the worker's command,
and nginx with deploy/nginx.conf in front, on PostgreSQL and Redis. Then, over HTTP, what an
operator and the users need: pages, the admin, the API schema, a dashboard, product photos and
their thumbnails, and private evidence refused to the public but served to staff.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from commerce_base.settings.env import redis_database

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    # One stack for the module (its database, Redis databases and ports): both tests run in
    # the same test process under pytest-xdist (`--dist loadgroup`, see the Makefile).
    pytest.mark.xdist_group("production-stack"),
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres") or not REDIS_URL or not shutil.which("nginx"),
        reason="the production stack needs PostgreSQL, Redis and nginx (.ci/run provides them)",
    ),
]

# Made in the stack by manage.py shell: a staff session, a certification with evidence, and
# the addresses of a product photo and its thumbnail.
SETUP_SCRIPT = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from catalog.models import Certification, ProductImage
from cooperatives.models import Cooperative

def session_for(username):
    user = get_user_model().objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key

certification = Certification.objects.create(
    cooperative=Cooperative.objects.first(), kind="organic",
    valid_from="2026-01-01", document=ContentFile(b"%PDF-1.4 smoke evidence", name="smoke.pdf"),
)
photo = ProductImage.objects.exclude(thumbnail="").order_by("pk").first()
print(json.dumps({
    "staff": session_for("staff"),
    "official": session_for("official"),
    "evidence_url": reverse("catalog:certification-document", args=[certification.pk]),
    "evidence_name": certification.document.name,
    "photo": photo.image.url if photo else None,
    "thumbnail": photo.thumbnail.url if photo else None,
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def compose_service(name: str) -> dict:
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())["services"][name]


def fetch(url: str, *, cookie: str = "") -> tuple[int, dict, bytes]:
    """GET without following redirects; the status, headers and body. Sent as a TLS proxy in
    front of nginx would pass it on (the scheme it was reached by)."""
    headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, _headers(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _headers(error.headers), error.read()


def _headers(message) -> dict[str, str]:
    """Headers by name, repeated ones joined as HTTP allows."""
    return {name: ", ".join(message.get_all(name)) for name in set(message.keys())}


def wait_until(predicate, *, seconds: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"{what} within {seconds} s\n{tails}")


def create_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username,
        password=parts.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    name = parts.path.lstrip("/")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def nginx_config(folder: Path, *, listen: int, upstream: int) -> str:
    """deploy/nginx.conf as compose mounts it, pointed at this machine's folders and ports."""
    text = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    replacements = {
        "server web:8000;": f"server 127.0.0.1:{upstream};",
        "listen 8080;": f"listen 127.0.0.1:{listen};",
        "alias /app/staticfiles/;": f"alias {folder / 'static'}/;",
        "alias /app/media/;": f"alias {folder / 'media'}/;",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    # Files of this run (pid, logs, temporary bodies) stay in its folder; as root, workers
    # read the test's private folders as root too.
    header = f"pid {folder}/nginx.pid;\nerror_log {folder}/nginx-error.log;\n"
    if os.geteuid() == 0:
        header += "user root;\n"
    temp = "".join(
        f"    {kind}_temp_path {folder}/nginx-{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {\n", f"http {{\n    access_log {folder}/nginx-access.log;\n{temp}")
    return header + text


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    for name in ("static", "media", "private", "var"):
        (folder / name).mkdir()
    database_url = (
        urlparse(DATABASE_URL)._replace(path=urlparse(DATABASE_URL).path + "_smoke").geturl()
    )
    create_database(database_url)
    web_port, proxy_port = free_port(), free_port()
    site = f"http://127.0.0.1:{proxy_port}"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "commerce_base.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "BUYER_HASH_KEY": secrets.token_urlsafe(40),
        "SITE_URL": site,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": site,
        "DATABASE_URL": database_url,
        # Databases of their own on the suite's Redis (broker, results, cache: +3, +4, +5).
        "REDIS_URL": redis_database(REDIS_URL, 3),
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_ROOT": str(folder / "private"),
        "COMMERCE_BASE_VAR_DIR": str(folder / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    logs = [folder / name for name in ("web.log", "worker.log", "nginx-error.log")]
    processes = []

    def start(argv, log):
        process = subprocess.Popen(
            argv, cwd=PROJECT_DIR, env=environment, stdout=log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        processes.append(process)
        return process

    # The web service's command, as compose runs it, on a local port.
    script = compose_service("web")["command"][2]
    assert "0.0.0.0:8000" in script
    script = script.replace("0.0.0.0:8000", f"127.0.0.1:{web_port}").replace(
        "python ", f"{sys.executable} "
    )
    script = script.replace("exec gunicorn", f"exec {Path(sys.executable).parent / 'gunicorn'}")
    start(["sh", "-c", script], logs[0])
    worker = compose_service("worker")["command"]
    start([str(Path(sys.executable).parent / worker[0]), *worker[1:]], logs[1])
    (folder / "nginx.conf").write_text(nginx_config(folder, listen=proxy_port, upstream=web_port))
    start(["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
          folder / "nginx.log")  # fmt: skip
    try:
        wait_until(
            lambda: fetch(f"{site}/healthz/")[0] == 200,
            seconds=240, what="the stack answers /healthz/ through nginx", logs=logs,
        )  # fmt: skip

        def manage(*args, timeout=300):
            result = subprocess.run(
                [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=environment,
                capture_output=True, text=True, timeout=timeout,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-3000:]
            return result.stdout

        manage("seed_demo")
        # The worker makes the demo photos' thumbnails on the images queue.
        data = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            data = json.loads(manage("shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
            if data["thumbnail"]:
                break
            time.sleep(2)
        yield {"site": site, "manage": manage, "folder": folder, **data}
    finally:
        for process in processes:
            with_group = os.getpgid(process.pid) if process.poll() is None else None
            if with_group:
                os.killpg(with_group, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(os.getpgid(process.pid), signal.SIGKILL)


def test_pages_admin_api_schema_and_a_dashboard_are_served(stack):
    site = stack["site"]
    status, _headers, home = fetch(f"{site}/")
    assert status == 200
    assert fetch(f"{site}/admin/login/")[0] == 200
    status, headers, schema = fetch(f"{site}/api/schema/")
    assert status == 200 and b"openapi" in schema
    assert fetch(f"{site}/dashboards/", cookie=f"sessionid={stack['official']}")[0] == 200
    # The home page's static files are the collected, hashed ones, served by nginx.
    static = re.findall(rb'/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js)', home)
    assert static
    status, headers, _body = fetch(site + static[0].decode())
    assert status == 200 and "immutable" in headers.get("Cache-Control", "")


def test_product_photos_and_thumbnails_are_served(stack):
    assert stack["photo"] and stack["thumbnail"], "seed_demo made no photo with a thumbnail"
    for path in (stack["photo"], stack["thumbnail"]):
        status, headers, body = fetch(stack["site"] + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith("image/")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert body[:4] in (b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb",
                            b"\x89PNG", b"RIFF")  # fmt: skip


def test_evidence_is_refused_to_the_public_and_served_to_staff(stack):
    site = stack["site"]
    url = site + stack["evidence_url"]
    status, headers, _body = fetch(url)
    assert status == 302 and "/accounts/login/" in headers["Location"]
    status, _headers, body = fetch(url, cookie=f"sessionid={stack['staff']}")
    assert status == 200 and body == b"%PDF-1.4 smoke evidence"
    # Not under /media/, whatever the name.
    assert fetch(f"{site}/media/{stack['evidence_name']}")[0] == 404
    assert not (stack["folder"] / "media" / stack["evidence_name"]).exists()


def test_the_deployment_checklist_is_clean(stack):
    output = stack["manage"]("check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues (0 silenced)." in output
