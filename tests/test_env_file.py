"""Settings from a `.env` file: every process (manage.py, the web and Celery entry points)
reads it, under the real environment, and the tests read none by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from relaycore.env import ENV_FILE_VARIABLE, load_env_file

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.DESTINATION_ALLOWED_NETWORKS, settings.DELIVERY_MAX_ATTEMPTS)"
)
ENTRY_POINTS = {
    "manage.py": ["manage.py", "shell", "--no-imports", "-c", PRINT_SETTINGS],
    "wsgi": ["-c", f"import relaycore.wsgi; {PRINT_SETTINGS}"],
    "celery": [
        "-c",
        "from relaycore.celery import app; from django.conf import settings; "
        "print(app.conf.worker_concurrency, settings.DESTINATION_ALLOWED_NETWORKS)",
    ],
}


def run_python(args: list[str], env_file: Path | None, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DESTINATION_ALLOWED_NETWORKS",
            "DELIVERY_MAX_ATTEMPTS",
            "WORKER_CONCURRENCY",
            "PORT",
            "WEB_CONCURRENCY",
            "WEB_THREADS",
            "BIND",
        }
    }
    clean[ENV_FILE_VARIABLE] = str(env_file) if env_file else ""
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text(
        "# what make run was started with\n"
        "DESTINATION_ALLOWED_NETWORKS=127.0.0.0/8\n"
        "DELIVERY_MAX_ATTEMPTS=3\n"
        "WORKER_CONCURRENCY=7\n"
    )
    return path


@pytest.mark.parametrize("entry", ["manage.py", "wsgi"])
def test_it_gives_manage_py_and_the_web_process_the_settings_of_the_env_file(entry, env_file):
    result = run_python(ENTRY_POINTS[entry], env_file)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[IPv4Network('127.0.0.0/8')] 3"


def test_it_gives_the_celery_app_the_settings_of_the_env_file(env_file):
    result = run_python(ENTRY_POINTS["celery"], env_file)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7 [IPv4Network('127.0.0.0/8')]"


def test_it_gives_gunicorn_its_port_and_workers_from_the_env_file(env_file):
    env_file.write_text(env_file.read_text() + "PORT=8123\nWEB_CONCURRENCY=3\n")
    args = ["-c", "from relaycore import gunicorn_conf as c; print(c.bind, c.workers)"]

    result = run_python(args, env_file)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "127.0.0.1:8123 3"


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [("", "1 16"), ("postgres://relay@db.internal:5432/relaycore", "2 8")],
)
def test_gunicorn_runs_one_process_with_more_threads_on_sqlite(database_url, expected, env_file):
    # SQLite writes one transaction at a time: a second web process would only add memory.
    args = ["-c", "from relaycore import gunicorn_conf as c; print(c.workers, c.threads)"]

    result = run_python(args, env_file, DATABASE_URL=database_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_the_real_environment_wins_over_the_env_file(env_file):
    result = run_python(ENTRY_POINTS["manage.py"], env_file, DELIVERY_MAX_ATTEMPTS="9")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[IPv4Network('127.0.0.0/8')] 9"


def test_without_an_env_file_the_defaults_apply():
    result = run_python(ENTRY_POINTS["manage.py"], None)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] 6"


def test_a_named_env_file_that_is_missing_stops_start_up(tmp_path):
    result = run_python(ENTRY_POINTS["manage.py"], tmp_path / "nosuch.env")

    assert result.returncode != 0
    assert f"{ENV_FILE_VARIABLE}=" in result.stderr and "no such file" in result.stderr


def test_it_reads_the_env_file_of_the_project_folder_by_default(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("RELAY_TEST_FROM_FILE=yes\n")
    monkeypatch.delenv(ENV_FILE_VARIABLE)
    monkeypatch.delenv("RELAY_TEST_FROM_FILE", raising=False)
    try:
        assert load_env_file(tmp_path) == tmp_path / ".env"
        assert os.environ["RELAY_TEST_FROM_FILE"] == "yes"
    finally:
        os.environ.pop("RELAY_TEST_FROM_FILE", None)


def test_the_tests_read_no_env_file(tmp_path):
    (tmp_path / ".env").write_text("RELAY_TEST_FROM_FILE=yes\n")

    assert os.environ[ENV_FILE_VARIABLE] == ""
    assert load_env_file(tmp_path) is None
    assert "RELAY_TEST_FROM_FILE" not in os.environ


def test_a_missing_named_file_is_a_configuration_error(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_FILE_VARIABLE, "nosuch.env")
    with pytest.raises(ImproperlyConfigured, match="no such file"):
        load_env_file(tmp_path)
