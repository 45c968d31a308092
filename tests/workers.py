"""Real Celery worker processes for integration tests (no mock broker, no eager mode)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[1]


def database_url_of_the_test_database() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] or ""
    if database["PASSWORD"]:
        credentials += f":{database['PASSWORD']}"
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


class WorkerProcess:
    """A `celery worker` in its own process, on the test database and the configured broker."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "commerce_base.settings.test",
            "DATABASE_URL": database_url_of_the_test_database(),
            # A worker sends what it queues (retries, roll-ups) through the broker too.
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "commerce_base",
                "worker",
                "--queues",
                "default,imports,images",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],  # fmt: skip
            cwd=PROJECT_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, exactly like the OOM killer."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def alive(self) -> bool:
        return bool(self.process) and self.process.poll() is None

    def log_tail(self, characters: int = 3000) -> str:
        return self.log_path.read_text()[-characters:] if self.log_path.exists() else ""


def wait_for(predicate: Callable[[], object], *, seconds: float, interval: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
