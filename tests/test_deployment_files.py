"""docker-compose.yml is for users (no Docker engine runs here): it is parsed and checked."""

from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())


def test_compose_starts_the_full_stack_from_one_image():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(images) == 1 and None not in images
    assert services["web"]["build"]["context"] == "."


def test_compose_runs_gunicorn_celery_worker_and_beat():
    services = compose()["services"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])


def test_every_service_has_a_health_check_and_data_lives_in_volumes():
    document = compose()
    for name, service in document["services"].items():
        assert "healthcheck" in service, name
    assert {"postgres-data", "redis-data", "media"} <= set(document["volumes"])


def test_app_services_wait_for_healthy_database_and_broker():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_the_dockerfile_installs_the_project_and_runs_as_a_non_root_user():
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    assert "pip install" in dockerfile
    assert "USER " in dockerfile
