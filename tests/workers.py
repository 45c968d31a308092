"""Real Celery worker processes for integration tests (no mock broker, no eager mode)."""

import contextlib
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

    def __init__(
        self,
        log_path: Path,
        *,
        pool: str = "solo",
        concurrency: int | None = None,
        hostname: str | None = None,
        beat: bool = False,
        config: dict[str, object] | None = None,
    ):
        """``pool="prefork"`` runs the tasks in child processes (as production does), so that
        a test can kill the child alone; ``beat`` embeds the periodic scheduler in the worker
        (the schedules are the django-celery-beat rows of the test database); ``config``
        overrides Celery settings on the command line, e.g. ``{"worker.lost_wait": 1}``."""
        self.log_path = log_path
        self.pool = pool
        self.concurrency = concurrency
        self.hostname = hostname
        self.beat = beat
        self.config = dict(config or {})
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
                self.pool,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *self._optional_arguments(),
            ],  # fmt: skip
            cwd=PROJECT_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def _optional_arguments(self) -> list[str]:
        arguments = []
        if self.concurrency is not None:
            arguments += ["--concurrency", str(self.concurrency)]
        if self.hostname is not None:
            arguments += ["--hostname", self.hostname]
        if self.beat:
            # The beat state lives in the database (DatabaseScheduler); the file only keeps
            # beat from writing one into the project directory.
            arguments += ["--beat", "--schedule", str(self.log_path.with_suffix(".beat"))]
        if self.config:
            arguments += ["--", *(f"{key}={value}" for key, value in self.config.items())]
        return arguments

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

    def children(self) -> list[int]:
        """Process ids of the worker's live children (the prefork pool's processes)."""
        if not self.alive:
            return []
        main = self.process.pid
        return sorted(pid for pid, parent, state in _processes() if parent == main and state != "Z")

    def kill_child(self, *, seconds: float = 30) -> int:
        """SIGKILL the pool's child (the process running the task), as the OOM killer would;
        the main process stays, notices, and starts another child. Returns the killed pid."""
        children = wait_for(self.children, seconds=seconds, interval=0.02)
        assert len(children) == 1, f"expected one pool child, found {children}"
        os.kill(children[0], signal.SIGKILL)
        return children[0]

    def kill_all(self) -> None:
        """SIGKILL the main process and its children at once: the whole worker dies (a lost
        machine or container), and nobody is left to hand unacknowledged tasks back."""
        if not self.alive:
            return
        children = self.children()
        for pid in [self.process.pid, *children]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=20)

        def children_gone() -> bool:
            return not any(pid in children for pid, _parent, state in _processes() if state != "Z")

        wait_for(children_gone, seconds=20, interval=0.02)

    @property
    def alive(self) -> bool:
        return bool(self.process) and self.process.poll() is None

    def log_tail(self, characters: int = 3000) -> str:
        return self.log_path.read_text()[-characters:] if self.log_path.exists() else ""


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, state) of every process, from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name, in parentheses, may hold spaces: the fields follow the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        found.append((int(entry.name), int(fields[1]), fields[0]))
    return found


def wait_for(predicate: Callable[[], object], *, seconds: float, interval: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def finished(record) -> Callable[[], bool]:
    """A predicate for `wait_for`: has `record` (an import batch, a job) finished, read afresh?"""

    def check() -> bool:
        record.refresh_from_db()
        return record.is_finished

    return check
