"""The tests pass whatever database URL the environment sets: a server process started by the
tests opens the test database, or the tests that need one say why they cannot run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM

BROWSER_TEST = "tests/browser/test_foundation.py::test_member_logs_in_and_sees_her_team"


def _pytest(test: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("SQLITE_PATH", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-rs", "-p", "no:randomly"]
        + ["-p", "no:cacheprovider"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_browser_tests_pass_with_a_sqlite_file_database_url(tmp_path):
    result = _pytest(BROWSER_TEST, f"sqlite:///{tmp_path / 'patch.sqlite3'}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_browser_tests_skip_saying_why_with_an_in_memory_database():
    result = _pytest(BROWSER_TEST, "sqlite://")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cannot share it" in result.stdout
