"""Installed as users install it (a wheel, `pip install .`), greencheck carries its rulesets and report templates."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_list_names_every_subpackage() -> None:
    """pyproject lists packages explicitly (to map rulesets/ into checker.rulesets): a new subpackage must be added."""
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "checker").rglob("__init__.py")}
    assert found | {"checker.rulesets"} == declared


def test_wheel_carries_rulesets_and_templates(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("greencheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {
        str(p.relative_to(ROOT)).replace("rulesets/", "checker/rulesets/", 1)
        for p in (ROOT / "rulesets").rglob("*.toml")
    }
    assert bundled and bundled <= names
    assert "checker/report/templates/report.html.j2" in names
