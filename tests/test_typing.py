"""The package type-checks under mypy --strict (configuration in pyproject.toml), so the typed seams hold."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_checker_package_is_strictly_typed() -> None:
    api = pytest.importorskip("mypy.api")
    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"), str(ROOT / "checker")]
    )
    assert status == 0, stdout + stderr
