"""Settings read from the environment and refuse bad values with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from commerce_base.settings import env

PROJECT_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "BUYER_HASH_KEY",
            "SITE_URL",
            "CELERY_BROKER_REDIS_URL",
            "CELERY_RESULT_REDIS_URL",
            "CACHE_REDIS_URL",
        }  # fmt: skip
    }
    base.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_boolean_setting_refuses_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env.env_bool("DEBUG", True)


def test_whole_number_setting_refuses_text_and_values_out_of_range(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="above the maximum of 65535"):
        env.env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)


def test_time_zone_setting_refuses_an_unknown_zone(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Asia/Atlantis")
    with pytest.raises(ImproperlyConfigured, match="not a known time zone"):
        env.env_time_zone("TIME_ZONE", "UTC")


def test_unset_values_fall_back_to_their_defaults(monkeypatch):
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    assert env.env_str("LOG_LEVEL", "INFO") == "INFO"
    assert env.env_list("ALLOWED_HOSTS_UNSET_FOR_TEST", ["localhost"]) == ["localhost"]


def test_the_platform_refuses_to_start_with_a_database_url_of_the_wrong_scheme():
    result = run_manage("check", DATABASE_URL="mysql://root@localhost/commerce")
    assert result.returncode != 0
    assert "DATABASE_URL must start with one of postgres://" in result.stderr


def test_the_platform_refuses_to_start_with_a_bad_boolean():
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_production_settings_refuse_the_development_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="commerce_base.settings.production",
        ALLOWED_HOSTS="commerce.example.org",
        DATABASE_URL="postgres://commerce@db.example.org/commerce",
        REDIS_URL="redis://cache.example.org:6379/0",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value" in result.stderr


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="commerce_base.settings.production",
        SECRET_KEY="k8Jz3-q9Wf_7xLr2Tn5Vb1Hy6Pd4Gs0Mc8Ra3Ue9Ko2Ni7Qt5Xw1Zj6Yv4Ab0Cd",
        ALLOWED_HOSTS="commerce.example.org",
        DATABASE_URL="postgres://commerce@db.example.org/commerce",
        REDIS_URL="redis://cache.example.org:6379/0",
        BUYER_HASH_KEY=PRODUCTION_BUYER_HASH_KEY,
        SITE_URL="https://commerce.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRODUCTION_BUYER_HASH_KEY = "Zr4-Ql8mWx2Nc6Vb0Tk3Ys7Hd1Jf5Gp9Ua4Eo8Ri2"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "commerce_base.settings.production",
    "SECRET_KEY": "k8Jz3-q9Wf_7xLr2Tn5Vb1Hy6Pd4Gs0Mc8Ra3Ue9Ko2Ni7Qt5Xw1Zj6Yv4Ab0Cd",
    "ALLOWED_HOSTS": "commerce.example.org",
    "DATABASE_URL": "postgres://commerce@db.example.org/commerce",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "BUYER_HASH_KEY": PRODUCTION_BUYER_HASH_KEY,
    "SITE_URL": "https://commerce.example.org",
}


def test_production_settings_require_a_buyer_hash_key_of_their_own():
    environment = {**PRODUCTION}
    del environment["BUYER_HASH_KEY"]
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert "BUYER_HASH_KEY must be set" in result.stderr


def test_production_settings_require_the_site_url():
    environment = {**PRODUCTION}
    del environment["SITE_URL"]
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_one_redis_url_gives_the_broker_results_and_cache_databases_of_their_own():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND, "
        "settings.CACHES['default']['LOCATION'], settings.BUYER_HASH_KEY == settings.SECRET_KEY)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    broker, results, cache, same_key = result.stdout.split()
    assert (broker, results, cache) == (
        "redis://cache.example.org:6379/0",
        "redis://cache.example.org:6379/1",
        "redis://cache.example.org:6379/2",
    )
    assert same_key == "False"


def test_a_cache_on_the_brokers_redis_database_is_refused():
    result = run_manage("check", CACHE_REDIS_URL="redis://cache.example.org:6379/0", **PRODUCTION)
    assert result.returncode != 0
    assert "must differ" in result.stderr


def test_redis_database_offsets_wrap_within_the_sixteen_databases():
    assert env.redis_database("redis://h:6379/15", 2) == "redis://h:6379/1"
    assert env.redis_database("rediss://u:p@h:6380", 1) == "rediss://u:p@h:6380/1"
    with pytest.raises(ImproperlyConfigured, match="database number"):
        env.redis_database("redis://h:6379/cache", 1)


def test_embedded_default_uses_sqlite_and_a_serverless_broker_when_nothing_is_set():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)",
    )
    assert result.returncode == 0, result.stderr
    engine, broker = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker.startswith("filesystem://")
