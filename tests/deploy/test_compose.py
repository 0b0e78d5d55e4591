"""The Docker files: docker-compose.yml, the Dockerfile, nginx.conf and the container
health checks. No Docker engine runs here, so the files are read and checked as data;
`docker compose config` and `nginx -t` run too where those tools are installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"postgres", "redis", "migrate", "web", "stream", "worker", "beat", "nginx"}
APP_SERVICES = ("migrate", "web", "stream", "worker", "beat")
PROXIED = ("/api/", "/webhooks/", "/admin/", "/static/", "/healthz", "/readyz", "/metrics")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command(service: dict) -> str:
    value = service.get("command", "")
    return " ".join(value) if isinstance(value, list) else value


def test_it_runs_every_part_of_the_gateway(services):
    assert set(services) == SERVICES


def test_every_long_running_service_has_a_health_check(services):
    for name in SERVICES - {"migrate"}:
        check = services[name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name


def test_redis_persists_every_write_and_never_evicts(services):
    args = services["redis"]["command"]
    assert args[args.index("--appendonly") + 1] == "yes"
    assert args[args.index("--maxmemory-policy") + 1] == "noeviction"
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_postgres_is_checked_with_pg_isready(services):
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])


def test_databases_keep_their_data_in_named_volumes(compose, services):
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert {"postgres-data", "redis-data"} <= set(compose["volumes"])


def test_app_services_share_the_image_settings_and_dependencies(services):
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"]["target"] == "app", name
        assert service["env_file"][0]["path"] == ".env", name
        assert service["environment"]["REDIS_URL"].endswith("redis://redis:6379/0}"), name
        assert "@postgres:5432/" in service["environment"]["DATABASE_URL"], name
        for dependency in ("postgres", "redis"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy", name


def test_migrations_run_once_before_web_worker_and_beat(services):
    assert command(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "stream", "worker", "beat"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_the_processes_are_gunicorn_a_celery_worker_and_beat_on_the_database(services):
    assert command(services["web"]).startswith("gunicorn relaycore.wsgi")
    assert "python:relaycore.gunicorn_conf" in command(services["web"])
    assert services["web"]["environment"]["BIND"] == "0.0.0.0"
    assert command(services["worker"]).startswith("celery -A relaycore worker")
    beat = command(services["beat"])
    assert beat.startswith("celery -A relaycore beat")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_nginx_is_built_with_the_dashboard_and_waits_for_a_healthy_web(services):
    nginx = services["nginx"]
    assert nginx["build"]["target"] == "nginx"
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    assert any(port.endswith(":80") for port in nginx["ports"])


def test_every_variable_the_compose_file_reads_is_documented_in_env_example():
    used = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    documented = set(re.findall(r"^#?\s*(\w+)=", (ROOT / ".env.example").read_text(), re.M))
    assert used - documented == set()


def test_nginx_serves_the_dashboard_and_proxies_the_app_paths():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000;" in conf
    for path in PROXIED:
        pattern = rf"location (=\s*)?{re.escape(path)}\s*\{{\s*proxy_pass http://relaycore_web;"
        assert re.search(pattern, conf), path
    assert "root /usr/share/nginx/dashboard;" in conf
    assert "try_files $uri /index.html;" in conf


def test_nginx_passes_listener_streams_to_the_stream_service_unbuffered(services):
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server stream:8001;" in conf
    block = re.search(r"location ~ \^/api/sources/\[\^/\]\+/stream/\$ \{(.*?)\}", conf, re.S)
    assert block, "no location for /api/sources/<slug>/stream/"
    assert "proxy_pass http://relaycore_stream;" in block.group(1)
    assert "proxy_buffering off;" in block.group(1)
    assert re.search(r"proxy_read_timeout (\d+)h;", block.group(1))
    assert command(services["stream"]) == "python -m relaycore.stream"
    assert services["stream"]["environment"]["STREAM_BIND"] == "0.0.0.0"


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed here")
def test_nginx_accepts_the_configuration(tmp_path):
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    # `web` only resolves inside the compose network.
    site = site.replace("server web:8000;", "server 127.0.0.1:8000;")
    (tmp_path / "site.conf").write_text(
        site.replace("server stream:8001;", "server 127.0.0.1:8001;")
    )
    temp_paths = " ".join(
        f"{kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{ access_log off; {temp_paths} include {tmp_path / 'site.conf'}; }}\n"
    )
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr


def docker_compose_works() -> bool:
    if not shutil.which("docker"):
        return False
    done = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    return done.returncode == 0


@pytest.mark.skipif(not docker_compose_works(), reason="the docker compose plugin is missing")
def test_docker_compose_accepts_the_file():
    env = {**os.environ, "POSTGRES_PASSWORD": "compose-config-check"}
    done = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_the_image_builds_the_dashboard_then_a_slim_python_stage(dockerfile):
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", dockerfile, re.M)
    assert [name for _, name in stages] == ["dashboard", "nginx", "app"]
    images = dict((name, image) for image, name in stages)
    assert images["dashboard"].startswith("node:20")
    assert images["app"] == "python:3.11-slim"
    assert "RUN npm ci" in dockerfile and "RUN npm run build" in dockerfile
    assert dockerfile.count("COPY --from=dashboard /build/dist") == 2
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile


def test_the_image_runs_gunicorn_as_a_user_that_is_not_root(dockerfile):
    app_stage = dockerfile.split(" AS app", 1)[1]
    users = re.findall(r"^USER (\S+)$", app_stage, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"useradd .*\b" + re.escape(users[-1]) + r"\b", app_stage)
    cmd = re.search(r"^CMD (.+)$", app_stage, re.M).group(1)
    assert '"gunicorn"' in cmd and "relaycore.gunicorn_conf" in cmd


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".env", ".venv", "var", "frontend/node_modules"):
        assert entry in ignored


def healthcheck(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "healthcheck.py"), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_health_check_script_names_its_checks():
    done = healthcheck("nonsense")
    assert done.returncode == 2
    assert "web|worker|beat" in done.stdout


@pytest.mark.django_db(transaction=True)
def test_the_web_health_check_passes_against_a_live_server(live_server):
    port = str(live_server.url.rsplit(":", 1)[1])
    done = healthcheck("web", PORT=port, ALLOWED_HOSTS="localhost,127.0.0.1")
    assert (done.returncode, done.stdout.strip()) == (0, "web: ok")


def test_the_web_health_check_fails_when_nothing_listens():
    done = healthcheck("web", PORT="1", ALLOWED_HOSTS="localhost")
    assert done.returncode == 1
    assert done.stdout.startswith("web: ")


def test_every_variable_the_settings_read_is_documented_in_env_example():
    settings = (ROOT / "relaycore" / "settings.py").read_text()
    read = set(re.findall(r"\benv_\w+\(\s*\"(\w+)\"", settings))
    documented = set(re.findall(r"^#?\s*(\w+)=", (ROOT / ".env.example").read_text(), re.M))
    assert len(read) > 30  # the pattern still finds what the settings read
    assert read - documented == set()
