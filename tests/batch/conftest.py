"""A batch folder like an officer's: three samples in two folders, a file that is no IFC, a cyclic placement."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import pytest

from checker.batch.engine import BatchOptions, batch_formats, run_batch
from checker.batch.summary import BatchSummary
from checker.rules.schema import Ruleset

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_models"
ROWS = {  # file -> (verdict, building, use, above-ground area)
    "fail-residential-one-star.ifc": ("non_compliant", "Riverside Housing Block 3", "residential", 8000.0),
    "pass-public-office.ifc": ("compliant", "Sub-center Admin Office A", "public", 21600.0),
    "sub/unknown-missing-data.ifc": ("incomplete", "Unlabelled Block", None, None),
}
ERRORS = {"sub/broken.ifc": "not an IFC-SPF file", "sub/cyclic.ifc": "placed relative to itself"}


def make_cyclic(source: Path, target: Path) -> None:
    """A copy of `source` whose first placed element's placement is relative to itself (as tests/hostile does)."""
    model = ifcopenshell.open(str(source))
    products = [p for p in model.by_type("IfcProduct") if p.ObjectPlacement is not None and p.Representation]
    placement = products[0].ObjectPlacement
    placement.PlacementRelTo = placement
    model.write(str(target))


def fill(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    for name in ROWS:
        shutil.copyfile(SAMPLES_DIR / Path(name).name, folder / name)
    (folder / "sub" / "broken.ifc").write_text("this is not a model\n", encoding="utf-8")
    make_cyclic(SAMPLES_DIR / "pass-public-office.ifc", folder / "sub" / "cyclic.ifc")
    (folder / "notes.txt").write_text("not a model, not picked up\n", encoding="utf-8")
    return folder


def error_line(exc: BaseException, subject: object) -> str:
    from checker.cli import _error_line

    return _error_line(exc, subject)


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return fill(tmp_path / "models")


@pytest.fixture
def run(ruleset: Ruleset) -> Callable[..., BatchSummary]:
    def go(paths: list[Path], out: Path, **options: object) -> BatchSummary:
        formats = batch_formats(list(options.pop("formats", ["html"])))  # type: ignore[arg-type]
        chosen = BatchOptions(out=out, formats=formats, lang=str(options.pop("lang", "en")), **options)  # type: ignore[arg-type]
        return run_batch(paths, ruleset, chosen, error_line)

    return go


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchSummary]:
    """One batch with --jobs 2 shared by the read-only tests of a module."""
    from checker.rules.loader import load_ruleset

    base = tmp_path_factory.mktemp("batch")
    folder = fill(base / "models")
    options = BatchOptions(out=base / "out", formats=batch_formats(["html"]), lang="en", jobs=2)
    return base / "out", run_batch([folder], load_ruleset(), options, error_line)
