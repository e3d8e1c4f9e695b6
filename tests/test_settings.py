"""Production settings are checked in a fresh process, as an operator would start Patch."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.slow


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PATCH_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="patch.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = _manage("check", PATCH_ENV="production", ALLOWED_HOSTS="patch.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = _manage("check", PATCH_ENV="production", SECRET_KEY=secrets.token_urlsafe(50))
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = _manage("check", DEBUG="maybe")
    assert "DEBUG must be true or false" in result.stderr


def test_the_csrf_cookie_is_out_of_scripts_reach(client, db):
    response = client.get(reverse("login"))
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"]
