"""Settings read from the environment, and a production configuration that passes --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KOERS", "DEBUG"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "koers.settings", **env})
    clean.pop("DATABASE_URL", None) if "DATABASE_URL" not in env else None
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_min_group_size_defaults_to_five() -> None:
    out = _run("from django.conf import settings; print(settings.KOERS_MIN_GROUP_SIZE)", DEBUG="1")
    assert out.stdout.strip() == "5", out.stderr


@pytest.mark.parametrize(("given", "expected"), [("3", "5"), ("5", "5"), ("10", "10")])
def test_min_group_size_can_only_go_up(given: str, expected: str) -> None:
    out = _run(
        "from django.conf import settings; print(settings.KOERS_MIN_GROUP_SIZE)",
        DEBUG="1",
        KOERS_MIN_GROUP_SIZE=given,
    )
    assert out.stdout.strip() == expected, out.stderr


def test_production_without_a_secret_key_refuses_to_start() -> None:
    out = _run("from django.conf import settings; settings.SECRET_KEY")
    assert out.returncode != 0
    assert "SECRET_KEY is not set" in out.stderr


def test_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s" * 60 + "\n")
    out = _run(
        "from django.conf import settings; print(settings.SECRET_KEY)", SECRET_KEY_FILE=str(secret)
    )
    assert out.stdout.strip() == "s" * 60, out.stderr


def test_database_url_selects_postgresql() -> None:
    out = _run(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/koers",
    )
    assert out.stdout.strip() == "django.db.backends.postgresql", out.stderr


def test_a_bad_boolean_says_what_to_use() -> None:
    out = _run("import django.conf; django.conf.settings.DEBUG", DEBUG="maybe")
    assert "is not a boolean" in out.stderr


def test_deploy_check_with_production_settings_reports_nothing(tmp_path: Path) -> None:
    out = _run(
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        SECRET_KEY="k" * 20 + "-Zq8!pL0x^v7#tR3m@Wn5&yB2$eH9*uJ6%cK4",
        ALLOWED_HOSTS="koers.example.nl",
        KOERS_DATA_DIR=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr + out.stdout
    assert "no issues" in out.stdout + out.stderr
