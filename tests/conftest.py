"""Personas shared by every test module (STYLE.md habit 8)."""

import pytest
from django.test import Client

from core.roles import BUREAU_STAFF, COOPERATIVE_MEMBER, HOST, OFFICIAL
from tests.cooperatives.factories import CooperativeFactory, MembershipFactory
from tests.core.factories import UserFactory


@pytest.fixture
def bureau_staff(db):
    return UserFactory(username="bureau.staff", roles=[BUREAU_STAFF], is_staff=True)


@pytest.fixture
def official(db):
    return UserFactory(username="official", roles=[OFFICIAL])


@pytest.fixture
def cooperative(db):
    """Cooperative A: the one `coop_member` belongs to."""
    return CooperativeFactory(name="Chu Se Coffee Cooperative", slug="chu-se-coffee")


@pytest.fixture
def other_cooperative(db):
    """Cooperative B: `coop_member` must never see its rows."""
    return CooperativeFactory(name="Ia Grai Pepper Cooperative", slug="ia-grai-pepper")


@pytest.fixture
def coop_member(cooperative):
    user = UserFactory(username="coop.member", roles=[COOPERATIVE_MEMBER])
    MembershipFactory(user=user, cooperative=cooperative)
    return user


@pytest.fixture
def other_coop_member(other_cooperative):
    user = UserFactory(username="other.coop.member", roles=[COOPERATIVE_MEMBER])
    MembershipFactory(user=user, cooperative=other_cooperative)
    return user


@pytest.fixture
def host_user(db):
    return UserFactory(username="host.kol", roles=[HOST])


@pytest.fixture
def anonymous():
    return Client()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(bureau_staff):
    return client_for(bureau_staff)


@pytest.fixture
def official_client(official):
    return client_for(official)


@pytest.fixture
def coop_client(coop_member):
    return client_for(coop_member)


@pytest.fixture
def other_coop_client(other_coop_member):
    return client_for(other_coop_member)


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start a real worker; the test process sends tasks through the broker while it runs."""
    from django.conf import settings

    from commerce_base.celery import app as celery_app
    from tests.workers import WorkerProcess

    # Every queue: control.purge() empties only the default one, and an import left on
    # `imports` by an earlier test would run in this test's worker.
    with celery_app.connection_for_write() as connection:
        for queue in ("default", "imports", "images"):
            connection.default_channel.queue_purge(queue)
    celery_app.conf.task_always_eager = False
    worker = WorkerProcess(tmp_path / "worker.log").start()
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        worker.stop()


def pytest_collection_modifyitems(items):
    """Tests that start real processes (a Celery worker, a browser) are slow as well: `make
    test-quick` leaves them out, `make test` and CI run them."""
    for item in items:
        if item.get_closest_marker("integration") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
