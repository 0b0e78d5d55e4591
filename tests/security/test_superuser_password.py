"""`make run` creates the admin from DJANGO_SUPERUSER_* only with a password that passes
Django's four validators (scripts/run.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from apps.api.roles import Role, role_of

RUN = Path(__file__).resolve().parents[2] / "scripts" / "run.py"


def load_run_script():
    spec = importlib.util.spec_from_file_location("relaycore_run_script", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("48151623429876", "entirely numeric"),
        ("admin-relay", "too similar"),
    ],
)
def test_a_weak_superuser_password_is_refused_with_the_reason(db, monkeypatch, password, reason):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "admin-relay")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    run = load_run_script()

    with pytest.raises(run.WeakPassword) as refused:
        run.create_superuser_from_env()

    assert reason in str(refused.value) and "DJANGO_SUPERUSER_PASSWORD" in str(refused.value)
    assert not get_user_model().objects.filter(username="admin-relay").exists()


def test_a_strong_superuser_password_creates_an_admin(db, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "violet-kettle-harbour-91")

    load_run_script().create_superuser_from_env()

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("violet-kettle-harbour-91") and role_of(admin) == Role.ADMIN
    assert "created admin user" in capsys.readouterr().out
