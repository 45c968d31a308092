"""Test settings: base.py with fast hashing, in-memory email and a file-backed test database.

The database is a file even on SQLite so that a real Celery worker started by the integration
tests sees the same rows as the test process.
"""

import os
from pathlib import Path

# pytest-xdist runs the suite in several processes (`gw0`, `gw1`...): each gets a var folder
# (files, locks, the embedded broker) and Redis keys of its own, so that none sees another's
# files, queued tasks or cached counters. The worker processes the integration tests start
# inherit both through the environment.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# Two parallel runs in one checkout (a developer's and an agent's) must not share a worker's
# folder either: it is named after the run too.
XDIST_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8]
# Set, not defaulted: pytest-xdist's controller loads these settings before it starts the
# workers, which inherit its environment; each worker then takes its own folder under the
# test root (and the Celery workers a test starts compute the same one).
os.environ["COMMERCE_BASE_VAR_DIR"] = str(
    Path(
        os.environ.get(
            "COMMERCE_BASE_TEST_VAR_DIR",
            Path(__file__).resolve().parent.parent.parent / "var" / "test",
        )
    )
    / (f"{XDIST_WORKER}-{XDIST_RUN}" if XDIST_WORKER else "")
)

from .base import *  # noqa: E402,F403
from .base import CACHES, CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, REDIS_URL, VAR_DIR  # noqa: E402
from .env import env_int  # noqa: E402

# Files are imported by one worker unless a test asks for ranges (tests/orders/
# test_import_ranges.py sets IMPORT_RANGE_LINES, in the settings or, for its workers, in the
# environment): the reliability tests R1, R2 and R5 pin the single-worker path.
IMPORT_RANGE_LINES = env_int("IMPORT_RANGE_LINES", 1_000_000, minimum=1000)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"
# Unit tests run tasks in-process; the integration tests start a real worker process instead.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true").lower() == "true"
CELERY_TASK_EAGER_PROPAGATES = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test run, so that two runs in the same checkout never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test_commerce_base_{os.getpid()}.sqlite3")
    }
if XDIST_WORKER and REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"{XDIST_WORKER}-{XDIST_RUN}:",
    }
    CACHES["default"]["KEY_PREFIX"] = f"{XDIST_WORKER}-{XDIST_RUN}"
LANGUAGE_CODE = "en"
# The suite sends many requests from one address: the limits are lifted unless a test sets
# them (tests/core/test_rate_limits.py checks the real ones with small rates).
API_THROTTLE_ANON = API_THROTTLE_USER = REGISTRATION_RATE = PASSWORD_RESET_RATE = "1000000/minute"
# The live server of browser tests serves static files through WhiteNoise, straight from
# the apps' and project's static folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
