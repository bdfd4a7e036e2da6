"""Installed as users install it (a wheel, `pip install .`), greencheck carries its rulesets and report templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from checker import __version__

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_models"


def test_package_list_names_every_subpackage() -> None:
    """pyproject lists packages explicitly (to map rulesets/ into checker.rulesets): a new subpackage must be added."""
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "checker").rglob("__init__.py")}
    assert found | {"checker.rulesets"} == declared


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built once for the module."""
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (found,) = folder.glob("greencheck-*.whl")
    return found


def test_wheel_carries_rulesets_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {
        str(p.relative_to(ROOT)).replace("rulesets/", "checker/rulesets/", 1)
        for p in (ROOT / "rulesets").rglob("*.toml")
    }
    assert bundled and bundled <= names
    assert "checker/report/templates/report.html.j2" in names


def fresh_venv(where: Path, wheel: Path) -> Path:
    """A new venv outside the checkout with the wheel installed as pip installs it (console script included). Its
    third-party dependencies come from this interpreter's site-packages through a .pth file, as no wheelhouse is at
    hand offline; a .pth line only extends sys.path, so the editable finder of the dev venv is not loaded there."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    dependencies = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(purelib) / "dev-venv-dependencies.pth").write_text("\n".join(dependencies) + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    installed = subprocess.run([*install, str(wheel)], capture_output=True, text=True, timeout=300, check=False)
    assert installed.returncode == 0, installed.stderr
    return where


def test_wheel_installed_outside_the_checkout_checks_models(tmp_path: Path, wheel: Path) -> None:
    """Issue 11 item 8: as a CI image installs it. The checkout's checker is not importable (cwd elsewhere, no
    PYTHONPATH); the bundled ruleset is found; `greencheck --version` and `python -m checker` work."""
    venv = fresh_venv(tmp_path / "venv", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300, check=False)

    python, greencheck = str(venv / "bin" / "python"), str(venv / "bin" / "greencheck")
    imported = run(python, "-c", "import checker; print(checker.__file__)")
    assert Path(imported.stdout.strip()).is_relative_to(venv), imported.stdout + imported.stderr
    assert run(greencheck, "--version").stdout.strip() == f"greencheck, version {__version__}"
    listed = run(greencheck, "rulesets", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("beijing-subcenter-2024\t"), listed.stderr

    models = [str(SAMPLES / "pass-public-office.ifc"), str(SAMPLES / "prefab-fail-government.ifc")]
    checked = run(python, "-m", "checker", "check", *models, "-o", "out", "-f", "json,sarif", "--lang", "en")
    assert checked.returncode == 1, checked.stdout + checked.stderr  # one model fails an error-severity rule
    verdicts = {}
    for name in ("pass-public-office", "prefab-fail-government"):
        report = json.loads((elsewhere / "out" / f"{name}.json").read_text())
        assert report["ruleset"]["id"] == "beijing-subcenter-2024" and report["ruleset"]["bundled"] is True
        assert (elsewhere / "out" / f"{name}.sarif").is_file()
        verdicts[name] = report["summary"]["verdict"]
    assert verdicts == {"pass-public-office": "compliant", "prefab-fail-government": "non_compliant"}
    assert not (ROOT / "out").exists()
