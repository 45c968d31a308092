"""Which import batch has a live runner: a lock held for the whole run and released by
PostgreSQL or the operating system the moment the runner dies.

A batch marked running whose lock is free has lost its runner (a worker child killed, a whole
worker gone): the next delivery of its task may take it over at once, instead of waiting for
the heartbeat to go stale. On PostgreSQL the lock is a session advisory lock, so it holds
across machines; on the embedded SQLite default (one machine) it is a file lock in VAR_DIR.
"""

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

# The first key of the advisory lock: import batches (and their ranges), apart from any other
# advisory lock.
_NAMESPACE = 0x1B47
_RANGE_NAMESPACE = 0x1B48


def sqlite_lock_path(batch_id: int, *, kind: str = "batch") -> Path:
    """The file locked for a batch (or a range, ``kind="range"``) on SQLite. Named after the
    database too, as PostgreSQL's advisory locks belong to one database: batch 1 of another
    database file (another checkout, a parallel test run) is not ours."""
    folder = settings.VAR_DIR / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:16]
    return folder / f"{database}-import-{kind}-{batch_id}.lock"


@contextmanager
def batch_runner_lock(batch_id: int) -> Iterator[bool]:
    """Try to become the batch's runner; yields whether the lock was obtained (never waits).

    The runner of a batch cut into ranges is whoever plans it or finishes it; its ranges have
    locks of their own (``range_runner_lock``).
    """
    with _runner_lock(_NAMESPACE, batch_id, "batch") as held:
        yield held


@contextmanager
def range_runner_lock(range_id: int) -> Iterator[bool]:
    """Try to become the runner of one range of a batch (never waits)."""
    with _runner_lock(_RANGE_NAMESPACE, range_id, "range") as held:
        yield held


@contextmanager
def _runner_lock(namespace: int, key: int, kind: str) -> Iterator[bool]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
            held: bool = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])
                except DatabaseError:
                    pass  # the connection is gone, and its locks with it
        return
    with open(sqlite_lock_path(key, kind=kind), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
