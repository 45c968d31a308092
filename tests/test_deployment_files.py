"""docker-compose.yml is for users (no Docker engine runs here): it is parsed and checked."""

import ast
import importlib.metadata
import shlex
import sys
import tomllib
from pathlib import Path

import yaml
from django.core.management import get_commands
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


# --- Reproducible installs --------------------------------------------------------------------

LOCKS = {
    "production": PROJECT_DIR / "requirements" / "production.lock",
    "dev": PROJECT_DIR / "requirements" / "dev.lock",
}
# Source folders whose imports must be declared as runtime dependencies; tests and benchmarks
# may also use the dev extras.
# The demo loader (orders/demo.py) writes its exports with devtools: it ships in the image too.
RUNTIME_CODE = ("commerce_base", "core", "cooperatives", "catalog", "livestreams", "orders",
                "dashboards", "devtools")  # fmt: skip
# Import names that are not distributions: the standard library and the project itself.
PROJECT_PACKAGES = {*RUNTIME_CODE, "tests", "bench"}


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(line) for line in names]


def pinned(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split(" ")[0].split(";")[0].split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_the_lock_files_pin_every_declared_dependency_within_its_range():
    for extra, lock in ((None, LOCKS["production"]), ("dev", LOCKS["dev"])):
        pins = pinned(lock)
        for requirement in declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{lock.name} lacks {name}: run `make lock`"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"{lock.name} pins {name}=={pins[name]}, outside {requirement.specifier}: "
                "run `make lock`"
            )


def test_installs_use_the_lock_files_with_hashes():
    assert (
        "--require-hashes -r requirements/production.lock"
        in (PROJECT_DIR / "Dockerfile").read_text()
    )
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert "LOCK := requirements/dev.lock" in makefile
    assert "--require-hashes -r $(LOCK)" in makefile
    assert all("--hash=sha256:" in lock.read_text() for lock in LOCKS.values())


def imported_top_level_names(folders) -> set[str]:
    names = set()
    for folder in folders:
        for path in (PROJECT_DIR / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - PROJECT_PACKAGES


def distributions_of(names: set[str]) -> dict[str, set[str]]:
    providers = importlib.metadata.packages_distributions()
    return {name: {canonicalize_name(d) for d in providers.get(name, [])} for name in names}


def test_every_package_the_code_imports_is_declared():
    runtime = {canonicalize_name(r.name) for r in declared()}
    everything = runtime | {canonicalize_name(r.name) for r in declared("dev")}
    for folders, allowed in ((RUNTIME_CODE, runtime), (("tests", "bench"), everything)):
        for name, providers in distributions_of(imported_top_level_names(folders)).items():
            assert providers, f"{name} is imported but no installed distribution provides it"
            assert providers & allowed, f"{name} ({', '.join(providers)}) is not declared"


# --- Every command runs a program its image has --------------------------------------------------

# Programs of the public images compose uses, as their documentation lists them.
IMAGE_PROGRAMS = {
    "nginx": {"nginx", "wget", "sh"},  # nginx:*-alpine (busybox gives wget and sh)
    "postgres": {"postgres", "pg_isready", "psql", "sh"},
    "redis": {"redis-server", "redis-cli", "sh"},
}


def our_image_programs() -> set[str]:
    """What the project's image (Dockerfile: python:3.11-slim + production.lock) can run:
    the base image's shell and Python, and the console scripts of the locked packages."""
    locked = set(pinned(LOCKS["production"]))
    scripts = {
        entry.name
        for distribution in importlib.metadata.distributions()
        if canonicalize_name(distribution.metadata["Name"]) in locked
        for entry in distribution.entry_points
        if entry.group == "console_scripts"
    }
    return {"sh", "python", "pip"} | scripts


def programs_of(command) -> list[list[str]]:
    """The argument lists a compose command or health check runs (sh -c scripts split)."""
    if isinstance(command, str):
        command = ["sh", "-c", command]
    if command[0] in ("CMD", "CMD-SHELL"):
        command = command[1:] if command[0] == "CMD" else ["sh", "-c", command[1]]
    if command[:2] == ["sh", "-c"]:
        return [["sh"]] + [
            shlex.split(part.replace("exec ", "", 1))
            for part in command[2].replace("$$", "$").split("&&")
        ]
    return [command]


def test_every_service_command_runs_a_program_its_image_has():
    document = compose()
    ours = our_image_programs()
    assert {"gunicorn", "celery"} <= ours
    for name, service in document["services"].items():
        image = service.get("image", "")
        programs = (
            ours
            if image == document["x-app"]["image"]
            else next(p for key, p in IMAGE_PROGRAMS.items() if image.startswith(key + ":"))
        )
        commands = [service["command"]] if "command" in service else []
        commands.append(service["healthcheck"]["test"])
        for command in commands:
            for argv in programs_of(command):
                assert argv[0] in programs, f"{name} runs {argv[0]!r}, not in its image"
                if argv[:2] == ["python", "manage.py"]:
                    assert argv[2] in get_commands(), f"{name}: no command {argv[2]!r}"


def test_the_proxy_serves_public_files_and_never_mounts_the_private_ones():
    services = compose()["services"]
    proxy_volumes = services["proxy"]["volumes"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy_volumes
    assert {"static:/app/staticfiles:ro", "media:/app/media:ro"} <= set(proxy_volumes)
    assert not any(volume.startswith("private:") for volume in proxy_volumes)
    assert "private:/app/private" in services["web"]["volumes"]
    assert services["proxy"]["ports"] == ["8000:8080"] and "ports" not in services["web"]
