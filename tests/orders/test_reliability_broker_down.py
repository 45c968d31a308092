"""R7: Redis killed while staff upload. The upload is recorded and answered all the same, and
once Redis is back the sweep sends the batch again and a real worker imports it.

The test runs a Redis server of its own (the shared one serves the rest of the suite) and
kills it with SIGKILL, as a crash or the OOM killer would."""

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess

import kombu.pools
import pytest

from commerce_base.celery import app as celery_app
from orders import services
from orders.models import ImportBatch, Order
from tests.workers import WorkerProcess, finished, wait_for

from .conftest import read_rows, upload
from .test_imports_web_and_api import api_client_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="needs redis-server (apt-get install redis-server); .ci/run installs it",
    ),
]
SAMPLE = "tiktok_orders_gialai.csv"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server process on a port of its own, without persistence (as .ci/run starts it)."""

    def __init__(self, port: int, log_path):
        self.port, self.log_path, self.process = port, log_path, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=self.log_path.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert wait_for(self.answers, seconds=20), self.log_path.read_text()[-2000:]
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)


def _use_broker(url: str, transport_options: dict) -> None:
    """Point this process's Celery app at `url`, dropping the connections it holds.

    The app's pools live in kombu's registries: those are emptied (not merely closed, or the
    next send would acquire from a closed pool) and the app's references to them forgotten."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = transport_options


@pytest.fixture
def own_redis(tmp_path, transactional_db):
    from django.conf import settings

    server = RedisServer(_free_port(), tmp_path / "redis.log").start()
    previous = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    # The key prefix the worker's test settings give it under pytest-xdist, so that both
    # sides use the same queue keys on this Redis.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8]
    _use_broker(server.url, {"global_keyprefix": f"{worker}-{run}:"} if worker else {})
    celery_app.conf.task_always_eager = False
    try:
        yield server
    finally:
        server.kill()
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        _use_broker(*previous)


def test_an_upload_while_redis_is_dead_is_recorded_answered_and_imported_once_it_is_back(
    own_redis, bureau_staff, tiktok_channel, tmp_path, monkeypatch
):
    own_redis.kill()
    assert not own_redis.answers()

    response = api_client_for(bureau_staff).post(
        "/api/v1/imports/", {"channel": tiktok_channel.slug, "file": upload(SAMPLE)},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == ImportBatch.Status.QUEUED
    assert batch.file.read() == upload(SAMPLE).read()  # the file is kept, nothing is lost
    assert Order.objects.count() == 0

    # Redis comes back, empty (no persistence): the message sent at upload is gone for good.
    own_redis.start()
    monkeypatch.setenv("REDIS_URL", own_redis.url)
    worker = WorkerProcess(tmp_path / "worker.log").start()
    try:
        # The sweep (a periodic task) finds the batch queued long after its upload.
        ImportBatch.objects.filter(pk=batch.pk).update(
            created_at=batch.created_at - dt.timedelta(minutes=10)
        )
        assert services.requeue_stale_batches() == [batch.pk]

        assert wait_for(finished(batch), seconds=120), worker.log_tail()
    finally:
        worker.stop()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert Order.objects.count() == len({row["Order ID"] for row in read_rows(SAMPLE)})
    # Once, not twice: a second sweep finds nothing left to send.
    assert services.requeue_stale_batches() == []
